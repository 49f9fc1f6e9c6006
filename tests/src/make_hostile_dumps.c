// SPDX-License-Identifier: MIT
/*
 * make_hostile_dumps DIR [N]: dumps built to hurt readers, written by hand
 * (no devsnap writer would make them):
 *   many.core      N (200 000) one-page PT_LOADs at 0x100000000 + 2 pages
 *                  apart, each after a PT_NULL (so the loads are not
 *                  contiguous in the header table), e_phnum PN_XNUM; every
 *                  1000th segment saved, its bytes (va >> 12) & 0xff
 *   shuffled.core  many.core with the PT_LOADs in a shuffled order
 *   lying.core     an ELF header whose 65534 program headers run past its
 *                  64 KiB end (a truncated dump)
 *   xnum.core      e_phnum PN_XNUM, section 0 claiming 0xffffffff headers
 *   huge.core      one unsaved PT_LOAD of 2^63 bytes at 2^62, one saved page
 *   whole.core     one unsaved PT_LOAD over all of the space but its last byte
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EHDR 64
#define PHDR 56
#define SHDR 64
#define PAGE 4096
#define SAVE_EVERY 1000
#define BASE_VA 0x100000000ULL

static void put(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> 8 * i);
}

static void elf_header(uint8_t *d, uint64_t phnum, uint64_t shoff)
{
	memcpy(d, "\177ELF\2\1\1", 7);
	put(d + 16, 4, 2);  /* ET_CORE */
	put(d + 20, 1, 4);  /* EV_CURRENT */
	put(d + 32, EHDR, 8);
	put(d + 40, shoff, 8);
	put(d + 52, EHDR, 2);
	put(d + 54, PHDR, 2);
	put(d + 56, phnum < 0xffff ? phnum : 0xffff, 2);
	put(d + 58, SHDR, 2);
	put(d + 60, shoff ? 1 : 0, 2);
}

static void load(uint8_t *ph, uint64_t va, uint64_t off, uint64_t filesz, uint64_t memsz)
{
	put(ph, 1, 4);
	put(ph + 4, 6, 4); /* rw- */
	put(ph + 8, off, 8);
	put(ph + 16, va, 8);
	put(ph + 24, va + 0x80000000ULL, 8);
	put(ph + 32, filesz, 8);
	put(ph + 40, memsz, 8);
	put(ph + 48, PAGE, 8);
}

static int write_file(const char *dir, const char *name, const uint8_t *d, size_t n)
{
	char path[4096];
	FILE *out;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	out = fopen(path, "wb");
	if (!out || fwrite(d, 1, n, out) != n) {
		perror(path);
		return 1;
	}
	return fclose(out) ? 1 : 0;
}

/* n loads, each after a PT_NULL; order[i] is the segment the i-th load holds. */
static int write_many(const char *dir, const char *name, uint32_t n, const uint32_t *order)
{
	uint64_t phnum = 2ULL * n, shoff = EHDR + phnum * PHDR, data = shoff + SHDR;
	uint64_t size = data + (uint64_t)(n + SAVE_EVERY - 1) / SAVE_EVERY * PAGE;
	uint8_t *d = calloc(1, size);
	int r;

	if (!d)
		return 1;
	elf_header(d, phnum, shoff);
	put(d + shoff + 44, phnum, 4); /* sh_info: the real e_phnum */
	for (uint32_t i = 0; i < n; i++) {
		uint32_t s = order[i];
		uint64_t va = BASE_VA + (uint64_t)s * 2 * PAGE;
		uint64_t off = s % SAVE_EVERY ? 0 : data + (uint64_t)(s / SAVE_EVERY) * PAGE;

		load(d + EHDR + (2ULL * i + 1) * PHDR, va, off, off ? PAGE : 0, PAGE);
		if (off)
			memset(d + off, (int)(uint8_t)(va >> 12), PAGE);
	}
	r = write_file(dir, name, d, size);
	free(d);
	return r;
}

static int write_lying(const char *dir)
{
	static uint8_t d[1 << 16];

	elf_header(d, 0xfffe, 0);
	return write_file(dir, "lying.core", d, sizeof(d));
}

static int write_xnum(const char *dir)
{
	static uint8_t d[EHDR + PHDR + SHDR];

	elf_header(d, 0xffff, EHDR + PHDR);
	put(d + EHDR + PHDR + 44, 0xffffffff, 4);
	load(d + EHDR, BASE_VA, 0, 0, PAGE);
	return write_file(dir, "xnum.core", d, sizeof(d));
}

/* Segments as given: {va, memsz, saved}, the saved ones' bytes after the headers. */
static int write_loads(const char *dir, const char *name, const uint64_t (*segs)[3], uint32_t n)
{
	uint64_t data = EHDR + (uint64_t)n * PHDR, size = data;
	uint8_t d[EHDR + 4 * PHDR + 4 * PAGE] = { 0 };

	elf_header(d, n, 0);
	for (uint32_t i = 0; i < n; i++) {
		load(d + EHDR + i * PHDR, segs[i][0], segs[i][2] ? size : 0, segs[i][2] ? PAGE : 0,
		     segs[i][1]);
		if (segs[i][2])
			memset(d + size, 0x5a, PAGE), size += PAGE;
	}
	return write_file(dir, name, d, size);
}

int main(int argc, char **argv)
{
	uint32_t n = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 0) : 200000, *order;
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	int r;

	if (argc < 2 || !n || !(order = calloc(n, sizeof(*order))))
		return 2;
	for (uint32_t i = 0; i < n; i++)
		order[i] = i;
	r = write_many(argv[1], "many.core", n, order);
	for (uint32_t i = n - 1; i > 0; i--) { /* Fisher-Yates on a fixed xorshift */
		uint32_t j, t;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		j = (uint32_t)(x % (i + 1));
		t = order[i], order[i] = order[j], order[j] = t;
	}
	static const uint64_t huge[][3] = { { 1ULL << 62, 1ULL << 63, 0 }, { 0x1000, PAGE, 1 } };
	static const uint64_t whole[][3] = { { 0, ~0ULL, 0 } };

	r = r || write_many(argv[1], "shuffled.core", n, order) || write_lying(argv[1]) ||
	    write_xnum(argv[1]) || write_loads(argv[1], "huge.core", huge, 2) ||
	    write_loads(argv[1], "whole.core", whole, 1);
	free(order);
	return r;
}
