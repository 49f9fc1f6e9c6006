// SPDX-License-Identifier: MIT
/* A program as another project would write it: only <devsnap/devsnap.h>
 * and `pkg-config devsnap`, nothing from devsnap's tree.  Built and run by
 * test_libdevsnap_install.sh against a DESTDIR install.
 *
 *   libdevsnap_user DUMP            prints the segment count and the format
 *   libdevsnap_user DUMP VA LEN     writes the LEN bytes at device VA to stdout
 */
#include <devsnap/devsnap.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage(void)
{
	fputs("usage: libdevsnap_user DUMP [VA LEN]\n", stderr);
	return 2;
}

static int print_summary(const struct devsnap_dump *dump)
{
	struct devsnap_dump_info info;

	if (devsnap_dump_get_info(dump, &info) < 0)
		return 1;
	printf("%zu segments, format %s, library %s, headers %s\n", info.segment_count,
	       info.format ? info.format : "unknown", devsnap_version(NULL, NULL, NULL),
	       DEVSNAP_VERSION_STRING);
	return 0;
}

static int copy_bytes(const struct devsnap_dump *dump, uint64_t va, size_t len)
{
	char *buf = malloc(len ? len : 1);
	int64_t n;

	if (!buf)
		return 1;
	n = devsnap_dump_read_va(dump, va, buf, len);
	if (n < 0) {
		fprintf(stderr, "VA 0x%llx: %s\n", (unsigned long long)va, strerror((int)-n));
		free(buf);
		return 1;
	}
	fwrite(buf, 1, (size_t)n, stdout);
	free(buf);
	return (size_t)n == len ? 0 : 3; /* 3: a short read */
}

int main(int argc, char **argv)
{
	struct devsnap_open_options opts = DEVSNAP_OPEN_OPTIONS_INIT;
	struct devsnap_open_error error = { 0 };
	struct devsnap_dump *dump;
	int r;

	if (argc != 2 && argc != 4)
		return usage();
	opts.error = &error;
	r = devsnap_dump_open_path(&dump, argv[1], &opts);
	if (r < 0) {
		fprintf(stderr, "%s: %s\n", argv[1], error.message ? error.message : strerror(-r));
		return 1;
	}
	if (argc == 2)
		r = print_summary(dump);
	else
		r = copy_bytes(dump, strtoull(argv[2], NULL, 0), strtoull(argv[3], NULL, 0));
	devsnap_dump_close(dump);
	return r;
}
