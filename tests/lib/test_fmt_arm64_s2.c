// SPDX-License-Identifier: MIT
/* arm64-s2-4k, -16k, -64k: stage 2 descriptors (MemAttr, S2AP, XN), the
 * start level io-pgtable picks or VTCR_EL2.SL0 gives, and the concatenated
 * tables at that level. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "formats/formats.h"
#include "walk_fixture.h"

#define AF (1ULL << 10)
#define SH_INNER (3ULL << 8)
#define S2AP_R (1ULL << 6)
#define S2AP_W (1ULL << 7)
#define XN (3ULL << 53)
#define MEMATTR(m) ((uint64_t)(m) << 2)
#define RW (DS_PROT_PR | DS_PROT_PW)
#define RW_BOTH (DS_PROT_PR | DS_PROT_PW | DS_PROT_UR | DS_PROT_UW)
#define G1 (1ULL << 30)

static struct walk_fixture fx;

static void setup(const struct ds_format *f, unsigned va_bits, unsigned levels)
{
	struct ds_pgtable_config cfg = { .format = f, .va_bits = va_bits, .levels = levels };

	fixture_setup(&fx, &cfg, 8 << 20);
}

static int teardown(void **state)
{
	fixture_teardown(&fx);
	return 0;
}

static int try_init(const struct ds_format *f, unsigned va_bits, unsigned levels)
{
	struct ds_pgtable_config cfg = {
		.format = f, .va_bits = va_bits, .levels = levels, .nroots = 1,
		.read_phys = memimage_read,
	};
	struct ds_pgtable pt;
	struct ds_error err = { 0 };
	int r = ds_pgtable_init(&pt, &cfg, &err);

	if (r < 0)
		assert_non_null(err.what);
	return r;
}

/* A 40-bit IPA with 4K pages would start at level 0 on a 2-entry table:
 * io-pgtable starts at level 1 on two concatenated tables instead. */
static void ipa_40_starts_at_level_1_on_two_tables(void **state)
{
	uint64_t second = 1ULL << 39; /* the second table's first IPA */

	setup(&ds_format_arm64_s2_4k, 40, 0);
	assert_int_equal(fx.pt.levels, 3);
	assert_int_equal(fx.pt.top_bits, 10);
	assert_int_equal(fx.pt.cfg.roots[0] & 0x1fff, 0); /* aligned to both tables */
	assert_int_equal(fixture_map(&fx, 0x1000, 0x80000, 0x1000, 0, RW | DS_PROT_PX,
				     DS_MEM_CACHED), 0);
	assert_int_equal(fixture_map(&fx, second, 0x40000000, G1, 2, RW, DS_MEM_CACHED), 0);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, 2);
	/* Page type 0b11, MemAttr write-back, S2AP read-write, executable. */
	assert_int_equal(fx.ranges[0].pte, 0x80000ULL | 0x3 | MEMATTR(0xf) | S2AP_R | S2AP_W |
					       SH_INNER | AF);
	assert_int_equal(fx.ranges[0].attrs.prot, RW_BOTH | DS_PROT_PX | DS_PROT_UX);
	assert_int_equal(fx.ranges[0].attrs.mem, DS_MEM_CACHED);
	/* A 1G block in the second concatenated table, not executable. */
	assert_int_equal(fx.ranges[1].va, second);
	assert_int_equal(fx.ranges[1].pa, 0x40000000);
	assert_int_equal(fx.ranges[1].page_shift, 30);
	assert_int_equal(fx.ranges[1].pte & 3, 1);
	assert_int_equal(fx.ranges[1].pte & XN, XN);
	assert_int_equal(fx.ranges[1].attrs.prot, RW_BOTH);
	assert_int_equal(fx.walk.tables_visited, 3); /* the top (level 1), levels 2 and 3 */
}

/* Where the top table is not short, no concatenation: 4K at 48 bits is
 * four levels, 64K at 48 bits three (start level 1, 64 entries). */
static void full_top_tables_do_not_concatenate(void **state)
{
	setup(&ds_format_arm64_s2_4k, 48, 0);
	assert_int_equal(fx.pt.levels, 4);
	assert_int_equal(fx.pt.top_bits, 9);
	fixture_teardown(&fx);
	setup(&ds_format_arm64_s2_64k, 48, 0);
	assert_int_equal(fx.pt.levels, 3);
	assert_int_equal(fx.pt.top_bits, 6);
}

/* KVM's choice for 16K at 40 bits: start level 2 on 16 tables (SL0 = 1). */
static void sl0_start_level_on_16_tables(void **state)
{
	uint64_t last = (1ULL << 40) - 0x4000;

	setup(&ds_format_arm64_s2_16k, 40, 2);
	assert_int_equal(fx.pt.levels, 2);
	assert_int_equal(fx.pt.top_bits, 15);
	assert_int_equal(fixture_map(&fx, 0x4000, 0x8000, 0x4000, 0, RW, DS_MEM_CACHED), 0);
	assert_int_equal(fixture_map(&fx, last, 0xc000, 0x4000, 0, RW, DS_MEM_CACHED), 0);
	assert_int_equal(fixture_map(&fx, 1ULL << 40, 0, 0x4000, 0, RW, 0), -EINVAL);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, 2);
	assert_int_equal(fx.ranges[0].va, 0x4000);
	assert_int_equal(fx.ranges[1].va, last);
	assert_int_equal(fx.ranges[1].pa, 0xc000);
}

