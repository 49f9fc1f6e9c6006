// SPDX-License-Identifier: MIT
/* devsnap export: a saved dump's original bytes, whole or not at all. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "basic/cleanup.h"
#include "basic/dumpfile.h"
#include "basic/json_out.h"
#include "basic/log.h"
#include "basic/unzstd.h"
#include "store/store_cli.h"
#include "store/verbs.h"

static const char export_usage[] =
	"Usage: devsnap export [--store DIR] ID -o FILE [--force]\n\n"
	"Writes a saved dump's original bytes to FILE, whole or not at all, mode\n"
	"0600.  ID: '#' or NAME (or a unique prefix) from 'devsnap list'; -1 is\n"
	"the newest.  A dump that holds more than its recorded size, or that is\n"
	"recorded as ELF and does not start as one, is refused.\n\n"
	"  -o, --output FILE  where to write it; '-': standard output; a FIFO or\n"
	"                     character device is written into, a symlink refused\n"
	"  --force            write to standard output even where it is a terminal\n"
	"  --store DIR        the store (default $DEVSNAP_STORE, else " STORE_DEFAULT_DIR ")\n";

/* Where export's bytes go, and what they must start with. */
struct export_sink {
	struct dumpfile *df;
	const struct store_entry *e;
	bool elf; /* the metadata says the dump is an ELF file */
};

/* The collector records an ELF dump's content as one of these. */
static bool recorded_as_elf(const struct store_entry *e)
{
	const char *content = json_get_str(e->json, "content");

	return !strcmp(content, "elf") || !strcmp(content, "devsnap") || !strcmp(content, "asahi");
}

static int export_chunk(void *ctx, const void *buf, size_t n)
{
	static const char magic[] = "\177ELF";
	struct export_sink *x = ctx;
	uint64_t pos = x->df->pos;
	const char *p = buf;
	int r;

	for (size_t i = 0; x->elf && pos + i < 4 && i < n; i++)
		if (p[i] != magic[pos + i]) {
			log_error("%s.zst does not start with the ELF header its metadata promises: "
				  "not exported", x->e->name);
			return -EBADMSG;
		}
	r = dumpfile_write(x->df, buf, n);
	if (r < 0)
		return log_error_errno(r, "cannot write %s", x->df->path);
	return 0;
}

/* Decompressed no further than the recorded size; a new file is left
 * only when whole. */
static int export_entry(struct store *s, const struct store_entry *e, const char *path)
{
	_cleanup_close_ int zfd = store_open_dump(s, e->name);
	struct dumpfile df;
	struct export_sink x = { .df = &df, .e = e, .elf = recorded_as_elf(e) };
	int r;

	if (zfd < 0)
		return zfd;
	r = dumpfile_create(&df, path, 0600);
	if (r < 0)
		return r;
	r = unzstd_bounded(zfd, e->name, e->size, export_chunk, &x);
	if (r < 0) {
		dumpfile_discard(&df);
		return r;
	}
	return dumpfile_commit(&df);
}

int verb_export(int argc, char **argv)
{
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, OPT_FORCE },
		STORE_OPTION,
		HELP_OPTION,
		{}
	};
	_cleanup_(store_args_done) struct store_args a = { 0 };
	_cleanup_store_ struct store s = { .dirfd = -1 };
	_cleanup_store_list_ struct store_list l = { 0 };
	size_t i;
	int r = store_args_parse(argc, argv, "ho:", options, export_usage, &a);

	if (r)
		return r < 0 ? r : 0;
	if (a.nids != 1 || !a.output)
		return log_error("give one ID and -o FILE; see 'devsnap export --help'");
	r = store_open_entry(a.store, a.ids[0], &s, &l, &i);
	if (r < 0)
		return r;
	return export_entry(&s, &l.entries[i], a.output);
}
