// SPDX-License-Identifier: MIT
/* arm64-4k, arm64-16k, arm64-64k: descriptor bits as the Arm ARM lays
 * them out, blocks per granule, TTBR1, 52-bit PAs, APTable/XNTable. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "formats/formats.h"
#include "walk_fixture.h"

#define AF (1ULL << 10)
#define SH_INNER (3ULL << 8)
#define PXN (1ULL << 53)
#define UXN (1ULL << 54)
#define RW (DS_PROT_PR | DS_PROT_PW)

static struct walk_fixture fx;

static void setup(const struct ds_format *f, unsigned va_bits, bool upper, uint64_t mair)
{
	struct ds_pgtable_config cfg = {
		.format = f, .va_bits = va_bits, .upper_half = upper, .mair = mair,
	};

	fixture_setup(&fx, &cfg, 8 << 20);
}

static int teardown(void **state)
{
	fixture_teardown(&fx);
	return 0;
}

static void page_4k_has_the_architected_bits(void **state)
{
	setup(&ds_format_arm64_4k, 48, false, 0);
	assert_int_equal(fx.pt.levels, 4);
	assert_int_equal(fixture_map(&fx, 0x1000, 0x80000, 0x1000, 0, RW | DS_PROT_PX,
				     DS_MEM_CACHED), 0);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	/* page type 0b11, AttrIndx 1 (write-back in io-pgtable's MAIR), AP 00, UXN */
	assert_int_equal(fx.ranges[0].pte, 0x80000ULL | 0x3 | 1 << 2 | SH_INNER | AF | UXN);
	assert_int_equal(fx.ranges[0].attrs.prot, RW | DS_PROT_PX);
	assert_int_equal(fx.ranges[0].attrs.mem, DS_MEM_CACHED);
}

static void el0_access_bits(void **state)
{
	setup(&ds_format_arm64_4k, 48, false, 0);
	/* EL0 read-only: AP 11; EL0 read-write: AP 01, which is implicitly PXN. */
	assert_int_equal(fixture_map(&fx, 0x1000, 0x1000, 0x1000, 0,
				     DS_PROT_PR | DS_PROT_UR | DS_PROT_UX, 0), 0);
	assert_int_equal(fixture_map(&fx, 0x3000, 0x3000, 0x1000, 0,
				     RW | DS_PROT_UR | DS_PROT_UW | DS_PROT_PX, 0), 0);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, 2);
	assert_int_equal((fx.ranges[0].pte >> 6) & 3, 3);
	assert_int_equal(fx.ranges[0].pte & (PXN | UXN), PXN);
	assert_int_equal(fx.ranges[0].attrs.prot, DS_PROT_PR | DS_PROT_UR | DS_PROT_UX);
	assert_int_equal((fx.ranges[1].pte >> 6) & 3, 1);
	assert_int_equal(fx.ranges[1].attrs.prot, RW | DS_PROT_UR | DS_PROT_UW);
}

static void three_levels_with_a_1g_block(void **state)
{
	setup(&ds_format_arm64_4k, 39, false, 0);
	assert_int_equal(fx.pt.levels, 3);
	assert_int_equal(fixture_map(&fx, 0x40000000, 0x80000000, 1ULL << 30, 2, RW, 0), 0);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.ranges[0].pte & 3, 1); /* block */
	assert_int_equal(fx.ranges[0].page_shift, 30);
	assert_int_equal(fx.ranges[0].pa, 0x80000000);
}

static void ttbr1_upper_half(void **state)
{
	uint64_t va = 0xffffff8000200000ULL;

	setup(&ds_format_arm64_4k, 39, true, 0);
	assert_int_equal(fixture_map(&fx, 0x200000, 0, 0x1000, 0, RW, 0), -EINVAL);
	assert_int_equal(fixture_map(&fx, va, 0x5000, 0x1000, 0, RW, 0), 0);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, 1);
	assert_int_equal(fx.ranges[0].va, va);
	assert_int_equal(fx.walk.tables_visited, 3);
}

