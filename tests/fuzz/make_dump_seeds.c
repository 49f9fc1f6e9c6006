// SPDX-License-Identifier: MIT
/* Writes seeds for fuzz_dump_parse with the real writer: a small dump
 * with saved and skipped segments, notes and a blob, and one past
 * PN_XNUM, so fuzzing starts from files the parser accepts. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dump.h"

static int fill(void *opaque, const struct ds_segment *seg, uint64_t off, void *buf, size_t len)
{
	memset(buf, (int)(seg->va >> 12), len);
	return 0;
}

static int write_seed(const char *dir, const char *name, struct ds_segment *segs, size_t n)
{
	static const struct ds_blob blob = { "firmware-log", "assert\n", 7 };
	static const struct ds_dump_info info = { .device = "gpu0", .driver = "seed", .reason = "r" };
	struct ds_dump_writer w = {
		.info = &info, .segs = segs, .nsegs = n, .blobs = &blob, .nblobs = 1, .read_data = fill,
	};
	char path[4096];
	uint8_t *buf;
	FILE *out;
	int r = -1;

	if (ds_dump_layout(&w) < 0 || !(buf = malloc(w.size)))
		return -1;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (ds_dump_read(&w, 0, buf, w.size) == (int64_t)w.size && (out = fopen(path, "wb"))) {
		r = fwrite(buf, 1, w.size, out) == w.size ? 0 : -1;
		r |= fclose(out);
	}
	free(buf);
	return r;
}

int main(int argc, char **argv)
{
	struct ds_segment small[3] = {
		{ .va = 0x1000, .pa = 0x1000, .size = 0x1000, .page_shift = 12, .pte = 0x1003 },
		{ .va = 0x4000, .pa = 0xfe000000, .size = 0x1000, .page_shift = 12, .skip = DS_SKIP_DEVICE },
		{ .va = 0xffff800000000000ULL, .pa = 0x2000, .size = 0x1000, .page_shift = 12 },
	};
	enum { N = 66000 };
	struct ds_segment *many = calloc(N, sizeof(*many));

	if (argc != 2 || !many) {
		fprintf(stderr, "usage: make_dump_seeds DIR\n");
		return 2;
	}
	if (mkdir(argv[1], 0755) < 0 && errno != EEXIST) {
		perror("make_dump_seeds");
		return 1;
	}
	for (unsigned i = 0; i < N; i++) /* all unsaved: a small file */
		many[i] = (struct ds_segment){ .va = 0x2000ULL * i, .size = 0x1000, .page_shift = 12,
					       .skip = DS_SKIP_NOT_RAM };
	if (write_seed(argv[1], "small", small, 3) < 0 || write_seed(argv[1], "pn_xnum", many, N) < 0) {
		fprintf(stderr, "make_dump_seeds: cannot write seeds in %s\n", argv[1]);
		return 1;
	}
	free(many);
	return 0;
}
