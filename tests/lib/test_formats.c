// SPDX-License-Identifier: MIT
/* Properties every format must have, checked on each through the builder:
 * blocks exactly where the format allows them, attributes that survive a
 * build -> walk -> build round trip, runs that merge, and both halves of
 * the address space where the format has them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "walk_fixture.h"

static struct walk_fixture fx;

static void setup_format(const struct ds_format *f, unsigned va_bits, bool upper)
{
	struct ds_pgtable_config cfg = { .format = f, .va_bits = va_bits, .upper_half = upper };

	fixture_setup(&fx, &cfg, 8 << 20);
}

/* The first VA of the space: the upper half's start for sign-extending formats. */
static uint64_t space_base(void)
{
	uint64_t raw = 0;

	return ds_pgtable_canonical_va(&fx.pt, raw);
}

static void blocks_exactly_where_allowed(void **state)
{
	const struct ds_format *f;

	for (unsigned i = 0; (f = ds_format_at(i)); i++) {
		setup_format(f, 0, false);
		for (unsigned h = 0; h < fx.pt.levels; h++) {
			uint64_t size = ds_leaf_size(&fx.pt, h);
			bool allowed = f->leaf_heights & (1u << h);
			/* A block's PA beyond the image is fine: leaves are never read. */
			int r = fixture_map(&fx, size * 2, size * 3, size, h, DS_PROT_PR | DS_PROT_PW,
					    DS_MEM_CACHED);

			if (!allowed) {
				assert_int_equal(r, -EINVAL);
				continue;
			}
			assert_int_equal(r, 0);
			assert_int_equal(fixture_walk(&fx, size * 2, size * 3 - 1), 0);
			assert_int_equal(fx.nranges, 1);
			assert_int_equal(fx.ranges[0].pa, size * 3);
			assert_int_equal(fx.ranges[0].size, size);
			assert_int_equal(1ULL << fx.ranges[0].page_shift, size);
		}
		fixture_teardown(&fx);
	}
}

static void attributes_survive_a_round_trip(void **state)
{
	const struct ds_format *f;

	for (unsigned i = 0; (f = ds_format_at(i)); i++) {
		uint64_t page;
		unsigned tried = 0;

		setup_format(f, 0, false);
		page = 1ULL << f->page_shift;
		for (unsigned prot = 1; prot <= DS_PROT_ALL; prot++) {
			for (uint8_t mem = DS_MEM_CACHED; mem <= DS_MEM_DEVICE; mem++) {
				uint64_t va = page * (4 * tried + 1);
				struct ds_range first;

				if (fixture_map(&fx, va, 0x100000, page, 0, (uint8_t)prot, mem) < 0)
					continue; /* not expressible in this format */
				assert_int_equal(fixture_walk(&fx, va, va + page - 1), 0);
				first = fx.ranges[0];
				/* What the walk decoded maps to the same attributes again
				 * (not always the same bits: arm64's EL0-writable pages are
				 * PXN whatever the PXN bit says). */
				assert_int_equal(fixture_map(&fx, va + 2 * page, 0x100000, page, 0,
							     first.attrs.prot, first.attrs.mem), 0);
				assert_int_equal(fixture_walk(&fx, va + 2 * page, va + 3 * page - 1), 0);
				assert_int_equal(fx.ranges[0].attrs.prot, first.attrs.prot);
				assert_int_equal(fx.ranges[0].attrs.mem, first.attrs.mem);
				tried++;
			}
		}
		/* Every format expresses more than one kind of mapping. */
		if (tried < 4)
			fail_msg("%s: only %u attribute combinations map", f->name, tried);
		fixture_teardown(&fx);
	}
}

static void contiguous_pages_merge_in_every_format(void **state)
{
	const struct ds_format *f;

	for (unsigned i = 0; (f = ds_format_at(i)); i++) {
		uint64_t page;

		setup_format(f, 0, false);
		page = 1ULL << f->page_shift;
		/* Across a table boundary (the table holds 1 << level_bits entries). */
		uint64_t va = (page << fx.pt.level_bits) - 3 * page;

		assert_int_equal(fixture_map(&fx, va, 0x200000, 6 * page, 0, DS_PROT_PR | DS_PROT_PW,
					     DS_MEM_CACHED), 0);
		assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
		assert_int_equal(fx.nranges, 1);
		assert_int_equal(fx.ranges[0].va, va);
		assert_int_equal(fx.ranges[0].size, 6 * page);
		fixture_teardown(&fx);
	}
}

static void both_halves_where_the_format_has_them(void **state)
{
	const struct ds_format *f;

	for (unsigned i = 0; (f = ds_format_at(i)); i++) {
		bool split = f->flags & (DS_FMT_UPPER_HALF | DS_FMT_SIGN_EXTEND);
		uint64_t page = 1ULL << f->page_shift, top;

		if (!split)
			continue;
		setup_format(f, 0, f->flags & DS_FMT_UPPER_HALF);
		top = ~0ULL - page + 1; /* the last page of the upper half */
		assert_int_equal(fixture_map(&fx, top, 0x300000, page, 0, DS_PROT_PR, DS_MEM_CACHED), 0);
		assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
		assert_int_equal(fx.nranges, 1);
		assert_int_equal(fx.ranges[0].va, top);
		assert_true(space_base() <= top);
		fixture_teardown(&fx);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(blocks_exactly_where_allowed),
		cmocka_unit_test(attributes_survive_a_round_trip),
		cmocka_unit_test(contiguous_pages_merge_in_every_format),
		cmocka_unit_test(both_halves_where_the_format_has_them),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
