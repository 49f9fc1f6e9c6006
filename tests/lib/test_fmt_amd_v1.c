// SPDX-License-Identifier: MIT
/* amd-v1: AMD IOMMU v1 tables of 1 to 6 levels; IR/IW/FC as the spec
 * encodes them; pages of the entry's size (next level 0) and of any larger
 * power of two (next level 7, repeated entries); tables that skip levels;
 * reserved bits, bad next levels and impossible widths refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "formats/formats.h"
#include "walk_fixture.h"

#define PR 0x1ULL
#define NL(n) ((uint64_t)(n) << 9)
#define FC (1ULL << 60)
#define IR (1ULL << 61)
#define IW (1ULL << 62)
#define NEXT_TABLE(pte) ((pte) & DS_GENMASK(51, 12))
#define BOTH(p) ((uint8_t)((p) | (p) << 3))
#define READ_FETCH (DS_PROT_PR | DS_PROT_PX)

static struct walk_fixture fx;

static void setup(unsigned va_bits)
{
	struct ds_pgtable_config cfg = { .format = &ds_format_amd_v1, .va_bits = va_bits };

	fixture_setup(&fx, &cfg, 64 << 20);
}

static int teardown(void **state)
{
	fixture_teardown(&fx);
	return 0;
}

static uint64_t peek(uint64_t pa)
{
	uint64_t pte;

	assert_int_equal(memimage_read(&fx.mem, pa, &pte, 8), 0);
	return ds_le64(pte);
}

/* The PA of the entry at height h on the path to va, whose tables exist. */
static uint64_t entry_pa(uint64_t va, unsigned height)
{
	uint64_t table = fx.pt.cfg.roots[0];

	for (unsigned h = fx.pt.levels - 1;; h--) {
		uint64_t pa = table + ((va >> (12 + 9 * h)) & 511) * 8;

		if (h == height)
			return pa;
		table = NEXT_TABLE(peek(pa));
	}
}

static void every_permission_has_the_spec_bits(void **state)
{
	static const struct {
		uint8_t prot, mem;
		uint64_t bits;
	} cases[] = {
		{ READ_FETCH, DS_MEM_UNKNOWN, IR },
		{ DS_PROT_PW, DS_MEM_UNKNOWN, IW },
		{ READ_FETCH | DS_PROT_PW, DS_MEM_UNKNOWN, IR | IW },
		{ READ_FETCH | DS_PROT_PW, DS_MEM_CACHED, IR | IW | FC },
		{ 0, DS_MEM_UNKNOWN, 0 }, /* present, no access: mapped all the same */
	};

	setup(48);
	for (unsigned i = 0; i < DS_ARRAY_SIZE(cases); i++)
		assert_int_equal(fixture_map(&fx, 0x10000 + i * 0x2000, 0x100000 + i * 0x1000,
					     0x1000, 0, cases[i].prot, cases[i].mem), 0);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, DS_ARRAY_SIZE(cases));
	for (unsigned i = 0; i < DS_ARRAY_SIZE(cases); i++) {
		assert_int_equal(fx.ranges[i].pte, 0x100000 + i * 0x1000 + (PR | cases[i].bits));
		assert_int_equal(fx.ranges[i].attrs.prot, BOTH(cases[i].prot));
		assert_int_equal(fx.ranges[i].attrs.mem, cases[i].mem);
	}
	/* The tables name their next level and grant IR|IW. */
	assert_int_equal(peek(entry_pa(0x10000, 3)) & ~DS_GENMASK(51, 12), PR | NL(3) | IR | IW);
	assert_int_equal(peek(entry_pa(0x10000, 1)) & ~DS_GENMASK(51, 12), PR | NL(1) | IR | IW);
}

static void table_entries_narrow_the_rights_below(void **state)
{
	setup(39);
	assert_int_equal(fixture_map(&fx, 0x1000, 0x5000, 0x1000, 0, READ_FETCH | DS_PROT_PW, 0),
			 0);
	fixture_poke(&fx, entry_pa(0x1000, 1), peek(entry_pa(0x1000, 1)) & ~IW);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.ranges[0].attrs.prot, BOTH(READ_FETCH));
}

