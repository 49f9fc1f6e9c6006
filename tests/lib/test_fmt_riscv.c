// SPDX-License-Identifier: MIT
/* riscv-sv39/48/57: PTE bits per the privileged spec, superpages at every
 * level, sign-extended VAs, Svpbmt types, and the reserved encodings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "formats/formats.h"
#include "walk_fixture.h"

#define V 0x1ULL
#define R 0x2ULL
#define W 0x4ULL
#define X 0x8ULL
#define U 0x10ULL
#define A 0x40ULL
#define D 0x80ULL
#define PBMT_NC (1ULL << 61)
#define PBMT_IO (2ULL << 61)
#define PPN(pa) ((uint64_t)(pa) >> 2)

static struct walk_fixture fx;

static void setup(const struct ds_format *f)
{
	struct ds_pgtable_config cfg = { .format = f };

	fixture_setup(&fx, &cfg, 8 << 20);
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
		uint64_t bits;
	} cases[] = {
		{ DS_PROT_PR, R },
		{ DS_PROT_PR | DS_PROT_PW, R | W },
		{ DS_PROT_PR | DS_PROT_PX, R | X },
		{ DS_PROT_PR | DS_PROT_PW | DS_PROT_PX, R | W | X },
		{ DS_PROT_PX, X },
		{ DS_PROT_UR, U | R },
		{ DS_PROT_UR | DS_PROT_UW, U | R | W },
		{ DS_PROT_UR | DS_PROT_UX, U | R | X },
		{ DS_PROT_UR | DS_PROT_UW | DS_PROT_UX, U | R | W | X },
		{ DS_PROT_UX, U | X },
	};

	setup(&ds_format_riscv_sv39);
	for (unsigned i = 0; i < DS_ARRAY_SIZE(cases); i++)
		assert_int_equal(fixture_map(&fx, 0x10000 + i * 0x2000, 0x80000000 + i * 0x1000,
					     0x1000, 0, cases[i].prot, DS_MEM_CACHED), 0);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, DS_ARRAY_SIZE(cases));
	for (unsigned i = 0; i < DS_ARRAY_SIZE(cases); i++) {
		assert_int_equal(fx.ranges[i].pte, PPN(0x80000000 + i * 0x1000) | V | A | D |
							   cases[i].bits);
		assert_int_equal(fx.ranges[i].attrs.prot, cases[i].prot);
		assert_int_equal(fx.ranges[i].attrs.mem, DS_MEM_CACHED);
	}
}

static void pbmt_gives_the_memory_type(void **state)
{
	setup(&ds_format_riscv_sv48);
	assert_int_equal(fixture_map(&fx, 0x1000, 0x80001000, 0x1000, 0, DS_PROT_PR,
				     DS_MEM_CACHED), 0);
	assert_int_equal(fixture_map(&fx, 0x3000, 0x80003000, 0x1000, 0, DS_PROT_PR,
				     DS_MEM_UNCACHED), 0);
	assert_int_equal(fixture_map(&fx, 0x5000, 0x10000000, 0x1000, 0, DS_PROT_PR | DS_PROT_PW,
				     DS_MEM_DEVICE), 0);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, 3);
	assert_int_equal(fx.ranges[0].pte, PPN(0x80001000) | V | R | A | D);
	assert_int_equal(fx.ranges[0].attrs.mem, DS_MEM_CACHED);
	assert_int_equal(fx.ranges[1].pte, PPN(0x80003000) | V | R | A | D | PBMT_NC);
	assert_int_equal(fx.ranges[1].attrs.mem, DS_MEM_UNCACHED);
	assert_int_equal(fx.ranges[2].pte, PPN(0x10000000) | V | R | W | A | D | PBMT_IO);
	assert_int_equal(fx.ranges[2].attrs.mem, DS_MEM_DEVICE);
}

static void table_entries_hold_only_the_ppn_and_v(void **state)
{
	uint64_t pte;

	setup(&ds_format_riscv_sv57);
	assert_int_equal(fixture_map(&fx, 0x1000, 0x2000, 0x1000, 0, DS_PROT_PR, 0), 0);
	for (unsigned h = 4; h > 0; h--) {
		assert_int_equal(memimage_read(&fx.mem, fixture_entry_pa(&fx, 0x1000, h), &pte, 8), 0);
		assert_int_equal(pte & ~DS_GENMASK(53, 10), V);
	}
}

/* One superpage at each height the format allows, in order of VA. */
static void check_superpages(const struct ds_format *f)
{
	setup(f);
	for (unsigned h = 0; h < fx.pt.levels; h++) {
		uint64_t size = ds_leaf_size(&fx.pt, h);

		assert_int_equal(fixture_map(&fx, size * 2, size * 3, size, h,
					     DS_PROT_PR | DS_PROT_PW, DS_MEM_CACHED), 0);
	}
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, fx.pt.levels);
	for (unsigned h = 0; h < fx.pt.levels; h++) {
		uint64_t size = ds_leaf_size(&fx.pt, h);

		assert_int_equal(fx.ranges[h].va, size * 2);
		assert_int_equal(fx.ranges[h].pa, size * 3);
		assert_int_equal(fx.ranges[h].size, size);
		assert_int_equal(fx.ranges[h].page_shift, 12 + 9 * h);
		assert_int_equal(fx.ranges[h].pte, PPN(size * 3) | V | R | W | A | D);
	}
	fixture_teardown(&fx);
}