static void granule_16k_blocks_are_32m(void **state)
{
	setup(&ds_format_arm64_16k, 47, false, 0);
	assert_int_equal(fx.pt.levels, 3);
	assert_int_equal(fixture_map(&fx, 0x2000000, 0x4000000, 0x2000000, 1, RW, 0), 0);
	assert_int_equal(fixture_map(&fx, 1ULL << 36, 0, 1ULL << 36, 2, RW, 0), -EINVAL);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.ranges[0].page_shift, 25);
	assert_int_equal(fx.ranges[0].pte & DS_GENMASK(47, 0) & ~0xfffULL, 0x4000000);
}

static void granule_64k_packs_pa_bits_51_48(void **state)
{
	uint64_t pa = 0x000f000000010000ULL;

	setup(&ds_format_arm64_64k, 48, false, 0);
	assert_int_equal(fx.pt.levels, 3);
	assert_int_equal(fixture_map(&fx, 0x10000, pa, 0x10000, 0, RW, 0), 0);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.ranges[0].pa, pa);
	assert_int_equal((fx.ranges[0].pte >> 12) & 0xf, 0xf);
	assert_int_equal(fx.ranges[0].pte & DS_GENMASK(47, 16), 0x10000);
}

static void tables_narrow_access_below(void **state)
{
	uint64_t root = 0, l0e;

	setup(&ds_format_arm64_4k, 48, false, 0);
	assert_int_equal(fixture_map(&fx, 0x1000, 0x1000, 0x1000, 0, DS_PROT_ALL, 0), 0);
	root = fx.pt.cfg.roots[0];
	assert_int_equal(memimage_read(&fx.mem, root, &l0e, 8), 0);
	fixture_poke(&fx, root, l0e | (1ULL << 62) | (1ULL << 61) | (1ULL << 59));
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.ranges[0].attrs.prot, DS_PROT_PR);
}

static void reserved_type_at_the_last_level(void **state)
{
	uint64_t l0e, l1e, l2e;

	setup(&ds_format_arm64_4k, 48, false, 0);
	assert_int_equal(fixture_map(&fx, 0x1000, 0x1000, 0x1000, 0, RW, 0), 0);
	assert_int_equal(memimage_read(&fx.mem, fx.pt.cfg.roots[0], &l0e, 8), 0);
	assert_int_equal(memimage_read(&fx.mem, l0e & DS_GENMASK(47, 12), &l1e, 8), 0);
	assert_int_equal(memimage_read(&fx.mem, l1e & DS_GENMASK(47, 12), &l2e, 8), 0);
	fixture_poke(&fx, (l2e & DS_GENMASK(47, 12)) + 8, 0x2000 | AF | 0x1);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), -EINVAL);
	assert_string_equal(fx.walk.error.what, "descriptor type 0b01 at the last level");
	assert_int_equal(fx.walk.error.height, 0);
}

static void memory_types_follow_the_mair(void **state)
{
	/* idx 0 Device-nGnRE, idx 1 Normal NC, idx 2 write-back */
	setup(&ds_format_arm64_4k, 48, false, 0xff4404ULL);
	assert_int_equal(fixture_map(&fx, 0x1000, 0x1000, 0x1000, 0, RW, DS_MEM_DEVICE), 0);
	assert_int_equal(fixture_map(&fx, 0x3000, 0x3000, 0x1000, 0, RW, DS_MEM_UNCACHED), 0);
	assert_int_equal(fixture_map(&fx, 0x5000, 0x5000, 0x1000, 0, RW, DS_MEM_CACHED), 0);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal((fx.ranges[0].pte >> 2) & 7, 0);
	assert_int_equal(fx.ranges[0].pte & SH_INNER, 0); /* device memory is not shareable-marked */
	assert_int_equal(fx.ranges[0].attrs.mem, DS_MEM_DEVICE);
	assert_int_equal((fx.ranges[1].pte >> 2) & 7, 1);
	assert_int_equal(fx.ranges[1].attrs.mem, DS_MEM_UNCACHED);
	assert_int_equal((fx.ranges[2].pte >> 2) & 7, 2);
	assert_int_equal(fx.ranges[2].attrs.mem, DS_MEM_CACHED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_teardown(f, teardown)
		T(page_4k_has_the_architected_bits),
		T(el0_access_bits),
		T(three_levels_with_a_1g_block),
		T(ttbr1_upper_half),
		T(granule_16k_blocks_are_32m),
		T(granule_64k_packs_pa_bits_51_48),
		T(tables_narrow_access_below),
		T(reserved_type_at_the_last_level),
		T(memory_types_follow_the_mair),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
