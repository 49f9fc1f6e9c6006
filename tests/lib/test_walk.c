// SPDX-License-Identifier: MIT
/* The generic walk (lib/walk.c): merging, blocks, clipping, cost, hostile
 * tables.  x86-64 serves as the carrier format; tests/lib/test_fmt_* cover
 * each format's own bits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "formats/formats.h"
#include "walk_fixture.h"

#define K4 0x1000ULL
#define M2 0x200000ULL
#define RW (DS_PROT_PR | DS_PROT_PW)

static struct walk_fixture fx;

static int setup_x86(void **state)
{
	struct ds_pgtable_config cfg = { .format = &ds_format_x86_64 };

	fixture_setup(&fx, &cfg, 4 << 20);
	return 0;
}

static int teardown(void **state)
{
	fixture_teardown(&fx);
	return 0;
}

static void empty_table_yields_nothing(void **state)
{
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, 0);
	assert_int_equal(fx.walk.entries_visited, 512);
}

static void one_page_in_a_sparse_space_costs_four_tables(void **state)
{
	uint64_t va = 0x7ffffffff000ULL;

	assert_int_equal(fixture_map(&fx, va, 0x123000, K4, 0, RW, DS_MEM_CACHED), 0);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, 1);
	assert_int_equal(fx.ranges[0].va, va);
	assert_int_equal(fx.ranges[0].pa, 0x123000);
	assert_int_equal(fx.ranges[0].size, K4);
	assert_int_equal(fx.ranges[0].page_shift, 12);
	assert_int_equal(fx.walk.tables_visited, 4);
	assert_true(fx.walk.entries_visited <= 4 * 512);
}

static void contiguous_pages_merge_into_one_range(void **state)
{
	/* 600 pages cross a page-table boundary: merging spans tables. */
	assert_int_equal(fixture_map(&fx, 0x1ff000, 0x400000, 600 * K4, 0, RW, DS_MEM_CACHED), 0);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, 1);
	assert_int_equal(fx.ranges[0].va, 0x1ff000);
	assert_int_equal(fx.ranges[0].pa, 0x400000);
	assert_int_equal(fx.ranges[0].size, 600 * K4);
}

static void pa_gap_or_new_attributes_split_ranges(void **state)
{
	assert_int_equal(fixture_map(&fx, 0x10000, 0x100000, 2 * K4, 0, RW, DS_MEM_CACHED), 0);
	/* PA jumps: new range. */
	assert_int_equal(fixture_map(&fx, 0x12000, 0x200000, K4, 0, RW, DS_MEM_CACHED), 0);
	/* PA continues but read-only: new range. */
	assert_int_equal(fixture_map(&fx, 0x13000, 0x201000, K4, 0, DS_PROT_PR, DS_MEM_CACHED), 0);
	/* Continues but uncached: new range. */
	assert_int_equal(fixture_map(&fx, 0x14000, 0x202000, K4, 0, DS_PROT_PR, DS_MEM_UNCACHED), 0);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, 4);
	assert_int_equal(fx.ranges[0].size, 2 * K4);
	assert_int_equal(fx.ranges[1].pa, 0x200000);
	assert_int_equal(fx.ranges[2].attrs.prot, DS_PROT_PR);
	assert_int_equal(fx.ranges[3].attrs.mem, DS_MEM_UNCACHED);
}

static void blocks_are_yielded_as_blocks(void **state)
{
	/* Two 2M blocks merge with each other, not with the pages after. */
	assert_int_equal(fixture_map(&fx, 0x40000000, 0x800000, 2 * M2, 1, RW, DS_MEM_CACHED), 0);
	assert_int_equal(fixture_map(&fx, 0x40400000, 0xc00000, 2 * K4, 0, RW, DS_MEM_CACHED), 0);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, 2);
	assert_int_equal(fx.ranges[0].size, 2 * M2);
	assert_int_equal(fx.ranges[0].page_shift, 21);
	assert_int_equal(fx.ranges[1].va, 0x40400000);
	assert_int_equal(fx.ranges[1].page_shift, 12);
}