static void start_levels_the_width_cannot_have_are_refused(void **state)
{
	/* 16K, 40 bits: level 3 needs 2^15 tables of 2048 entries... */
	assert_int_equal(try_init(&ds_format_arm64_s2_16k, 40, 1), -EINVAL);
	/* ...levels 3 and 2 are fine, 4 is above what 26 bits need. */
	assert_int_equal(try_init(&ds_format_arm64_s2_16k, 40, 3), 0);
	assert_int_equal(try_init(&ds_format_arm64_s2_16k, 40, 4), -EINVAL);
	/* 4K, 44 bits at level 1: 32 tables, more than 16. */
	assert_int_equal(try_init(&ds_format_arm64_s2_4k, 44, 3), -EINVAL);
	assert_int_equal(try_init(&ds_format_arm64_s2_4k, 44, 4), 0);
	assert_int_equal(try_init(&ds_format_arm64_s2_4k, 42, 3), 0);
	/* Levels are for stage 2 only. */
	assert_int_equal(try_init(&ds_format_arm64_4k, 48, 4), -EINVAL);
}

/* MemAttr is the type itself; S2AP read and write; XN bit 54. */
static void attributes_decode_without_a_mair(void **state)
{
	static const struct {
		uint64_t bits;
		uint8_t prot, mem;
	} cases[] = {
		{ MEMATTR(0x1) | S2AP_R | S2AP_W | XN, RW_BOTH, DS_MEM_DEVICE },
		{ MEMATTR(0x5) | S2AP_R | XN, DS_PROT_PR | DS_PROT_UR, DS_MEM_UNCACHED },
		{ MEMATTR(0xf) | S2AP_W | (1ULL << 54), DS_PROT_PW | DS_PROT_UW, DS_MEM_CACHED },
		{ MEMATTR(0xf), DS_PROT_PX | DS_PROT_UX, DS_MEM_CACHED },
		{ MEMATTR(0x7) | S2AP_R, DS_PROT_PR | DS_PROT_UR | DS_PROT_PX | DS_PROT_UX,
		  DS_MEM_UNCACHED },
	};
	uint64_t top, l1, l2;

	setup(&ds_format_arm64_s2_4k, 39, 0);
	assert_int_equal(fx.pt.levels, 3);
	assert_int_equal(fixture_map(&fx, 0, 0x200000, 0x1000, 0, RW, DS_MEM_CACHED), 0);
	top = fx.pt.cfg.roots[0];
	/* The level 2 table under entry 0 of the top, the page table under that. */
	assert_int_equal(memimage_read(&fx.mem, top, &l1, 8), 0);
	assert_int_equal(memimage_read(&fx.mem, ds_le64(l1) & DS_GENMASK(47, 12), &l2, 8), 0);
	l2 = ds_le64(l2) & DS_GENMASK(47, 12);
	/* Stage 1's APTable/XNTable bits mean nothing at stage 2. */
	fixture_poke(&fx, top, (ds_le64(l1) | DS_GENMASK(63, 59)));
	for (unsigned i = 0; i < DS_ARRAY_SIZE(cases); i++)
		fixture_poke(&fx, l2 + 8 * i, (0x300000 + 0x1000 * i) | 0x3 | AF | cases[i].bits);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, DS_ARRAY_SIZE(cases));
	for (unsigned i = 0; i < DS_ARRAY_SIZE(cases); i++) {
		assert_int_equal(fx.ranges[i].va, 0x1000 * i);
		assert_int_equal(fx.ranges[i].attrs.prot, cases[i].prot);
		assert_int_equal(fx.ranges[i].attrs.mem, cases[i].mem);
	}
}

/* 64K: PA bits 51:48 in descriptor bits 15:12, as at stage 1. */
static void granule_64k_packs_pa_bits_51_48(void **state)
{
	uint64_t pa = 0x000f000000010000ULL;

	setup(&ds_format_arm64_s2_64k, 42, 0);
	assert_int_equal(fx.pt.levels, 2);
	assert_int_equal(fixture_map(&fx, 0x10000, pa, 0x10000, 0, RW, DS_MEM_DEVICE), 0);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.ranges[0].pa, pa);
	assert_int_equal((fx.ranges[0].pte >> 12) & 0xf, 0xf);
	assert_int_equal(fx.ranges[0].pte & MEMATTR(0xf), MEMATTR(0x1));
	assert_int_equal(fx.ranges[0].attrs.mem, DS_MEM_DEVICE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(ipa_40_starts_at_level_1_on_two_tables, teardown),
		cmocka_unit_test_teardown(full_top_tables_do_not_concatenate, teardown),
		cmocka_unit_test_teardown(sl0_start_level_on_16_tables, teardown),
		cmocka_unit_test(start_levels_the_width_cannot_have_are_refused),
		cmocka_unit_test_teardown(attributes_decode_without_a_mair, teardown),
		cmocka_unit_test_teardown(granule_64k_packs_pa_bits_51_48, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
