// SPDX-License-Identifier: MIT
#include "walk_fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

void fixture_setup(struct walk_fixture *fx, const struct ds_pgtable_config *cfg,
		   uint64_t mem_size)
{
	struct ds_pgtable_config c = *cfg;
	struct ds_error err = { 0 };

	memset(fx, 0, sizeof(*fx));
	assert_int_equal(memimage_init(&fx->mem, 0, mem_size), 0);
	c.read_phys = memimage_read;
	c.opaque = &fx->mem;
	if (!c.nroots)
		c.nroots = 1;
	assert_int_equal(ds_pgtable_init(&fx->pt, &c, &err), 0);
	assert_int_equal(ds_build_roots(&fx->pt, &memimage_build_ops, &fx->mem), 0);
}

void fixture_teardown(struct walk_fixture *fx)
{
	memimage_free(&fx->mem);
}

int fixture_map(struct walk_fixture *fx, uint64_t va, uint64_t pa, uint64_t size,
		unsigned height, uint8_t prot, uint8_t mem)
{
	struct ds_attrs attrs = { .prot = prot, .mem = mem };

	return ds_build_map(&fx->pt, &memimage_build_ops, &fx->mem, va, pa, size, height, &attrs);
}

int fixture_walk(struct walk_fixture *fx, uint64_t first, uint64_t last)
{
	int r = ds_walk_begin(&fx->walk, &fx->pt, first, last);

	fx->nranges = 0;
	while (r == 0 && fx->nranges < FIXTURE_MAX_RANGES) {
		r = ds_walk_next(&fx->walk, &fx->ranges[fx->nranges]);
		if (r == 1) {
			fx->nranges++;
			r = 0;
		} else {
			break;
		}
	}
	return r;
}

uint64_t fixture_entry_pa(struct walk_fixture *fx, uint64_t va, unsigned height)
{
	const struct ds_pgtable *pt = &fx->pt;
	uint64_t table = pt->cfg.roots[0], pte;

	for (unsigned h = pt->levels - 1;; h--) {
		unsigned shift = pt->fmt->page_shift + h * pt->level_bits;
		uint64_t pa = table + ((va >> shift) & ((1ULL << pt->level_bits) - 1)) * 8;
		struct ds_pte_info info = { 0 };

		if (h == height)
			return pa;
		assert_int_equal(memimage_read(&fx->mem, pa, &pte, 8), 0);
		assert_int_equal(pt->fmt->decode(pt, ds_le64(pte), h, &info), 0);
		assert_int_equal(info.kind, DS_PTE_TABLE);
		table = info.pa;
	}
}

void fixture_poke(struct walk_fixture *fx, uint64_t pa, uint64_t pte)
{
	pte = ds_le64(pte);
	assert_int_equal(memimage_write(&fx->mem, pa, &pte, sizeof(pte)), 0);
}