static void a_va_range_clips_ranges_and_blocks(void **state)
{
	assert_int_equal(fixture_map(&fx, 0x40000000, 0x800000, M2, 1, RW, DS_MEM_CACHED), 0);
	assert_int_equal(fixture_map(&fx, 0x50000000, 0x100000, K4, 0, RW, DS_MEM_CACHED), 0);
	assert_int_equal(fixture_walk(&fx, 0x40003000, 0x40004fff), 0);
	assert_int_equal(fx.nranges, 1);
	assert_int_equal(fx.ranges[0].va, 0x40003000);
	assert_int_equal(fx.ranges[0].pa, 0x803000);
	assert_int_equal(fx.ranges[0].size, 2 * K4);
}

/* Bounds are inclusive and byte-exact at both ends, wherever they fall:
 * in a page, in a block, at the end of a merged run. */
static void bounds_clip_merged_pages_exactly(void **state)
{
	assert_int_equal(fixture_map(&fx, 0x10000, 0x100000, 5 * K4, 0, RW, DS_MEM_CACHED), 0);
	assert_int_equal(fixture_walk(&fx, 0x10000, 0x14000), 0);
	assert_int_equal(fx.nranges, 1);
	assert_int_equal(fx.ranges[0].size, 4 * K4 + 1); /* was 5 pages */
	assert_int_equal(fixture_walk(&fx, 0x10000, 0x13fff), 0);
	assert_int_equal(fx.ranges[0].size, 4 * K4);
	assert_int_equal(fixture_walk(&fx, 0x10800, 0x147ff), 0);
	assert_int_equal(fx.nranges, 1);
	assert_int_equal(fx.ranges[0].va, 0x10800);
	assert_int_equal(fx.ranges[0].pa, 0x100800);
	assert_int_equal(fx.ranges[0].size, 4 * K4);
	assert_int_equal(fixture_walk(&fx, 0x12345, 0x12345), 0);
	assert_int_equal(fx.ranges[0].va, 0x12345);
	assert_int_equal(fx.ranges[0].pa, 0x102345);
	assert_int_equal(fx.ranges[0].size, 1);
	/* Past the mapping: only what is mapped. */
	assert_int_equal(fixture_walk(&fx, 0xf000, 0x15fff), 0);
	assert_int_equal(fx.ranges[0].va, 0x10000);
	assert_int_equal(fx.ranges[0].size, 5 * K4);
}

static void bounds_clip_merged_blocks_exactly(void **state)
{
	assert_int_equal(fixture_map(&fx, 0x40000000, 0x800000, 2 * M2, 1, RW, DS_MEM_CACHED), 0);
	assert_int_equal(fixture_walk(&fx, 0x40001000, 0x40202fff), 0);
	assert_int_equal(fx.nranges, 1);
	assert_int_equal(fx.ranges[0].va, 0x40001000);
	assert_int_equal(fx.ranges[0].pa, 0x801000);
	assert_int_equal(fx.ranges[0].size, M2 + 0x2000);
	assert_int_equal(fx.ranges[0].page_shift, 21);
	/* Two bytes astride the block boundary. */
	assert_int_equal(fixture_walk(&fx, 0x401fffff, 0x40200000), 0);
	assert_int_equal(fx.nranges, 1);
	assert_int_equal(fx.ranges[0].pa, 0x9fffff);
	assert_int_equal(fx.ranges[0].size, 2);
}

static void bounds_clip_a_run_that_crosses_tables(void **state)
{
	/* 600 pages cross a last-level table: the run is merged in two frames. */
	assert_int_equal(fixture_map(&fx, 0x1ff000, 0x400000, 600 * K4, 0, RW, DS_MEM_CACHED), 0);
	assert_int_equal(fixture_walk(&fx, 0x1ff800, 0x1ff000 + 599 * K4 + 0x7ff), 0);
	assert_int_equal(fx.nranges, 1);
	assert_int_equal(fx.ranges[0].va, 0x1ff800);
	assert_int_equal(fx.ranges[0].pa, 0x400800);
	assert_int_equal(fx.ranges[0].size, 599 * K4);
}