static void each_mode_has_its_levels(void **state)
{
	static const struct {
		unsigned va_bits, levels;
	} modes[] = { { 21, 1 }, { 30, 2 }, { 39, 3 }, { 48, 4 }, { 57, 5 }, { 64, 6 } };

	for (unsigned i = 0; i < DS_ARRAY_SIZE(modes); i++) {
		uint64_t top = (modes[i].va_bits == 64 ? 0 : 1ULL << modes[i].va_bits) - 0x1000;

		setup(modes[i].va_bits);
		assert_int_equal(fx.pt.levels, modes[i].levels);
		assert_int_equal(fixture_map(&fx, 0x3000, 0x7000, 0x1000, 0, DS_PROT_PW, 0), 0);
		assert_int_equal(fixture_map(&fx, top, 0x9000, 0x1000, 0, READ_FETCH, 0), 0);
		assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
		assert_int_equal(fx.nranges, 2);
		assert_int_equal(fx.ranges[0].va, 0x3000);
		assert_int_equal(fx.ranges[1].va, top); /* never sign-extended */
		assert_int_equal(fx.ranges[1].pa, 0x9000);
		assert_int_equal(fx.walk.tables_visited, 1 + 2 * (modes[i].levels - 1));
		fixture_teardown(&fx);
	}
}

static void other_widths_are_refused(void **state)
{
	static const unsigned bad[] = { 12, 20, 22, 40, 47, 63 };

	for (unsigned i = 0; i < DS_ARRAY_SIZE(bad); i++)
		assert_false(ds_format_va_bits_ok(&ds_format_amd_v1, bad[i]));
}

static void pages_of_the_level_size(void **state)
{
	setup(48);
	assert_int_equal(fixture_map(&fx, 0x40000000, 0x80000000, 2ULL << 30, 2, READ_FETCH, 0), 0);
	assert_int_equal(fixture_map(&fx, 0x200000, 0x400000, 3 << 21, 1, DS_PROT_PW, 0), 0);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, 2);
	assert_int_equal(fx.ranges[0].pte, 0x400000 | PR | IW);
	assert_int_equal(fx.ranges[0].page_shift, 21);
	assert_int_equal(fx.ranges[0].size, 3 << 21);
	assert_int_equal(fx.ranges[1].pte, 0x80000000 | PR | IR);
	assert_int_equal(fx.ranges[1].page_shift, 30);
}

/* A next-level-7 page as Linux writes it: its address, then ones up to
 * one bit below the size. */
static uint64_t sized_page(uint64_t pa, unsigned page_shift, uint64_t bits)
{
	return pa | (((1ULL << (page_shift - 1)) - 1) & ~0xfffULL) | NL(7) | PR | bits;
}

static void sized_pages_repeat_over_their_entries(void **state)
{
	uint64_t table;

	setup(48);
	/* A level-1 table, then two 32K pages and a 4M page by hand. */
	assert_int_equal(fixture_map(&fx, 0x1ff000, 0x1000, 0x1000, 0, READ_FETCH, 0), 0);
	table = entry_pa(0x1ff000, 0) - 511 * 8;
	for (unsigned i = 0; i < 16; i++)
		fixture_poke(&fx, table + (8 + i) * 8,
			     sized_page(0x900000 + (i / 8) * 0x8000, 15, IR | IW));
	assert_int_equal(fixture_map(&fx, 0x400000, 0x1000, 0x1000, 0, READ_FETCH, 0), 0);
	table = entry_pa(0x400000, 1) - 2 * 8;
	fixture_poke(&fx, table + 2 * 8, sized_page(0x1400000, 22, IR));
	fixture_poke(&fx, table + 3 * 8, sized_page(0x1400000, 22, IR));
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, 3);
	assert_int_equal(fx.ranges[0].va, 0x8000);
	assert_int_equal(fx.ranges[0].pa, 0x900000);
	assert_int_equal(fx.ranges[0].size, 0x10000);
	assert_int_equal(fx.ranges[0].page_shift, 15);
	assert_int_equal(fx.ranges[0].attrs.prot, BOTH(READ_FETCH | DS_PROT_PW));
	assert_int_equal(fx.ranges[1].va, 0x1ff000);
	assert_int_equal(fx.ranges[2].va, 0x400000);
	assert_int_equal(fx.ranges[2].pa, 0x1400000);
	assert_int_equal(fx.ranges[2].size, 4 << 20);
	assert_int_equal(fx.ranges[2].page_shift, 22);

	/* From the middle of a page: the PA follows. */
	assert_int_equal(fixture_walk(&fx, 0xb000, 0xcfff), 0);
	assert_int_equal(fx.nranges, 1);
	assert_int_equal(fx.ranges[0].pa, 0x903000);
	assert_int_equal(fx.ranges[0].size, 0x2000);

	/* A repeat that differs is walked as what it says. */
	fixture_poke(&fx, table + 3 * 8, sized_page(0x1400000, 22, IR | IW));
	assert_int_equal(fixture_walk(&fx, 0x400000, 0x7fffff), 0);
	assert_int_equal(fx.nranges, 2);
	assert_int_equal(fx.ranges[1].va, 0x600000);
	assert_int_equal(fx.ranges[1].pa, 0x1600000);
	assert_int_equal(fx.ranges[1].attrs.prot, BOTH(READ_FETCH | DS_PROT_PW));
}

