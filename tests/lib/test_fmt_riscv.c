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
#define AD 0xc0ULL

static struct walk_fixture fx;

static void setup(const struct ds_format *f)
{
	struct ds_pgtable_config cfg = { .format = f };

	fixture_setup(&fx, &cfg, 64 << 20);
}

static int teardown(void **state)
{
	fixture_teardown(&fx);
	return 0;
}

static void pages_have_the_spec_bits(void **state)
{
	setup(&ds_format_riscv_sv39);
	assert_int_equal(fixture_map(&fx, 0x1000, 0x80001000, 0x1000, 0,
				     DS_PROT_PR | DS_PROT_PW, DS_MEM_CACHED), 0);
	assert_int_equal(fixture_map(&fx, 0x3000, 0x80003000, 0x1000, 0,
				     DS_PROT_UR | DS_PROT_UX, DS_MEM_UNCACHED), 0);
	assert_int_equal(fixture_map(&fx, 0x5000, 0x10000000, 0x1000, 0, DS_PROT_PR | DS_PROT_PW,
				     DS_MEM_DEVICE), 0);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, 3);
	assert_int_equal(fx.ranges[0].pte, (0x80001000ULL >> 2) | V | R | W | AD);
	assert_int_equal(fx.ranges[1].pte, (0x80003000ULL >> 2) | V | R | X | U | AD | 1ULL << 61);
	assert_int_equal(fx.ranges[1].attrs.prot, DS_PROT_UR | DS_PROT_UX);
	assert_int_equal(fx.ranges[1].attrs.mem, DS_MEM_UNCACHED);
	assert_int_equal(fx.ranges[2].pte >> 61, 2);
	assert_int_equal(fx.ranges[2].attrs.mem, DS_MEM_DEVICE);
}

static void superpages_at_every_level(void **state)
{
	setup(&ds_format_riscv_sv48);
	assert_int_equal(fixture_map(&fx, 1ULL << 39, 1ULL << 39, 1ULL << 39, 3, DS_PROT_PR, 0), 0);
	assert_int_equal(fixture_map(&fx, 1ULL << 30, 1ULL << 30, 1ULL << 30, 2, DS_PROT_PR, 0), 0);
	assert_int_equal(fixture_map(&fx, 1ULL << 21, 0, 1ULL << 21, 1, DS_PROT_PR, 0), 0);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, 3);
	assert_int_equal(fx.ranges[0].page_shift, 21);
	assert_int_equal(fx.ranges[1].page_shift, 30);
	assert_int_equal(fx.ranges[2].page_shift, 39);
	assert_int_equal(fx.ranges[2].pa, 1ULL << 39);
}

static void sv39_upper_half_is_sign_extended(void **state)
{
	setup(&ds_format_riscv_sv39);
	assert_int_equal(fixture_map(&fx, 0xffffffc000000000ULL, 0x200000, 0x200000, 1,
				     DS_PROT_PR | DS_PROT_PX, 0), 0);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.ranges[0].va, 0xffffffc000000000ULL);
}

static void sv57_reaches_57_bits(void **state)
{
	setup(&ds_format_riscv_sv57);
	assert_int_equal(fx.pt.levels, 5);
	assert_int_equal(fixture_map(&fx, 0x00ff000000000000ULL, 0x1000, 0x1000, 0, DS_PROT_PR, 0), 0);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.ranges[0].va, 0x00ff000000000000ULL);
}

/* Replaces the leaf mapping VA 0x1000 and expects the walk to refuse it. */
static void expect_reserved(uint64_t pte, const char *why)
{
	uint64_t pa, e;

	setup(&ds_format_riscv_sv39);
	assert_int_equal(fixture_map(&fx, 0x1000, 0x200000, 0x1000, 0, DS_PROT_PR, 0), 0);
	pa = fx.pt.cfg.roots[0];
	for (int h = 2; h > 0; h--) {
		assert_int_equal(memimage_read(&fx.mem, pa, &e, 8), 0);
		pa = (e & DS_GENMASK(53, 10)) << 2;
	}
	fixture_poke(&fx, pa + 8, pte);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), -EINVAL);
	assert_string_equal(fx.walk.error.what, why);
	fixture_teardown(&fx);
}

static void reserved_encodings_are_refused(void **state)
{
	expect_reserved((0x200000 >> 2) | V | W, "writable but not readable");
	expect_reserved((0x200000 >> 2) | V | R | 1ULL << 55, "reserved bits 60:54 set");
	expect_reserved((0x200000 >> 2) | V | R | 3ULL << 61, "reserved PBMT value 3");
	expect_reserved((0x200000 >> 2) | V | R | 1ULL << 63, "Svnapot entry (not decoded)");
}

static void a_misaligned_superpage_is_refused(void **state)
{
	setup(&ds_format_riscv_sv39);
	fixture_poke(&fx, fx.pt.cfg.roots[0] + 8, (0x40001000ULL >> 2) | V | R);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), -EINVAL);
	assert_string_equal(fx.walk.error.what, "misaligned superpage");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(pages_have_the_spec_bits, teardown),
		cmocka_unit_test_teardown(superpages_at_every_level, teardown),
		cmocka_unit_test_teardown(sv39_upper_half_is_sign_extended, teardown),
		cmocka_unit_test_teardown(sv57_reaches_57_bits, teardown),
		cmocka_unit_test(reserved_encodings_are_refused),
		cmocka_unit_test_teardown(a_misaligned_superpage_is_refused, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
