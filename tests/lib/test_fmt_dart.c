// SPDX-License-Identifier: MIT
/* dart, dart-4k and dart2: io-pgtable-dart's PTE bits for both address
 * packings, the TTBR chosen by the VA bits above the two table levels,
 * and subpage windows reported as whole pages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "formats/formats.h"
#include "walk_fixture.h"

#define VALID 1ULL
#define SUBPAGE_FULL DS_GENMASK(51, 40) /* start 0, end 0xfff */
#define DART1_SP_DIS (1ULL << 1)
#define DART1_NO_WRITE (1ULL << 7)
#define DART1_NO_READ (1ULL << 8)
#define DART2_NO_CACHE (1ULL << 1)
#define DART2_NO_WRITE (1ULL << 2)
#define DART2_NO_READ (1ULL << 3)
#define DART1_LEAF (VALID | SUBPAGE_FULL | DART1_SP_DIS)
#define DART2_LEAF (VALID | SUBPAGE_FULL)

/* No privilege levels; exec follows read. */
#define R_BOTH (DS_PROT_PR | DS_PROT_PX | DS_PROT_UR | DS_PROT_UX)
#define W_BOTH (DS_PROT_PW | DS_PROT_UW)
#define RW_BOTH (R_BOTH | W_BOTH)

#define SZ_16K 0x4000ULL

static struct walk_fixture fx;

static void setup(const struct ds_format *f, unsigned va_bits, unsigned nroots)
{
	struct ds_pgtable_config cfg = { .format = f, .va_bits = va_bits, .nroots = nroots };

	fixture_setup(&fx, &cfg, 8 << 20);
}

static int teardown(void **state)
{
	fixture_teardown(&fx);
	return 0;
}

static uint64_t read_entry(uint64_t pa)
{
	uint64_t pte;

	assert_int_equal(memimage_read(&fx.mem, pa, &pte, 8), 0);
	return pte;
}

/* The entry for va in its TTBR's top table. */
static uint64_t top_entry_pa(uint64_t va)
{
	unsigned shift = fx.pt.fmt->page_shift + fx.pt.level_bits;
	unsigned root = (unsigned)(va >> (shift + fx.pt.level_bits));

	return fx.pt.cfg.roots[root] + ((va >> shift) & ((1ULL << fx.pt.top_bits) - 1)) * 8;
}

static void dart1_leaves_have_the_linux_bits(void **state)
{
	uint64_t pa = 0x800004000ULL; /* bit 35, DART1's last */

	setup(&ds_format_dart, 36, 1);
	assert_int_equal(fixture_map(&fx, 0x4000, pa, SZ_16K, 0, DS_PROT_PR | DS_PROT_PW, 0), 0);
	assert_int_equal(fixture_map(&fx, 0xc000, 0x10000, SZ_16K, 0, DS_PROT_UR, 0), 0);
	assert_int_equal(fixture_map(&fx, 0x14000, 0x20000, SZ_16K, 0, DS_PROT_PW, 0), 0);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, 3);
	assert_int_equal(fx.ranges[0].pte, pa | DART1_LEAF);
	assert_int_equal(fx.ranges[0].pa, pa);
	assert_int_equal(fx.ranges[0].attrs.prot, RW_BOTH);
	assert_int_equal(fx.ranges[0].attrs.mem, DS_MEM_UNKNOWN);
	assert_int_equal(fx.ranges[1].pte, 0x10000 | DART1_LEAF | DART1_NO_WRITE);
	assert_int_equal(fx.ranges[1].attrs.prot, R_BOTH);
	assert_int_equal(fx.ranges[2].pte, 0x20000 | DART1_LEAF | DART1_NO_READ);
	assert_int_equal(fx.ranges[2].attrs.prot, W_BOTH);
}

static void dart1_refuses_what_it_cannot_map(void **state)
{
	setup(&ds_format_dart, 36, 1);
	assert_int_equal(fixture_map(&fx, 0x4000, 1ULL << 36, SZ_16K, 0, RW_BOTH, 0), -EINVAL);
	assert_int_equal(fixture_map(&fx, 0x4000, 0x4000, SZ_16K, 0, DS_PROT_PX, 0), -EINVAL);
	assert_int_equal(fixture_map(&fx, 0x4000, 0x4000, SZ_16K, 0, 0, 0), -EINVAL);
}

