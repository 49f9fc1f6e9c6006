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
 *   blob.core     a.core's pages and a BLOB note "fwlog"
 *   skips.core    0x10000 saved; 0x20000 and 0x30000 device pages, skipped
 *   top.core      the last two pages of the 64-bit space, saved
 *   top-b.core    top.core with the space's last byte changed
 * and, for verify, copies of them each damaged one way (see damaged()):
 *   over-notes, over-phdrs, over-shdrs, overlap, blob-name, skip-unsorted,
 *   skip-wrap, skip-reason.core
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "dump_parse.h"

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

static const struct ds_blob *dump_blobs;
static size_t dump_nblobs;

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
				    .opaque = (void *)text, .blobs = dump_blobs,
				    .nblobs = dump_nblobs };
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

static uint8_t *slurp(const char *dir, const char *name, size_t *size)
{
	char path[4096];
	uint8_t *d = NULL;
	FILE *in;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!(in = fopen(path, "rb")) || fseek(in, 0, SEEK_END) || (n = ftell(in)) <= 0 ||
	    fseek(in, 0, SEEK_SET) || !(d = malloc((size_t)n)) || fread(d, 1, (size_t)n, in) != (size_t)n)
		exit(1);
	fclose(in);
	*size = (size_t)n;
	return d;
}

static int spit(const char *dir, const char *name, const uint8_t *d, size_t n)
{
	char path[4096];
	FILE *out;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!(out = fopen(path, "wb")) || fwrite(d, 1, n, out) != n)
		return 1;
	return fclose(out) ? 1 : 0;
}

/* The desc of src's first note of this type. */
static uint8_t *note_desc(uint8_t *d, size_t n, uint32_t type)
{
	struct ds_dump_file f;
	struct ds_note_iter it = { 0 };
	struct ds_note note;

	if (ds_dump_open(&f, d, n) < 0)
		exit(1);
	while (ds_dump_next_note(&f, &it, &note) == 1)
		if (ds_note_is(&note, DS_NOTE_NAME, type))
			return (uint8_t *)note.desc;
	exit(1);
}

#define PHDR(d, i) ((d) + 64 + 56 * (i)) /* PT_NOTE is header 0, PT_LOADs follow */

/* dst: a copy of src damaged one way, each a thing verify must not call sound. */
static int damaged(const char *dir, const char *src, const char *dst)
{
	size_t n;
	uint8_t *d = slurp(dir, src, &n);
	uint64_t notes = ds_get_le(PHDR(d, 0) + 8, 8);
	int r;

	if (!strcmp(dst, "over-notes.core")) { /* 0x20000's data on the notes */
		put(PHDR(d, 2) + 8, notes, 8);
		put(PHDR(d, 2) + 32, 0x100, 8), put(PHDR(d, 2) + 40, 0x100, 8);
	} else if (!strcmp(dst, "over-phdrs.core")) { /* ... on the program headers */
		put(PHDR(d, 2) + 8, 64 + 56, 8);
		put(PHDR(d, 2) + 32, 0x10, 8), put(PHDR(d, 2) + 40, 0x10, 8);
	} else if (!strcmp(dst, "over-shdrs.core")) { /* a section header table in its data */
		put(d + 40, ds_get_le(PHDR(d, 2) + 8, 8), 8);
		put(d + 58, 64, 2), put(d + 60, 1, 2);
	} else if (!strcmp(dst, "overlap.core")) { /* 0x10000 grown over 0x20000 */
		put(PHDR(d, 1) + 40, 0x11000, 8);
	} else if (!strcmp(dst, "blob-name.core")) {
		put(note_desc(d, n, DS_NT_BLOB), 0xffffffff, 4);
	} else if (!strcmp(dst, "top-b.core")) {
		d[n - 1] ^= 0xff; /* the last page's data ends the file */
	} else {
		uint8_t *e = note_desc(d, n, DS_NT_SKIPPED) + 8; /* the first of two entries */

		if (!strcmp(dst, "skip-unsorted.core"))
			put(e, 0x40000, 8);
		else if (!strcmp(dst, "skip-wrap.core"))
			put(e + 32 + 16, -0x1000ULL, 8);
		else
			put(e + 24, 99, 4);
	}
	r = spit(dir, dst, d, n);
	free(d);
	return r;
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

	struct ds_segment skips[] = {
		page(0x10000, 0x80010000, 0x1000, RW, 0),
		page(0x20000, 0xfe000000, 0x1000, RW, DS_SKIP_DEVICE),
		page(0x30000, 0xfe001000, 0x1000, RW, DS_SKIP_DEVICE),
	};
	struct ds_segment top[] = {
		page(0xffffffffffffe000, 0x80010000, 0x1000, RW, 0),
		page(0xfffffffffffff000, 0x80011000, 0x1000, RW, 0),
	};
	static const struct ds_blob fwlog = { .name = "fwlog", .data = "ring 3 hung", .size = 11 };
	const char *dir = argv[1];

	if (argc != 2)
		return 2;
	if (write_dump(dir, "a.core", a, 4, "alpha: the first dump") ||
	    write_dump(dir, "b.core", b, 5, "alpha: the firstXdump") ||
	    write_dump(dir, "split.core", split, 2, "split") ||
	    write_dump(dir, "skew.core", skew, 1, "skew") || write_asahi(dir) ||
	    write_dump(dir, "skips.core", skips, 3, "skips") ||
	    write_dump(dir, "top.core", top, 2, "top"))
		return 1;
	dump_blobs = &fwlog, dump_nblobs = 1;
	if (write_dump(dir, "blob.core", a, 4, "alpha: the first dump"))
		return 1;
	return damaged(dir, "a.core", "over-notes.core") || damaged(dir, "a.core", "over-phdrs.core") ||
	       damaged(dir, "a.core", "over-shdrs.core") || damaged(dir, "a.core", "overlap.core") ||
	       damaged(dir, "blob.core", "blob-name.core") ||
	       damaged(dir, "skips.core", "skip-unsorted.core") ||
	       damaged(dir, "skips.core", "skip-wrap.core") ||
	       damaged(dir, "skips.core", "skip-reason.core") ||
	       damaged(dir, "top.core", "top-b.core");
}
