// SPDX-License-Identifier: MIT
/* vtd: VT-d second-level tables at 39, 48 and 57 bits; R/W/X, SNP and
 * large pages as the spec encodes them; write-only mappings present; no
 * sign extension; reserved bits and impossible widths refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "formats/formats.h"
#include "walk_fixture.h"

#define R 0x1ULL
#define W 0x2ULL
#define X 0x4ULL
#define PS 0x80ULL
#define SNP 0x800ULL
#define NEXT_TABLE(pte) ((pte) & DS_GENMASK(51, 12))
#define BOTH(p) ((uint8_t)((p) | (p) << 3))

static struct walk_fixture fx;

static void setup(unsigned va_bits)
{
	struct ds_pgtable_config cfg = { .format = &ds_format_vtd, .va_bits = va_bits };

	fixture_setup(&fx, &cfg, 64 << 20);
}

static int teardown(void **state)
{
	fixture_teardown(&fx);
	return 0;
}

static void every_permission_has_the_spec_bits(void **state)
{
	static const struct {
		uint8_t prot;
		uint8_t mem;
		uint64_t bits;
	} cases[] = {
		{ DS_PROT_PR, DS_MEM_UNKNOWN, R },
		{ DS_PROT_PW, DS_MEM_UNKNOWN, W }, /* write-only: a receive buffer */
		{ DS_PROT_PR | DS_PROT_PW, DS_MEM_UNKNOWN, R | W },
		{ DS_PROT_PR | DS_PROT_PX, DS_MEM_UNKNOWN, R | X },
		{ DS_PROT_PR | DS_PROT_PW | DS_PROT_PX, DS_MEM_UNKNOWN, R | W | X },
		{ DS_PROT_PR | DS_PROT_PW, DS_MEM_CACHED, R | W | SNP },
		{ DS_PROT_PW, DS_MEM_CACHED, W | SNP },
	};

	setup(48);
	for (unsigned i = 0; i < DS_ARRAY_SIZE(cases); i++)
		assert_int_equal(fixture_map(&fx, 0x10000 + i * 0x2000, 0x100000 + i * 0x1000,
					     0x1000, 0, cases[i].prot, cases[i].mem), 0);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, DS_ARRAY_SIZE(cases));
	for (unsigned i = 0; i < DS_ARRAY_SIZE(cases); i++) {
		assert_int_equal(fx.ranges[i].va, 0x10000 + i * 0x2000);
		assert_int_equal(fx.ranges[i].pte, 0x100000 + i * 0x1000 + cases[i].bits);
		assert_int_equal(fx.ranges[i].attrs.prot, BOTH(cases[i].prot));
		assert_int_equal(fx.ranges[i].attrs.mem, cases[i].mem);
	}
}

static void neither_read_nor_write_is_not_present(void **state)
{
	setup(48);
	assert_int_equal(fixture_map(&fx, 0x1000, 0x5000, 0x1000, 0, DS_PROT_PR, 0), 0);
	/* X alone, and every ignored bit, without R or W: not present. */
	fixture_poke(&fx, fixture_entry_pa(&fx, 0x1000, 0), 0x5000 | X | SNP | 0x300);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, 0);
	/* Not present in a table entry hides everything below it. */
	fixture_poke(&fx, fixture_entry_pa(&fx, 0x1000, 0), 0x5000 | R);
	fixture_poke(&fx, fixture_entry_pa(&fx, 0x1000, 1), NEXT_TABLE(0x0) | X);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, 0);
}

static void table_entries_narrow_the_rights_below(void **state)
{
	uint64_t pde, pa;

	setup(48);
	assert_int_equal(fixture_map(&fx, 0x1000, 0x5000, 0x1000, 0,
				     DS_PROT_PR | DS_PROT_PW | DS_PROT_PX, 0), 0);
	pa = fixture_entry_pa(&fx, 0x1000, 1);
	assert_int_equal(memimage_read(&fx.mem, pa, &pde, 8), 0);
	pde = ds_le64(pde);
	assert_int_equal(pde & 7, R | W | X);
	fixture_poke(&fx, pa, pde & ~W);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, 1);
	assert_int_equal(fx.ranges[0].attrs.prot, BOTH(DS_PROT_PR | DS_PROT_PX));
	fixture_poke(&fx, pa, pde & ~X); /* Linux's tables, R|W: the page's X is void */
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.ranges[0].attrs.prot, BOTH(DS_PROT_PR | DS_PROT_PW));
}