static void dart2_leaves_have_the_linux_bits(void **state)
{
	uint64_t pa = 0x20000004000ULL; /* bit 41, DART2's last */

	setup(&ds_format_dart2, 36, 1);
	assert_int_equal(fixture_map(&fx, 0x4000, pa, SZ_16K, 0, RW_BOTH, DS_MEM_CACHED), 0);
	assert_int_equal(fixture_map(&fx, 0xc000, 0x10000, SZ_16K, 0, DS_PROT_PR, DS_MEM_UNCACHED),
			 0);
	assert_int_equal(fixture_map(&fx, 0x14000, 0x20000, SZ_16K, 0, DS_PROT_UW, DS_MEM_DEVICE),
			 0);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, 3);
	assert_int_equal(fx.ranges[0].pte, pa >> 4 | DART2_LEAF);
	assert_int_equal(fx.ranges[0].pa, pa);
	assert_int_equal(fx.ranges[0].attrs.prot, RW_BOTH);
	assert_int_equal(fx.ranges[0].attrs.mem, DS_MEM_CACHED);
	assert_int_equal(fx.ranges[1].pte,
			 0x10000 >> 4 | DART2_LEAF | DART2_NO_WRITE | DART2_NO_CACHE);
	assert_int_equal(fx.ranges[1].attrs.prot, R_BOTH);
	assert_int_equal(fx.ranges[1].attrs.mem, DS_MEM_UNCACHED);
	/* DART2 has no device type: uncached is the nearest. */
	assert_int_equal(fx.ranges[2].pte,
			 0x20000 >> 4 | DART2_LEAF | DART2_NO_READ | DART2_NO_CACHE);
	assert_int_equal(fx.ranges[2].attrs.prot, W_BOTH);
	assert_int_equal(fx.ranges[2].attrs.mem, DS_MEM_UNCACHED);
	assert_int_equal(fixture_map(&fx, 0x40000, 1ULL << 42, SZ_16K, 0, RW_BOTH, 0), -EINVAL);
}

static void table_entries_hold_the_packed_address(void **state)
{
	uint64_t pte;

	setup(&ds_format_dart, 36, 1);
	assert_int_equal(fixture_map(&fx, 0x4000, 0x4000, SZ_16K, 0, RW_BOTH, 0), 0);
	pte = read_entry(top_entry_pa(0x4000));
	assert_int_equal(pte & ~DS_GENMASK(35, 12), VALID);
	fixture_teardown(&fx);

	setup(&ds_format_dart2, 36, 1);
	assert_int_equal(fixture_map(&fx, 0x4000, 0x4000, SZ_16K, 0, RW_BOTH, 0), 0);
	pte = read_entry(top_entry_pa(0x4000));
	assert_int_equal(pte & ~DS_GENMASK(37, 10), VALID);
	/* The leaf table is where the shifted address says. */
	assert_int_equal(read_entry(((pte & DS_GENMASK(37, 10)) << 4) + 8),
			 0x4000 >> 4 | DART2_LEAF);
}

static void the_ttbr_is_chosen_by_the_top_va_bits(void **state)
{
	uint64_t va = (3ULL << 36) | 0x8000;

	setup(&ds_format_dart, 38, 4);
	assert_int_equal(fx.pt.levels, 2);
	assert_int_equal(fx.pt.root_bits, 2);
	assert_int_equal(fixture_map(&fx, va, 0x4000, SZ_16K, 0, RW_BOTH, 0), 0);
	assert_int_equal(fixture_map(&fx, 0x8000, 0x8000, SZ_16K, 0, RW_BOTH, 0), 0);
	/* Entry 0 of TTBR 3's table, not of TTBR 0's, leads to the page. */
	assert_true(read_entry(fx.pt.cfg.roots[3]) & VALID);
	assert_int_equal(top_entry_pa(va), fx.pt.cfg.roots[3]);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, 2);
	assert_int_equal(fx.ranges[0].va, 0x8000);
	assert_int_equal(fx.ranges[1].va, va);
	assert_int_equal(fx.ranges[1].pa, 0x4000);
	/* TTBRs 0 and 3 with a leaf table each, TTBRs 1 and 2 empty. */
	assert_int_equal(fx.walk.tables_visited, 6);
	/* A walk of TTBR 3's range alone reads neither of the others. */
	assert_int_equal(fixture_walk(&fx, 3ULL << 36, ~0ULL), 0);
	assert_int_equal(fx.nranges, 1);
	assert_int_equal(fx.ranges[0].va, va);
	assert_int_equal(fx.walk.tables_visited, 2);
}

