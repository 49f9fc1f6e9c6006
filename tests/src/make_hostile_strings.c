// SPDX-License-Identifier: MIT
/*
 * make_hostile_strings OUT DEVICE DRIVER REASON FORMAT BLOB: OUT, a devsnap
 * dump (a saved page at 0x10000, an unsaved device page at 0x30000) whose
 * INFO note carries DEVICE, DRIVER, REASON and FORMAT as the format's name,
 * and a BLOB note named BLOB: what a hostile or broken producer could
 * write, made by the real writer.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dump.h"

static int fill(void *opaque, const struct ds_segment *seg, uint64_t off, void *buf, size_t len)
{
	memset(buf, 0x5a, len);
	return 0;
}

/* The tables are never walked here: the dump only records their shape. */
static int no_memory(void *opaque, uint64_t pa, void *buf, size_t len)
{
	return -EFAULT;
}

static struct ds_segment page(uint64_t va, uint64_t pa, uint8_t skip)
{
	return (struct ds_segment){ .va = va, .pa = pa, .size = 0x1000, .page_shift = 12,
				    .pte = pa | 0x703,
				    .attrs = { DS_PROT_PR | DS_PROT_PW,
					       skip ? DS_MEM_DEVICE : DS_MEM_CACHED },
				    .skip = skip };
}

int main(int argc, char **argv)
{
	struct ds_pgtable_config cfg = { .format = ds_format_find("arm64-4k"), .nroots = 1,
					 .roots = { 0x80000000 }, .read_phys = no_memory };
	struct ds_segment segs[] = { page(0x10000, 0x80010000, 0),
				     page(0x30000, 0xfe000000, DS_SKIP_DEVICE) };
	static const char log[] = "firmware log";
	struct ds_blob blob = { .data = log, .size = sizeof(log) };
	struct ds_dump_info info = { .time_ns = 1795599115000000000ULL };
	struct ds_dump_writer w = { .info = &info, .segs = segs, .nsegs = 2, .blobs = &blob,
				    .nblobs = 1, .read_data = fill };
	static uint8_t chunk[1 << 16];
	struct ds_format format;
	struct ds_error err;
	struct ds_pgtable pt;
	FILE *out;

	if (argc != 7)
		return 2;
	if (ds_pgtable_init(&pt, &cfg, &err) < 0)
		return 1;
	format = *pt.fmt; /* the writer takes the name from the format */
	format.name = argv[5];
	pt.fmt = &format;
	info = (struct ds_dump_info){ .device = argv[2], .driver = argv[3], .reason = argv[4],
				      .pt = &pt, .time_ns = info.time_ns };
	blob.name = argv[6];
	if (ds_dump_layout(&w) < 0 || !(out = fopen(argv[1], "wb")))
		return 1;
	for (uint64_t off = 0; off < w.size;) {
		int64_t got = ds_dump_read(&w, off, chunk, sizeof(chunk));

		if (got <= 0 || fwrite(chunk, 1, (size_t)got, out) != (size_t)got)
			return 1;
		off += (uint64_t)got;
	}
	return fclose(out) ? 1 : 0;
}
