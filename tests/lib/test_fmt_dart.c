// SPDX-License-Identifier: MIT
/* dart and dart2: io-pgtable-dart's PTE bits, and the TTBR chosen by the
 * VA bits above the two table levels. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "formats/formats.h"
#include "walk_fixture.h"

#define VALID 1ULL
#define SUBPAGE_FULL DS_GENMASK(51, 40)
#define RW_BOTH (DS_PROT_PR | DS_PROT_PW | DS_PROT_UR | DS_PROT_UW)

static struct walk_fixture fx;

static void setup(const struct ds_format *f, unsigned va_bits, unsigned nroots)
{
	struct ds_pgtable_config cfg = { .format = f, .va_bits = va_bits, .nroots = nroots };

	fixture_setup(&fx, &cfg, 64 << 20);
}

static int teardown(void **state)
{
	fixture_teardown(&fx);
	return 0;
}

static void dart1_entries(void **state)
{
	setup(&ds_format_dart, 36, 1);
	assert_int_equal(fixture_map(&fx, 0x4000, 0x800004000ULL, 0x4000, 0, RW_BOTH, 0), 0);
	assert_int_equal(fixture_map(&fx, 0xc000, 0x10000, 0x4000, 0,
				     DS_PROT_PR | DS_PROT_UR, 0), 0);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, 2);
	assert_int_equal(fx.ranges[0].pte, 0x800004000ULL | VALID | SUBPAGE_FULL);
	assert_int_equal(fx.ranges[0].attrs.prot, RW_BOTH);
	assert_int_equal(fx.ranges[1].pte, 0x10000ULL | VALID | SUBPAGE_FULL | 1 << 7);
	/* DART1 addresses stop at 36 bits. */
	assert_int_equal(fixture_map(&fx, 0x20000, 1ULL << 36, 0x4000, 0, RW_BOTH, 0), -EINVAL);
}

static void dart2_shifts_the_address(void **state)
{
	uint64_t pa = 0x20000004000ULL; /* bit 41 */

	setup(&ds_format_dart2, 36, 1);
	assert_int_equal(fixture_map(&fx, 0x4000, pa, 0x4000, 0, RW_BOTH, DS_MEM_UNCACHED), 0);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.ranges[0].pte, pa >> 4 | VALID | SUBPAGE_FULL | 1 << 1);
	assert_int_equal(fx.ranges[0].pa, pa);
	assert_int_equal(fx.ranges[0].attrs.mem, DS_MEM_UNCACHED);
}

static void the_ttbr_is_chosen_by_the_top_va_bits(void **state)
{
	uint64_t va = (3ULL << 36) | 0x8000;

	setup(&ds_format_dart, 38, 4);
	assert_int_equal(fx.pt.root_bits, 2);
	assert_int_equal(fixture_map(&fx, va, 0x4000, 0x4000, 0, RW_BOTH, 0), 0);
	assert_int_equal(fixture_map(&fx, 0x8000, 0x8000, 0x4000, 0, RW_BOTH, 0), 0);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, 2);
	assert_int_equal(fx.ranges[1].va, va);
	/* Only TTBRs 0 and 3 hold anything: 2 roots + 1 table under each, and 2 empty roots. */
	assert_int_equal(fx.walk.tables_visited, 6);
	/* A walk of TTBR 3's range alone. */
	assert_int_equal(fixture_walk(&fx, 3ULL << 36, ~0ULL), 0);
	assert_int_equal(fx.nranges, 1);
	assert_int_equal(fx.ranges[0].va, va);
}

static void too_many_ttbrs_are_refused(void **state)
{
	struct ds_pgtable pt;
	struct ds_error err = { 0 };
	struct ds_pgtable_config cfg = {
		.format = &ds_format_dart, .va_bits = 37, .nroots = 4, .read_phys = memimage_read,
	};

	assert_int_equal(ds_pgtable_init(&pt, &cfg, &err), -EINVAL);
	assert_string_equal(err.what, "more root tables given than the VA width selects");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(dart1_entries, teardown),
		cmocka_unit_test_teardown(dart2_shifts_the_address, teardown),
		cmocka_unit_test_teardown(the_ttbr_is_chosen_by_the_top_va_bits, teardown),
		cmocka_unit_test(too_many_ttbrs_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