static void dart_4k_spans_32_bits_over_four_ttbrs(void **state)
{
	uint64_t across = 0x801fe000ULL; /* two pages each side of a leaf-table boundary */

	setup(&ds_format_dart_4k, 0, 4);
	assert_int_equal(fx.pt.cfg.va_bits, 32);
	assert_int_equal(fx.pt.levels, 2);
	assert_int_equal(fx.pt.root_bits, 2);
	assert_int_equal(fx.pt.top_bits, 9);
	assert_int_equal(fixture_map(&fx, 0x40001000, 0x123000, 0x1000, 0, DS_PROT_PR, 0), 0);
	assert_int_equal(fixture_map(&fx, across, 0x200000, 0x4000, 0, RW_BOTH, 0), 0);
	assert_int_equal(fixture_map(&fx, 0xfffff000, 0xfff000, 0x1000, 0, RW_BOTH, 0), 0);
	assert_int_equal(fixture_map(&fx, 1ULL << 32, 0x1000, 0x1000, 0, RW_BOTH, 0), -EINVAL);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, 3);
	assert_int_equal(fx.ranges[0].va, 0x40001000);
	assert_int_equal(fx.ranges[0].pte, 0x123000 | DART1_LEAF | DART1_NO_WRITE);
	assert_int_equal(fx.ranges[0].page_shift, 12);
	assert_int_equal(fx.ranges[1].va, across);
	assert_int_equal(fx.ranges[1].size, 0x4000);
	assert_int_equal(fx.ranges[2].va, 0xfffff000);
	assert_int_equal(top_entry_pa(0xfffff000), fx.pt.cfg.roots[3] + 511 * 8);
}

static void a_subpage_window_still_maps_the_whole_page(void **state)
{
	uint64_t leaf_table, narrowed = 0x8000 >> 4 | VALID | 0x100ULL << 52 | 0x1ffULL << 40;

	setup(&ds_format_dart2, 36, 1);
	assert_int_equal(fixture_map(&fx, 0x4000, 0x4000, 2 * SZ_16K, 0, RW_BOTH, 0), 0);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, 1);
	leaf_table = (read_entry(top_entry_pa(0x4000)) & DS_GENMASK(37, 10)) << 4;
	fixture_poke(&fx, leaf_table + 2 * 8, narrowed);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	/* It no longer merges with its neighbour, but is reported whole. */
	assert_int_equal(fx.nranges, 2);
	assert_int_equal(fx.ranges[1].va, 0x8000);
	assert_int_equal(fx.ranges[1].size, SZ_16K);
	assert_int_equal(fx.ranges[1].pte, narrowed);
	assert_int_equal(fx.ranges[1].attrs.prot, RW_BOTH);
}

static void va_widths_the_ttbrs_cannot_cover_are_refused(void **state)
{
	struct ds_pgtable pt;
	struct ds_error err = { 0 };
	struct ds_pgtable_config cfg = {
		.format = &ds_format_dart, .va_bits = 37, .nroots = 4, .read_phys = memimage_read,
	};

	assert_int_equal(ds_pgtable_init(&pt, &cfg, &err), -EINVAL);
	assert_string_equal(err.what, "more root tables given than the VA width selects");
	cfg.va_bits = 39;
	assert_int_equal(ds_pgtable_init(&pt, &cfg, &err), -EINVAL);
	assert_string_equal(err.what, "VA width outside what the format allows");
	cfg.format = &ds_format_dart_4k;
	cfg.va_bits = 33;
	assert_int_equal(ds_pgtable_init(&pt, &cfg, &err), -EINVAL);
	assert_string_equal(err.what, "VA width outside what the format allows");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(dart1_leaves_have_the_linux_bits, teardown),
		cmocka_unit_test_teardown(dart1_refuses_what_it_cannot_map, teardown),
		cmocka_unit_test_teardown(dart2_leaves_have_the_linux_bits, teardown),
		cmocka_unit_test_teardown(table_entries_hold_the_packed_address, teardown),
		cmocka_unit_test_teardown(the_ttbr_is_chosen_by_the_top_va_bits, teardown),
		cmocka_unit_test_teardown(dart_4k_spans_32_bits_over_four_ttbrs, teardown),
		cmocka_unit_test_teardown(a_subpage_window_still_maps_the_whole_page, teardown),
		cmocka_unit_test(va_widths_the_ttbrs_cannot_cover_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