static void the_last_page_of_the_space_ends_at_2_64(void **state)
{
	uint64_t top = 0xfffffffffffff000ULL;

	assert_int_equal(fixture_map(&fx, top - K4, 0x300000, 2 * K4, 0, RW, DS_MEM_CACHED), 0);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, 1);
	assert_int_equal(fx.ranges[0].va, top - K4);
	assert_int_equal(fx.ranges[0].va + fx.ranges[0].size, 0); /* 2^64 */
	assert_int_equal(fixture_walk(&fx, top + 0x800, ~0ULL), 0);
	assert_int_equal(fx.nranges, 1);
	assert_int_equal(fx.ranges[0].pa, 0x301800);
	assert_int_equal(fx.ranges[0].size, 0x800);
	assert_int_equal(fixture_walk(&fx, ~0ULL, ~0ULL), 0);
	assert_int_equal(fx.ranges[0].size, 1);
	assert_int_equal(fixture_walk(&fx, top - 0x800, top), 0);
	assert_int_equal(fx.ranges[0].va, top - 0x800);
	assert_int_equal(fx.ranges[0].size, 0x801);
}

static void empty_or_outside_ranges_are_refused(void **state)
{
	assert_int_equal(fixture_walk(&fx, 0x2000, 0x1fff), -EINVAL);
	/* Wholly inside x86-64's non-canonical hole. */
	assert_int_equal(fixture_walk(&fx, 0x0000800000000000ULL, 0xffff7fffffffffffULL), -EINVAL);
	assert_non_null(fx.walk.error.what);
}

static void upper_half_vas_are_sign_extended(void **state)
{
	uint64_t va = 0xffff800000200000ULL;

	assert_int_equal(fixture_map(&fx, va, 0x300000, K4, 0, RW, DS_MEM_CACHED), 0);
	assert_int_equal(fixture_map(&fx, 0x1000, 0x301000, K4, 0, RW, DS_MEM_CACHED), 0);
	/* A non-canonical VA is refused. */
	assert_int_equal(fixture_map(&fx, 0x0000800000000000ULL, 0, K4, 0, RW, 0), -EINVAL);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, 2);
	assert_int_equal(fx.ranges[0].va, 0x1000);
	assert_int_equal(fx.ranges[1].va, va);
	/* Only the upper half. */
	assert_int_equal(fixture_walk(&fx, 0xffff800000000000ULL, ~0ULL), 0);
	assert_int_equal(fx.nranges, 1);
	assert_int_equal(fx.ranges[0].va, va);
}

static void a_table_pointing_at_its_ancestor_is_a_loop(void **state)
{
	uint64_t root = fx.pt.cfg.roots[0];

	assert_int_equal(fixture_map(&fx, 0x1000, 0x1000, K4, 0, RW, DS_MEM_CACHED), 0);
	fixture_poke(&fx, root + 8, root | 0x7); /* PML4[1] -> the PML4 */
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), -ELOOP);
	assert_non_null(fx.walk.error.what);
	assert_int_equal(fx.walk.error.pa, root);
}

static void aliased_tables_hit_the_table_bound(void **state)
{
	uint64_t root = fx.pt.cfg.roots[0], pdpt;

	assert_int_equal(fixture_map(&fx, 0x1000, 0x1000, K4, 0, RW, DS_MEM_CACHED), 0);
	assert_int_equal(memimage_read(&fx.mem, root, &pdpt, 8), 0);
	for (int i = 1; i < 256; i++) /* every PML4 entry -> one PDPT */
		fixture_poke(&fx, root + 8 * i, pdpt);
	fx.pt.cfg.max_tables = 100;
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), -E2BIG);
}

static void a_table_outside_the_source_is_an_error_with_its_address(void **state)
{
	uint64_t root = fx.pt.cfg.roots[0];

	fixture_poke(&fx, root + 16, 0x7fff000000ULL | 0x7);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), -EFAULT);
	assert_int_equal(fx.walk.error.pa, 0x7fff000000ULL);
	assert_int_equal(fx.walk.error.height, 2);
	/* The error sticks. */
	assert_int_equal(ds_walk_next(&fx.walk, &fx.ranges[0]), -EFAULT);
}