static void superpages_at_every_level(void **state)
{
	check_superpages(&ds_format_riscv_sv39);
	check_superpages(&ds_format_riscv_sv48);
	check_superpages(&ds_format_riscv_sv57);
}

/* The first VA of the upper half and a low one, mapped and walked back. */
static void check_both_halves(const struct ds_format *f, unsigned levels, uint64_t upper)
{
	setup(f);
	assert_int_equal(fx.pt.levels, levels);
	assert_int_equal(fixture_map(&fx, 0x7000, 0x1000, 0x1000, 0, DS_PROT_PR, 0), 0);
	assert_int_equal(fixture_map(&fx, upper, 0x200000, 0x200000, 1, DS_PROT_PR | DS_PROT_PX,
				     0), 0);
	/* Not canonical: bits above the VA width differ from its top bit. */
	assert_int_equal(fixture_map(&fx, upper & ~(1ULL << 63), 0x400000, 0x1000, 0, DS_PROT_PR,
				     0), -EINVAL);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, 2);
	assert_int_equal(fx.ranges[0].va, 0x7000);
	assert_int_equal(fx.ranges[1].va, upper);
	assert_int_equal(fx.ranges[1].size, 0x200000);
	/* Only the upper half, from a VA in the hole below it. */
	assert_int_equal(fixture_walk(&fx, 1ULL << 62, ~0ULL), 0);
	assert_int_equal(fx.nranges, 1);
	assert_int_equal(fx.ranges[0].va, upper);
	fixture_teardown(&fx);
}

static void upper_halves_are_sign_extended(void **state)
{
	check_both_halves(&ds_format_riscv_sv39, 3, 0xffffffc000000000ULL);
	check_both_halves(&ds_format_riscv_sv48, 4, 0xffff800000000000ULL);
	check_both_halves(&ds_format_riscv_sv57, 5, 0xff00000000000000ULL);
}

static void inexpressible_permissions_are_refused(void **state)
{
	setup(&ds_format_riscv_sv39);
	assert_int_equal(fixture_map(&fx, 0x1000, 0x1000, 0x1000, 0, DS_PROT_PW, 0), -EINVAL);
	assert_int_equal(fixture_map(&fx, 0x1000, 0x1000, 0x1000, 0, DS_PROT_PW | DS_PROT_PX, 0),
			 -EINVAL);
	assert_int_equal(fixture_map(&fx, 0x1000, 0x1000, 0x1000, 0, DS_PROT_PR | DS_PROT_UR, 0),
			 -EINVAL);
	assert_int_equal(fixture_map(&fx, 0x1000, 0x1000, 0x1000, 0, 0, 0), -EINVAL);
}

