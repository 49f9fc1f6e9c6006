// SPDX-License-Identifier: MIT
/*
 * make_reader_dumps DIR: the dumps the reader tests check, with bytes they
 * can predict (page bytes are (va >> 12) & 0xff unless said otherwise):
 *   a.core        0x10000 2 pages "alpha..." saved; 0x20000 1 page saved;
 *                 0x30000 device page unsaved; 0x40000 1 page saved
 *   b.core        a.core changed: byte 0x10010 is 'X'; 0x20000 at another PA;
 *                 0x30000 same; 0x40000 read-only; 0x50000 added;
 *                 0x11000 gone
 *   asahi.core    an Asahi drm/asahi GPU dump: AGX and RTKIT notes, one
 *                 saved page at 0xffffffa000000000, PT_LOADs out of VA order
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"

#define RW (DS_PROT_PR | DS_PROT_PW)

static int fill(void *opaque, const struct ds_segment *seg, uint64_t off, void *buf, size_t len)
{
	const char *text = opaque;
	uint8_t *b = buf;

	for (size_t i = 0; i < len; i++) {
		uint64_t va = seg->va + off + i;

		b[i] = (uint8_t)(va >> 12);
		if (va >= 0x10000 && va < 0x10000 + strlen(text))
			b[i] = (uint8_t)text[va - 0x10000];
	}
	return 0;
}

/* The tables are never walked here: the dump only records their shape. */
static int no_memory(void *opaque, uint64_t pa, void *buf, size_t len)
{
	return -EFAULT;
}

static int write_dump(const char *dir, const char *name, struct ds_segment *segs, size_t n,
		      const char *text)
{
	struct ds_pgtable_config cfg = { .format = ds_format_find("arm64-4k"), .nroots = 1,
					 .roots = { 0x80000000 }, .read_phys = no_memory };
	struct ds_dump_info info = { .device = "reader0", .driver = "readers", .reason = "test",
				     .time_ns = 1795599115000000000ULL };
	struct ds_error err;
	struct ds_pgtable pt;
	struct ds_dump_writer w = { .info = &info, .segs = segs, .nsegs = n, .read_data = fill,
				    .opaque = (void *)text };
	static uint8_t chunk[1 << 16];
	char path[4096];
	FILE *out;

	if (ds_pgtable_init(&pt, &cfg, &err) < 0)
		return 1;
	info.pt = &pt;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (ds_dump_layout(&w) < 0 || !(out = fopen(path, "wb")))
		return 1;
	for (uint64_t off = 0; off < w.size;) {
		int64_t got = ds_dump_read(&w, off, chunk, sizeof(chunk));

		if (got <= 0 || fwrite(chunk, 1, (size_t)got, out) != (size_t)got)
			return 1;
		off += (uint64_t)got;
	}
	return fclose(out) ? 1 : 0;
}

static struct ds_segment page(uint64_t va, uint64_t pa, uint64_t size, uint8_t prot,
			      uint8_t skip)
{
	return (struct ds_segment){ .va = va, .pa = pa, .size = size, .page_shift = 12,
				    .pte = pa | (prot & DS_PROT_PW ? 0x703 : 0x783),
				    .attrs = { prot, skip ? DS_MEM_DEVICE : DS_MEM_CACHED },
				    .skip = skip };
}

/* A piece of a 2M block, as a snapshot splits one at a budget. */
static struct ds_segment block_piece(uint64_t va, uint64_t pa, uint64_t size, uint8_t skip)
{
	struct ds_segment seg = page(va, pa, size, RW, 0);

	seg.page_shift = 21;
	seg.skip = skip;
	return seg;
}

static void put(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> 8 * i);
}