static void a_reserved_encoding_is_an_error(void **state)
{
	uint64_t root = fx.pt.cfg.roots[0];

	fixture_poke(&fx, root, 0x40000000ULL | 0x83); /* PS in a PML4 entry */
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), -EINVAL);
	assert_string_equal(fx.walk.error.what, "PS set in a PML4 or PML5 entry");
}

static void tables_narrow_the_permissions_below(void **state)
{
	uint64_t root = fx.pt.cfg.roots[0], pml4e;

	assert_int_equal(fixture_map(&fx, 0x1000, 0x1000, K4, 0, DS_PROT_ALL, DS_MEM_CACHED), 0);
	assert_int_equal(memimage_read(&fx.mem, root, &pml4e, 8), 0);
	fixture_poke(&fx, root, (pml4e & ~0x6ULL) | (1ULL << 63)); /* supervisor, RO, NX */
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, 1);
	assert_int_equal(fx.ranges[0].attrs.prot, DS_PROT_PR);
}

static void bad_configs_are_refused(void **state)
{
	struct ds_pgtable pt;
	struct ds_error err = { 0 };
	struct ds_pgtable_config cfg = {
		.format = &ds_format_x86_64, .nroots = 1, .roots = { 0x1008 },
		.read_phys = memimage_read,
	};

	assert_int_equal(ds_pgtable_init(&pt, &cfg, &err), -EINVAL);
	assert_string_equal(err.what, "root table is not aligned to its size");
	cfg.roots[0] = 0x1000;
	cfg.va_bits = 39;
	assert_int_equal(ds_pgtable_init(&pt, &cfg, &err), -EINVAL);
	cfg.va_bits = 0;
	cfg.nroots = 2;
	assert_int_equal(ds_pgtable_init(&pt, &cfg, &err), -EINVAL);
	cfg.nroots = 1;
	cfg.upper_half = true;
	assert_int_equal(ds_pgtable_init(&pt, &cfg, &err), -EINVAL);
	cfg.upper_half = false;
	assert_int_equal(ds_pgtable_init(&pt, &cfg, &err), 0);
	assert_int_equal(pt.levels, 4);
}

static void builder_refuses_overlaps_and_misalignment(void **state)
{
	assert_int_equal(fixture_map(&fx, 0x200000, 0x200000, M2, 1, RW, 0), 0);
	assert_int_equal(fixture_map(&fx, 0x201000, 0x1000, K4, 0, RW, 0), -EEXIST);
	assert_int_equal(fixture_map(&fx, 0x200000, 0x200000, M2, 1, RW, 0), -EEXIST);
	assert_int_equal(fixture_map(&fx, 0x401000, 0x200000, M2, 1, RW, 0), -EINVAL);
	assert_int_equal(fixture_map(&fx, 0, 0, 0, 0, RW, 0), -EINVAL);
	assert_int_equal(fixture_map(&fx, 0, 0, 1ULL << 39, 3, RW, 0), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup_x86, teardown)
		T(empty_table_yields_nothing),
		T(one_page_in_a_sparse_space_costs_four_tables),
		T(contiguous_pages_merge_into_one_range),
		T(pa_gap_or_new_attributes_split_ranges),
		T(blocks_are_yielded_as_blocks),
		T(a_va_range_clips_ranges_and_blocks),
		T(bounds_clip_merged_pages_exactly),
		T(bounds_clip_merged_blocks_exactly),
		T(bounds_clip_a_run_that_crosses_tables),
		T(the_last_page_of_the_space_ends_at_2_64),
		T(empty_or_outside_ranges_are_refused),
		T(upper_half_vas_are_sign_extended),
		T(a_table_pointing_at_its_ancestor_is_a_loop),
		T(aliased_tables_hit_the_table_bound),
		T(a_table_outside_the_source_is_an_error_with_its_address),
		T(a_reserved_encoding_is_an_error),
		T(tables_narrow_the_permissions_below),
		T(bad_configs_are_refused),
		T(builder_refuses_overlaps_and_misalignment),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
