// SPDX-License-Identifier: MIT
/* mali: io-pgtable's ARM_MALI_LPAE bits: 0b01 leaves at every level,
 * HAP permissions, AttrIndx 0/1/2 for non-cacheable/cacheable/MMIO. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "formats/formats.h"
#include "walk_fixture.h"

#define HAP_R (1ULL << 6)
#define HAP_W (1ULL << 7)
#define XN (1ULL << 54)
#define BOTH(p) ((uint8_t)((p) | (p) << 3))

static struct walk_fixture fx;

static int setup(void **state)
{
	struct ds_pgtable_config cfg = { .format = &ds_format_mali };

	fixture_setup(&fx, &cfg, 8 << 20);
	return 0;
}

static int teardown(void **state)
{
	fixture_teardown(&fx);
	return 0;
}

static void leaves_are_typed_0b01_with_hap_permissions(void **state)
{
	assert_int_equal(fixture_map(&fx, 0x1000, 0x9000, 0x1000, 0, BOTH(DS_PROT_PR | DS_PROT_PW),
				     DS_MEM_CACHED), 0);
	assert_int_equal(fixture_map(&fx, 0x200000, 0x400000, 0x200000, 1, BOTH(DS_PROT_PR),
				     DS_MEM_DEVICE), 0);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, 2);
	assert_int_equal(fx.ranges[0].pte, 0x9000ULL | 0x1 | 1 << 2 | HAP_R | HAP_W | XN);
	assert_int_equal(fx.ranges[0].attrs.prot, BOTH(DS_PROT_PR | DS_PROT_PW));
	assert_int_equal(fx.ranges[1].pte, 0x400000ULL | 0x1 | 2 << 2 | HAP_R | XN);
	assert_int_equal(fx.ranges[1].attrs.mem, DS_MEM_DEVICE);
	assert_int_equal(fx.ranges[1].page_shift, 21);
}

static void an_0b11_leaf_is_reserved(void **state)
{
	uint64_t pa = fx.pt.cfg.roots[0], e;

	assert_int_equal(fixture_map(&fx, 0x1000, 0x9000, 0x1000, 0, BOTH(DS_PROT_PR), 0), 0);
	for (int h = 3; h > 0; h--) {
		assert_int_equal(memimage_read(&fx.mem, pa, &e, 8), 0);
		pa = e & DS_GENMASK(47, 12);
	}
	fixture_poke(&fx, pa + 8, 0x9000 | 0x3 | HAP_R);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), -EINVAL);
	assert_string_equal(fx.walk.error.what, "Mali last-level entry typed 0b11 (leaves are 0b01)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(leaves_are_typed_0b01_with_hap_permissions, setup, teardown),
		cmocka_unit_test_setup_teardown(an_0b11_leaf_is_reserved, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
