// SPDX-License-Identifier: MIT
/*
 * Writes one seed per format for fuzz_walk: a real table mapping a few
 * pages and a block, in fuzz_walk's input layout (16-byte header, then
 * physical memory from PA 0), so fuzzing starts from valid walks.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "build.h"

#define MEM_SIZE (512 << 10) /* fuzz_walk reaches roots below 512K */
#define HEADER 16

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

static int write_seed(const char *dir, unsigned index, const struct ds_format *f)
{
	struct ds_pgtable_config cfg = { .format = f, .nroots = 1, .read_phys = seed_read };
	struct ds_attrs rw = { DS_PROT_PR | DS_PROT_PW, DS_MEM_CACHED };
	uint8_t header[HEADER] = { (uint8_t)index };
	uint64_t page = 1ULL << f->page_shift;
	struct ds_pgtable pt;
	char path[4096];
	FILE *out;

	memset(mem, 0, sizeof(mem));
	mem_used = 0;
	if (ds_pgtable_init(&pt, &cfg, NULL) < 0 || ds_build_roots(&pt, &seed_ops, NULL) < 0 ||
	    ds_build_map(&pt, &seed_ops, NULL, 0x10 * page, 0x1000 * page, 4 * page, 0, &rw) < 0)
		return -1;
	header[4] = (uint8_t)(pt.cfg.roots[0] >> 3);
	header[5] = (uint8_t)(pt.cfg.roots[0] >> 11);
	snprintf(path, sizeof(path), "%s/%s", dir, f->name);
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
		if (write_seed(argv[1], i, f) < 0) {
			fprintf(stderr, "make_walk_seeds: cannot write the %s seed\n", f->name);
			return 1;
		}
	return 0;
}