static void tables_may_skip_levels(void **state)
{
	uint64_t l2;

	setup(48);
	/* The level-4 entry for VA 0 points straight at a level-2 table. */
	assert_int_equal(fixture_map(&fx, 0x600000, 0x2000000, 1 << 21, 1, DS_PROT_PW, 0), 0);
	l2 = NEXT_TABLE(peek(entry_pa(0x600000, 2)));
	fixture_poke(&fx, entry_pa(0x600000, 3), l2 | PR | NL(2) | IR | IW);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, 1);
	assert_int_equal(fx.ranges[0].va, 0x600000);
	assert_int_equal(fx.ranges[0].pa, 0x2000000);
	assert_int_equal(fx.walk.tables_visited, 2);
	/* A next level not below the entry's own, or past the last: refused. */
	fixture_poke(&fx, entry_pa(0x600000, 3), l2 | PR | NL(4) | IR | IW);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), -EINVAL);
	assert_string_equal(fx.walk.error.what, "next level not below the entry's own level");
}

static void reserved_encodings_are_refused(void **state)
{
	uint64_t pa, pde;

	setup(39);
	assert_int_equal(fixture_map(&fx, 0x1000, 0x5000, 0x1000, 0, READ_FETCH, 0), 0);
	pa = entry_pa(0x1000, 0);
	fixture_poke(&fx, pa, 0x5000 | PR | IR | (1ULL << 55));
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), -EINVAL);
	assert_string_equal(fx.walk.error.what, "reserved bits 58:52 set in a page table entry");
	fixture_poke(&fx, pa, 0x5000 | PR | IR | NL(1)); /* a table at level 1 */
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), -EINVAL);
	assert_string_equal(fx.walk.error.what, "next level not below the entry's own level");
	fixture_poke(&fx, pa, 0x5000 | PR | IR);
	pa = entry_pa(0x1000, 1);
	pde = peek(pa);
	fixture_poke(&fx, pa, pde | FC);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), -EINVAL);
	assert_string_equal(fx.walk.error.what,
			    "reserved bits 60:52 set in a page directory entry");
	/* An 8K next-level-7 page where entries map 2M. */
	fixture_poke(&fx, pa, sized_page(0x200000, 13, IR));
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), -EINVAL);
	assert_string_equal(fx.walk.error.what,
			    "next-level-7 page size not larger than its level's entries");
	/* A 2M one at level 1: it would need a whole table of repeats. */
	fixture_poke(&fx, pa, pde);
	fixture_poke(&fx, entry_pa(0x1000, 0), sized_page(0x200000, 21, IR));
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), -EINVAL);
	assert_string_equal(fx.walk.error.what, "repeated leaf's page size does not fit its level");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(every_permission_has_the_spec_bits, teardown),
		cmocka_unit_test_teardown(table_entries_narrow_the_rights_below, teardown),
		cmocka_unit_test(each_mode_has_its_levels),
		cmocka_unit_test(other_widths_are_refused),
		cmocka_unit_test_teardown(pages_of_the_level_size, teardown),
		cmocka_unit_test_teardown(sized_pages_repeat_over_their_entries, teardown),
		cmocka_unit_test_teardown(tables_may_skip_levels, teardown),
		cmocka_unit_test_teardown(reserved_encodings_are_refused, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