static void each_width_has_its_levels_and_no_sign_extension(void **state)
{
	static const struct {
		unsigned va_bits, levels;
	} widths[] = { { 39, 3 }, { 48, 4 }, { 57, 5 } };

	for (unsigned i = 0; i < DS_ARRAY_SIZE(widths); i++) {
		/* The last page of the space: its top IOVA bit set, as Linux's
		 * allocator hands out first. */
		uint64_t top = (1ULL << widths[i].va_bits) - 0x1000;

		setup(widths[i].va_bits);
		assert_int_equal(fx.pt.levels, widths[i].levels);
		assert_int_equal(fixture_map(&fx, 0x3000, 0x7000, 0x1000, 0, DS_PROT_PR, 0), 0);
		assert_int_equal(fixture_map(&fx, top, 0x9000, 0x1000, 0, DS_PROT_PW, 0), 0);
		assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
		assert_int_equal(fx.nranges, 2);
		assert_int_equal(fx.ranges[0].va, 0x3000);
		assert_int_equal(fx.ranges[1].va, top);
		assert_int_equal(fx.ranges[1].pa, 0x9000);
		assert_int_equal(fx.walk.tables_visited, 1 + 2 * (widths[i].levels - 1));
		/* Any IOVA range within the space, the top half included. */
		assert_int_equal(fixture_walk(&fx, 1ULL << (widths[i].va_bits - 1), ~0ULL), 0);
		assert_int_equal(fx.nranges, 1);
		assert_int_equal(fx.ranges[0].va, top);
		fixture_teardown(&fx);
	}
}

static void other_widths_are_refused(void **state)
{
	static const unsigned bad[] = { 30, 40, 47, 52, 56, 64 };

	for (unsigned i = 0; i < DS_ARRAY_SIZE(bad); i++) {
		struct ds_pgtable_config cfg = {
			.format = &ds_format_vtd, .va_bits = bad[i], .nroots = 1,
			.read_phys = memimage_read,
		};
		struct ds_pgtable pt;
		struct ds_error err = { 0 };

		assert_false(ds_format_va_bits_ok(&ds_format_vtd, bad[i]));
		assert_int_equal(ds_pgtable_init(&pt, &cfg, &err), -EINVAL);
		assert_string_equal(err.what, "VA width outside what the format allows");
	}
	assert_true(ds_format_va_bits_ok(&ds_format_vtd, 39));
	assert_true(ds_format_va_bits_ok(&ds_format_vtd, 57));
}

static void large_pages_at_2m_and_1g(void **state)
{
	setup(48);
	assert_int_equal(fixture_map(&fx, 0x40000000, 0x80000000, 2ULL << 30, 2,
				     DS_PROT_PR | DS_PROT_PW, DS_MEM_CACHED), 0);
	assert_int_equal(fixture_map(&fx, 0x200000, 0x400000, 3 << 21, 1, DS_PROT_PW, 0), 0);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, 2);
	assert_int_equal(fx.ranges[0].pte, 0x400000 | W | PS);
	assert_int_equal(fx.ranges[0].page_shift, 21);
	assert_int_equal(fx.ranges[0].size, 3 << 21);
	assert_int_equal(fx.ranges[1].pte, 0x80000000 | R | W | PS | SNP);
	assert_int_equal(fx.ranges[1].page_shift, 30);
	assert_int_equal(fx.ranges[1].size, 2ULL << 30);
}

static void ps_in_a_4k_entry_is_ignored(void **state)
{
	setup(39);
	assert_int_equal(fixture_map(&fx, 0x1000, 0x5000, 0x1000, 0, DS_PROT_PR, 0), 0);
	fixture_poke(&fx, fixture_entry_pa(&fx, 0x1000, 0), 0x5000 | R | PS);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, 1);
	assert_int_equal(fx.ranges[0].pa, 0x5000);
	assert_int_equal(fx.ranges[0].page_shift, 12);
}

static void reserved_bits_are_refused(void **state)
{
	uint64_t pml4e;

	setup(48);
	assert_int_equal(fixture_map(&fx, 0x200000, 0x400000, 1 << 21, 1, DS_PROT_PR, 0), 0);
	fixture_poke(&fx, fixture_entry_pa(&fx, 0x200000, 1), 0x400000 | 0x1000 | R | PS); /* bit 12 */
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), -EINVAL);
	assert_string_equal(fx.walk.error.what,
			    "reserved address bits set in a second-level large-page entry");
	assert_int_equal(fx.walk.error.height, 1);

	fixture_poke(&fx, fixture_entry_pa(&fx, 0x200000, 1), 0x400000 | R | PS);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(memimage_read(&fx.mem, fixture_entry_pa(&fx, 0x200000, 3), &pml4e, 8), 0);
	fixture_poke(&fx, fixture_entry_pa(&fx, 0x200000, 3), ds_le64(pml4e) | PS);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), -EINVAL);
	assert_string_equal(fx.walk.error.what, "PS set in a second-level PML4 or PML5 entry");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(every_permission_has_the_spec_bits, teardown),
		cmocka_unit_test_teardown(neither_read_nor_write_is_not_present, teardown),
		cmocka_unit_test_teardown(table_entries_narrow_the_rights_below, teardown),
		cmocka_unit_test(each_width_has_its_levels_and_no_sign_extension),
		cmocka_unit_test(other_widths_are_refused),
		cmocka_unit_test_teardown(large_pages_at_2m_and_1g, teardown),
		cmocka_unit_test_teardown(ps_in_a_4k_entry_is_ignored, teardown),
		cmocka_unit_test_teardown(reserved_bits_are_refused, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
