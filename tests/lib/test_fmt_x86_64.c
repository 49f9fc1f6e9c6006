// SPDX-License-Identifier: MIT
/* x86-64 4- and 5-level paging: every attribute and page size survives
 * build -> walk, and the raw entries are the ones the SDM specifies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "formats/formats.h"
#include "walk_fixture.h"

static struct walk_fixture fx;

static int setup_4l(void **state)
{
	struct ds_pgtable_config cfg = { .format = &ds_format_x86_64 };

	fixture_setup(&fx, &cfg, 8 << 20);
	return 0;
}

static int setup_5l(void **state)
{
	struct ds_pgtable_config cfg = { .format = &ds_format_x86_64_5l };

	fixture_setup(&fx, &cfg, 8 << 20);
	return 0;
}

static int teardown(void **state)
{
	fixture_teardown(&fx);
	return 0;
}

static void every_permission_and_cache_mode_round_trips(void **state)
{
	/* x86 has one R/W and one NX for both privilege levels; U/S adds the user ones. */
	static const uint8_t prots[] = {
		DS_PROT_PR,
		DS_PROT_PR | DS_PROT_PW,
		DS_PROT_PR | DS_PROT_PX,
		DS_PROT_PR | DS_PROT_PW | DS_PROT_PX,
		DS_PROT_PR | DS_PROT_UR,
		DS_PROT_PR | DS_PROT_PW | DS_PROT_UR | DS_PROT_UW,
		DS_PROT_ALL,
	};
	unsigned n = 0;

	for (unsigned i = 0; i < DS_ARRAY_SIZE(prots); i++)
		for (uint8_t mem = DS_MEM_CACHED; mem <= DS_MEM_UNCACHED; mem++, n++)
			assert_int_equal(fixture_map(&fx, 0x10000 + n * 0x2000, 0x100000 + n * 0x1000,
						     0x1000, 0, prots[i], mem), 0);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, n);
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(fx.ranges[i].va, 0x10000 + i * 0x2000);
		assert_int_equal(fx.ranges[i].attrs.prot, prots[i / 2]);
		assert_int_equal(fx.ranges[i].attrs.mem, DS_MEM_CACHED + i % 2);
	}
}

static void leaf_entries_have_the_sdm_bits(void **state)
{
	assert_int_equal(fixture_map(&fx, 0x1000, 0x5000, 0x1000, 0, DS_PROT_PR | DS_PROT_UR,
				     DS_MEM_UNCACHED), 0);
	assert_int_equal(fixture_map(&fx, 0x40000000, 0x40000000, 1ULL << 30, 2,
				     DS_PROT_PR | DS_PROT_PW | DS_PROT_PX, DS_MEM_CACHED), 0);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, 2);
	/* P | US | PWT | PCD | NX, address 0x5000 */
	assert_int_equal(fx.ranges[0].pte, 0x5000ULL | 0x1 | 0x4 | 0x8 | 0x10 | (1ULL << 63));
	/* P | RW | PS, address 1G: a 1G page */
	assert_int_equal(fx.ranges[1].pte, 0x40000000ULL | 0x1 | 0x2 | 0x80);
	assert_int_equal(fx.ranges[1].page_shift, 30);
	assert_int_equal(fx.ranges[1].size, 1ULL << 30);
}

static void pages_of_2m_and_1g_merge_per_size(void **state)
{
	assert_int_equal(fixture_map(&fx, 0x80000000, 0x0, 2ULL << 30, 2, DS_PROT_PR, 0), 0);
	assert_int_equal(fixture_map(&fx, 0x100000000, 0x80000000, 4 << 21, 1, DS_PROT_PR, 0), 0);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, 2);
	assert_int_equal(fx.ranges[0].size, 2ULL << 30);
	assert_int_equal(fx.ranges[1].size, 4 << 21);
	assert_int_equal(fx.ranges[1].page_shift, 21);
}

static void reserved_bits_in_a_large_page_are_refused(void **state)
{
	uint64_t root = fx.pt.cfg.roots[0], pml4e, pdpt;

	assert_int_equal(fixture_map(&fx, 0x40000000, 0x40000000, 1ULL << 30, 2, DS_PROT_PR, 0), 0);
	assert_int_equal(memimage_read(&fx.mem, root, &pml4e, 8), 0);
	pdpt = pml4e & DS_GENMASK(51, 12);
	fixture_poke(&fx, pdpt + 8, 0x40000000ULL | 0x2000 | 0x81); /* bit 13 set */
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), -EINVAL);
	assert_string_equal(fx.walk.error.what, "reserved address bits set in a large-page entry");
}

static void five_levels_reach_57_bit_addresses(void **state)
{
	uint64_t va = 0xff00000000000000ULL, low = 0x00ff000000000000ULL;

	assert_int_equal(fx.pt.levels, 5);
	assert_int_equal(fixture_map(&fx, low, 0x2000, 0x1000, 0, DS_PROT_PR, 0), 0);
	assert_int_equal(fixture_map(&fx, va, 0x200000, 0x200000, 1, DS_PROT_PR, 0), 0);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, 2);
	assert_int_equal(fx.ranges[0].va, low);
	assert_int_equal(fx.ranges[1].va, va);
	assert_int_equal(fx.walk.tables_visited, 1 + 4 + 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(every_permission_and_cache_mode_round_trips, setup_4l, teardown),
		cmocka_unit_test_setup_teardown(leaf_entries_have_the_sdm_bits, setup_4l, teardown),
		cmocka_unit_test_setup_teardown(pages_of_2m_and_1g_merge_per_size, setup_4l, teardown),
		cmocka_unit_test_setup_teardown(reserved_bits_in_a_large_page_are_refused, setup_4l, teardown),
		cmocka_unit_test_setup_teardown(five_levels_reach_57_bit_addresses, setup_5l, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
