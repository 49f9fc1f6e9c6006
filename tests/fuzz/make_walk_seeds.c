// SPDX-License-Identifier: MIT
/*
 * Writes seeds for fuzz_walk, per format: a real table mapping a few
 * pages, walked whole, over an unaligned range, at the top of the space
 * (formats that have one) and with a lying classify, in fuzz_walk's input
 * layout (32-byte header, then physical memory from PA 0), so fuzzing
 * starts from valid walks.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "build.h"

#define MEM_SIZE (512 << 10) /* fuzz_walk reaches roots below 512K */
#define HEADER 32 /* fuzz_walk's */

static uint8_t mem[MEM_SIZE];
static uint64_t mem_used; /* tables are packed from PA 0 up: small seeds */

static int seed_read(void *opaque, uint64_t pa, void *buf, size_t len)
{
	if (pa > MEM_SIZE || len > MEM_SIZE - pa)
		return -EFAULT;
	memcpy(buf, mem + pa, len);
	return 0;
}

static int seed_write(void *opaque, uint64_t pa, const void *buf, size_t len)
{
	if (pa > MEM_SIZE || len > MEM_SIZE - pa)
		return -EFAULT;
	memcpy(mem + pa, buf, len);
	return 0;
}

static int seed_alloc(void *opaque, uint64_t size, uint64_t *pa)
{
	uint64_t at = (mem_used + size - 1) & ~(size - 1);

	if (at + size > MEM_SIZE)
		return -ENOMEM;
	mem_used = at + size;
	memset(mem + at, 0, size);
	*pa = at;
	return 0;
}

static const struct ds_build_ops seed_ops = { seed_alloc, seed_write };

enum seed_kind { SEED_WHOLE, SEED_UNALIGNED, SEED_TOP, SEED_LIAR, SEED_KINDS };
static const char *const seed_names[SEED_KINDS] = { "", "-unaligned", "-top", "-liar" };

static void put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> 8 * i);
}

/* fuzz_walk's header for a seed: the range mode and numbers, budget and
 * classify flags of its kind (see fuzz_walk.c). */
static void seed_header(uint8_t *h, enum seed_kind kind, uint64_t page, bool upper)
{
	h[2] = upper;
	switch (kind) {
	case SEED_UNALIGNED: /* [0x10 pages + 0x123, + 2 pages], 2 pages budget, partial */
		h[14] = 2;
		put_le64(h + 16, 0x10 * page + 0x123);
		put_le64(h + 24, 2 * page);
		h[15] = 0x80 | 2;
		break;
	case SEED_TOP: /* the last 2 pages and a bit, ending 0x7ff below 2^64 */
		h[14] = 3;
		put_le64(h + 16, 2 * page + 0x100);
		put_le64(h + 24, 0x7ff);
		break;
	case SEED_LIAR: /* the 4th classify call lies */
		h[2] |= 2;
		h[15] = 3;
		break;
	default:
		break;
	}
}

static int write_seed(const char *dir, unsigned index, const struct ds_format *f,
		      enum seed_kind kind)
{
	bool top = kind == SEED_TOP, upper = top && (f->flags & DS_FMT_UPPER_HALF);
	struct ds_pgtable_config cfg = { .format = f, .nroots = 1, .upper_half = upper,
					 .read_phys = seed_read };
	struct ds_attrs rw = { DS_PROT_PR | DS_PROT_PW, DS_MEM_CACHED };
	uint8_t header[HEADER] = { (uint8_t)index, (uint8_t)(f->default_va_bits - f->min_va_bits) };
	uint64_t page = 1ULL << f->page_shift, va = top ? ~0ULL - 4 * page + 1 : 0x10 * page;
	struct ds_pgtable pt;
	char path[4096];
	FILE *out;

	memset(mem, 0, sizeof(mem));
	mem_used = 0;
	if (ds_pgtable_init(&pt, &cfg, NULL) < 0 || ds_build_roots(&pt, &seed_ops, NULL) < 0 ||
	    ds_build_map(&pt, &seed_ops, NULL, va, 0x1000 * page, 4 * page, 0, &rw) < 0)
		return -1;
	seed_header(header, kind, page, upper);
	header[4] = (uint8_t)(pt.cfg.roots[0] >> 3);
	header[5] = (uint8_t)(pt.cfg.roots[0] >> 11);
	snprintf(path, sizeof(path), "%s/%s%s", dir, f->name, seed_names[kind]);
	out = fopen(path, "wb");
	if (!out || fwrite(header, 1, HEADER, out) != HEADER ||
	    fwrite(mem, 1, mem_used, out) != mem_used) {
		if (out)
			fclose(out);
		return -1;
	}
	return fclose(out);
}

int main(int argc, char **argv)
{
	const struct ds_format *f;

	if (argc != 2) {
		fprintf(stderr, "usage: make_walk_seeds DIR\n");
		return 2;
	}
	if (mkdir(argv[1], 0755) < 0 && errno != EEXIST) {
		perror("make_walk_seeds");
		return 1;
	}
	for (unsigned i = 0; (f = ds_format_at(i)); i++)
		for (enum seed_kind kind = SEED_WHOLE; kind < SEED_KINDS; kind++) {
			if (kind == SEED_TOP && !(f->flags & (DS_FMT_UPPER_HALF | DS_FMT_SIGN_EXTEND)))
				continue; /* no VA near 2^64 */
			if (write_seed(argv[1], i, f, kind) < 0) {
				fprintf(stderr, "make_walk_seeds: cannot write the %s%s seed\n", f->name,
					seed_names[kind]);
				return 1;
			}
		}
	return 0;
}