/* An Sv39 table mapping VA 0x200000 as a 4K page, so every level has an entry. */
static void build_path(void)
{
	setup(&ds_format_riscv_sv39);
	assert_int_equal(fixture_map(&fx, 0x200000, 0x200000, 0x1000, 0, DS_PROT_PR, 0), 0);
}

/* Replaces the entry at the given height and expects the walk to refuse it. */
static void check_refused(unsigned height, uint64_t pte, const char *why)
{
	fixture_poke(&fx, fixture_entry_pa(&fx, 0x200000, height), pte);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), -EINVAL);
	assert_string_equal(fx.walk.error.what, why);
	assert_int_equal(fx.walk.error.height, height);
	assert_int_equal(fx.walk.error.va, 0x200000 & ~(ds_leaf_size(&fx.pt, height) - 1));
	fixture_teardown(&fx);
}

static void expect_reserved(unsigned height, uint64_t pte, const char *why)
{
	build_path();
	check_refused(height, pte, why);
}

/* The table entry at that height, with bits added. */
static void expect_reserved_table(unsigned height, uint64_t bits, const char *why)
{
	uint64_t table;

	build_path();
	assert_int_equal(memimage_read(&fx.mem, fixture_entry_pa(&fx, 0x200000, height), &table, 8), 0);
	check_refused(height, table | bits, why);
}

static void reserved_leaf_encodings_are_refused(void **state)
{
	uint64_t leaf = PPN(0x200000) | V | A | D;

	expect_reserved(0, leaf | W, "writable but not readable");
	expect_reserved(0, leaf | W | X, "writable but not readable");
	expect_reserved(0, leaf | R | 1ULL << 54, "reserved bits 60:54 set");
	expect_reserved(0, leaf | R | 1ULL << 60, "reserved bits 60:54 set");
	expect_reserved(0, leaf | R | 3ULL << 61, "reserved PBMT value 3");
	expect_reserved(0, leaf | R | 1ULL << 63,
			"Svnapot entry (N set): NAPOT ranges are not decoded");
}

static void misaligned_superpages_are_refused(void **state)
{
	/* A 2M page at PA 2M + 4K, and a 1G page at PA 1G + 2M. */
	expect_reserved(1, PPN(0x201000) | V | R, "misaligned superpage");
	expect_reserved(2, PPN(0x40200000) | V | R | X, "misaligned superpage");
}

static void reserved_bits_in_a_table_entry_are_refused(void **state)
{
	expect_reserved_table(1, A, "D, A or U set in a non-leaf entry");
	expect_reserved_table(1, D, "D, A or U set in a non-leaf entry");
	expect_reserved_table(2, U, "D, A or U set in a non-leaf entry");
	expect_reserved_table(1, PBMT_NC, "PBMT set in a non-leaf entry");
	expect_reserved_table(2, 1ULL << 57, "reserved bits 60:54 set");
	expect_reserved_table(1, 1ULL << 63, "Svnapot entry (N set): NAPOT ranges are not decoded");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(every_permission_has_the_spec_bits, teardown),
		cmocka_unit_test_teardown(pbmt_gives_the_memory_type, teardown),
		cmocka_unit_test_teardown(table_entries_hold_only_the_ppn_and_v, teardown),
		cmocka_unit_test(superpages_at_every_level),
		cmocka_unit_test(upper_halves_are_sign_extended),
		cmocka_unit_test_teardown(inexpressible_permissions_are_refused, teardown),
		cmocka_unit_test(reserved_leaf_encodings_are_refused),
		cmocka_unit_test(misaligned_superpages_are_refused),
		cmocka_unit_test(reserved_bits_in_a_table_entry_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