/* crashdump.rs's layout: PT_NOTE, then PT_LOADs, then notes, then data. */
static int write_asahi(const char *dir)
{
	static uint8_t d[64 + 3 * 56 + 256 + 4096];
	uint8_t *ph = d + 64, *note = d + 64 + 3 * 56, *log;
	uint64_t data = sizeof(d) - 4096;
	char path[4096];
	FILE *out;

	memcpy(d, "\177ELF\2\1\1", 7);
	put(d + 16, 4, 2), put(d + 18, 183, 2), put(d + 32, 64, 8), put(d + 54, 56, 2);
	put(d + 56, 3, 2);
	put(ph, 4, 4), put(ph + 8, (uint64_t)(note - d), 8), put(ph + 32, 16 + 52 + 20 + 84, 8);
	/* The saved page after an unsaved one at a lower VA: out of order. */
	put(ph + 56, 1, 4), put(ph + 56 + 4, 4, 4), put(ph + 56 + 8, data, 8);
	put(ph + 56 + 16, 0xffffffa000000000ULL, 8), put(ph + 56 + 24, 0x800000000ULL, 8);
	put(ph + 56 + 32, 4096, 8), put(ph + 56 + 40, 4096, 8), put(ph + 56 + 48, 4096, 8);
	put(ph + 112, 1, 4), put(ph + 112 + 4, 6, 4);
	put(ph + 112 + 16, 0xffffff8000000000ULL, 8), put(ph + 112 + 24, 0x200000000ULL, 8);
	put(ph + 112 + 40, 0x4000, 8), put(ph + 112 + 48, 0x4000, 8);
	/* AGX type 1: AGXDumpInfo. */
	put(note, 4, 4), put(note + 4, 52, 4), put(note + 8, 1, 4);
	memcpy(note + 12, "AGX", 4);
	put(note + 16, 0x1234000, 8), put(note + 24, 0x6000, 4), put(note + 28, 13, 4);
	put(note + 40, 38, 4), put(note + 44, 13, 4), put(note + 48, 5, 4);
	/* RTKIT type 1: CLHE header, a Cstr section (u32 id, message), CLHE. */
	note += 16 + 52;
	put(note, 6, 4), put(note + 4, 32 + 16 + 20 + 16, 4), put(note + 8, 1, 4);
	memcpy(note + 12, "RTKIT", 6);
	log = note + 20;
	memcpy(log, "EHLC", 4), put(log + 8, 32 + 16 + 20, 4);
	memcpy(log + 32, "rtsC", 4), put(log + 32 + 12, 16 + 20, 4);
	memcpy(log + 48 + 4, "ASSERT ring.c:42", 16);
	memcpy(log + 32 + 16 + 20, "EHLC", 4);
	memset(d + data, 0xa5, 4096);
	snprintf(path, sizeof(path), "%s/asahi.core", dir);
	if (!(out = fopen(path, "wb")) || fwrite(d, 1, sizeof(d), out) != sizeof(d))
		return 1;
	return fclose(out) ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct ds_segment a[] = {
		page(0x10000, 0x80010000, 0x2000, RW, 0),
		page(0x20000, 0x80020000, 0x1000, RW, 0),
		page(0x30000, 0xfe000000, 0x1000, RW, DS_SKIP_DEVICE),
		page(0x40000, 0x80040000, 0x1000, RW, 0),
	};
	struct ds_segment b[] = {
		page(0x10000, 0x80010000, 0x1000, RW, 0),
		page(0x20000, 0x80099000, 0x1000, RW, 0),
		page(0x30000, 0xfe000000, 0x1000, RW, DS_SKIP_DEVICE),
		page(0x40000, 0x80040000, 0x1000, DS_PROT_PR, 0),
		page(0x50000, 0x80050000, 0x1000, RW, 0),
	};

	/* A block saved up to a budget; and a piece at the wrong PA offset. */
	struct ds_segment split[] = {
		block_piece(0x200000, 0x80200000, 0x100000, 0),
		block_piece(0x300000, 0x80300000, 0x100000, DS_SKIP_BUDGET),
	};
	struct ds_segment skew[] = { block_piece(0x200000, 0x80201000, 0x1000, 0) };

	if (argc != 2)
		return 2;
	return write_dump(argv[1], "a.core", a, 4, "alpha: the first dump") ||
	       write_dump(argv[1], "b.core", b, 5, "alpha: the firstXdump") ||
	       write_dump(argv[1], "split.core", split, 2, "split") ||
	       write_dump(argv[1], "skew.core", skew, 1, "skew") || write_asahi(argv[1]);
}
