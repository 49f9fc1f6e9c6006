// SPDX-License-Identifier: MIT
/*
 * make_dump OUT [MACHINE [NSEGS|aliases]]: writes a dump whose bytes the
 * interop tests know: 16 bytes "devsnap-page-A.." at VA 0x10000 (PA
 * 0x80010000), "upper-half-page." at VA 0xffffff8000010000 (PA 0x90000000),
 * an unsaved device page at 0x20000, a firmware-log blob; with NSEGS, that
 * many more one-page segments (for PN_XNUM); with "aliases", the same PAs
 * mapped again (stored once): PA 0x80011000 at 0x30000, 0x80010000-0x80011fff
 * at 0x40000, 0x90000000 at 0xffffff8000020000.  Elsewhere page bytes are
 * pa >> 12.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"

static int fill(void *opaque, const struct ds_segment *seg, uint64_t off, void *buf, size_t len)
{
	uint8_t *b = buf;

	for (size_t i = 0; i < len; i++) {
		uint64_t pa = seg->pa + off + i;

		b[i] = pa - 0x80010000 < 16 ? (uint8_t)"devsnap-page-A.."[pa - 0x80010000] :
		       pa - 0x90000000 < 16 ? (uint8_t)"upper-half-page."[pa - 0x90000000] :
					      (uint8_t)(pa >> 12);
	}
	return 0;
}

static struct ds_segment page(uint64_t va, uint64_t pa, uint64_t size, uint8_t prot)
{
	return (struct ds_segment){ .va = va, .pa = pa, .size = size, .page_shift = 12,
				    .attrs = { prot, DS_MEM_CACHED } };
}

int main(int argc, char **argv)
{
	static const char log[] = "fw: assertion failed in ring 0\n";
	static const struct ds_blob blob = { "firmware-log", log, sizeof(log) - 1 };
	struct ds_dump_info info = { .device = "interop0", .driver = "interop", .reason = "test" };
	bool aliases = argc > 3 && !strcmp(argv[3], "aliases");
	size_t extra = argc > 3 && !aliases ? strtoul(argv[3], NULL, 0) : 0;
	size_t n = 3 + extra + (aliases ? 3 : 0);
	struct ds_segment *segs = calloc(n, sizeof(*segs));
	struct ds_share_entry *index = calloc(n, sizeof(*index));
	struct ds_dump_writer w = { .info = &info, .blobs = &blob, .nblobs = 1, .read_data = fill,
				    .index = index, .index_cap = n };
	static uint8_t chunk[1 << 20];
	FILE *out;

	if (argc < 2 || !segs || !index)
		return 2;
	info.e_machine = argc > 2 ? (uint16_t)strtoul(argv[2], NULL, 0) : 0;
	segs[0] = (struct ds_segment){ .va = 0x10000, .pa = 0x80010000, .size = 0x2000,
				       .pte = 0x80010000 | 0x703, .page_shift = 12,
				       .attrs = { DS_PROT_PR | DS_PROT_PW, DS_MEM_CACHED } };
	segs[1] = (struct ds_segment){ .va = 0x20000, .pa = 0xfe000000, .size = 0x1000, .page_shift = 12,
				       .attrs = { DS_PROT_PR, DS_MEM_DEVICE }, .skip = DS_SKIP_DEVICE };
	for (size_t i = 0; i < extra; i++)
		segs[2 + i] = (struct ds_segment){ .va = 0x100000000ULL + 0x2000 * i, .pa = 0x1000 * i,
						   .size = 0x1000, .page_shift = 12,
						   .attrs = { DS_PROT_PR, DS_MEM_CACHED } };
	if (aliases) {
		segs[2] = page(0x30000, 0x80011000, 0x1000, DS_PROT_PR);
		segs[3] = page(0x40000, 0x80010000, 0x2000, DS_PROT_PR);
		segs[n - 1] = page(0xffffff8000020000ULL, 0x90000000, 0x1000, DS_PROT_PR);
	}
	segs[n - 1 - aliases] = page(0xffffff8000010000ULL, 0x90000000, 0x1000,
				     DS_PROT_PR | DS_PROT_PX);
	w.segs = segs;
	w.nsegs = n;
	if (ds_dump_layout(&w) < 0 || !(out = fopen(argv[1], "wb")))
		return 1;
	for (uint64_t off = 0; off < w.size;) {
		int64_t got = ds_dump_read(&w, off, chunk, sizeof(chunk));

		if (got <= 0 || fwrite(chunk, 1, (size_t)got, out) != (size_t)got)
			return 1;
		off += (uint64_t)got;
	}
	free(index);
	free(segs);
	return fclose(out) ? 1 : 0;
}
