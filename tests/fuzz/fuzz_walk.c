// SPDX-License-Identifier: MIT
/*
 * The walker over arbitrary table memory: the first bytes choose the
 * format, VA width, half and roots; the rest is physical memory from PA 0.
 * Any input must end in ranges or a clean error, within the table bound.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pgtable.h"

#define HEADER 16

struct fuzz_mem {
	const uint8_t *bytes;
	size_t size;
};

static int fuzz_read(void *opaque, uint64_t pa, void *buf, size_t len)
{
	const struct fuzz_mem *m = opaque;

	if (pa > m->size || len > m->size - pa)
		return -EFAULT;
	memcpy(buf, m->bytes + pa, len);
	return 0;
}

static unsigned count_formats(void)
{
	unsigned n = 0;

	while (ds_format_at(n))
		n++;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_mem mem = { data + HEADER, size - HEADER };
	struct ds_pgtable_config cfg = { 0 };
	struct ds_pgtable pt;
	struct ds_walk w;
	struct ds_range r;
	const struct ds_format *f;
	int ret;

	if (size < HEADER)
		return 0;
	f = ds_format_at(data[0] % count_formats());
	cfg.format = f;
	cfg.va_bits = f->min_va_bits + data[1] % (f->max_va_bits - f->min_va_bits + 1);
	cfg.upper_half = (data[2] & 1) && (f->flags & DS_FMT_UPPER_HALF);
	cfg.nroots = 1 + data[3] % f->max_roots;
	for (unsigned i = 0; i < cfg.nroots; i++) /* roots inside the image, mostly */
		cfg.roots[i] = (uint64_t)(data[4 + 2 * i] | data[5 + 2 * i] << 8) << 3;
	cfg.mair = (uint64_t)data[12] << 8 | data[13];
	cfg.max_tables = 64;
	cfg.read_phys = fuzz_read;
	cfg.opaque = &mem;
	if (ds_pgtable_init(&pt, &cfg, NULL) < 0)
		return 0;
	if (ds_walk_begin(&w, &pt, 0, ~0ULL) < 0)
		return 0;
	while ((ret = ds_walk_next(&w, &r)) == 1) {
		/* Ranges are non-empty, inside the walk, and come in VA order. */
		if (r.size == 0 || r.va + (r.size - 1) < r.va)
			__builtin_trap();
	}
	if (ret < 0 && !w.error.what)
		__builtin_trap();
	return 0;
}
