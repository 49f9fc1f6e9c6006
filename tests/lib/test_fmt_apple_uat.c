// SPDX-License-Identifier: MIT
/* apple-uat: the drm/asahi driver's protections map to the exact bits it
 * writes, the firmware's kernel VM sits in the upper half, and entries
 * that are not type 0b11 are refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "formats/formats.h"
#include "walk_fixture.h"

#define AF (1ULL << 10)
#define PXN (1ULL << 53)
#define UXN (1ULL << 54)
#define GPU_ACCESS (1ULL << 55)
#define AP(n) ((uint64_t)(n) << 6)
#define MEMATTR(n) ((uint64_t)(n) << 2)
#define FW_RW (DS_PROT_PR | DS_PROT_PW)
#define GPU_RW (DS_PROT_UR | DS_PROT_UW)

static struct walk_fixture fx;

static int setup_kernel_vm(void **state)
{
	struct ds_pgtable_config cfg = { .format = &ds_format_apple_uat, .upper_half = true };

	fixture_setup(&fx, &cfg, 8 << 20);
	return 0;
}

static int teardown(void **state)
{
	fixture_teardown(&fx);
	return 0;
}

/* The protections drivers/gpu/drm/asahi/pgtable.rs defines, and their bits. */
static const struct {
	const char *name;
	uint8_t prot, mem;
	uint64_t bits;
} driver_prots[] = {
	{ "PROT_FW_MMIO_RW", FW_RW, DS_MEM_DEVICE, AP(1) | UXN | MEMATTR(1) },
	{ "PROT_FW_MMIO_RO", DS_PROT_PR, DS_MEM_DEVICE, AP(1) | MEMATTR(1) },
	{ "PROT_FW_SHARED_RW", FW_RW, DS_MEM_UNCACHED, AP(1) | UXN | MEMATTR(2) },
	{ "PROT_FW_PRIV_RW", FW_RW, DS_MEM_CACHED, AP(1) | UXN },
	{ "PROT_GPU_FW_SHARED_RW", FW_RW | GPU_RW, DS_MEM_UNCACHED, AP(0) | UXN | PXN | MEMATTR(2) },
	{ "PROT_GPU_RO_FW_PRIV_RW", FW_RW | DS_PROT_UR, DS_MEM_CACHED, AP(1) | UXN | PXN },
	{ "PROT_GPU_SHARED_RW", GPU_RW, DS_MEM_UNCACHED, AP(2) | UXN | MEMATTR(2) },
	{ "PROT_GPU_SHARED_RO", DS_PROT_UR, DS_MEM_UNCACHED, AP(2) | MEMATTR(2) },
	{ "PROT_GPU_SHARED_WO", DS_PROT_UW, DS_MEM_UNCACHED, AP(2) | PXN | MEMATTR(2) },
};

static void driver_protections_have_the_driver_bits(void **state)
{
	uint64_t base = 0xffffffa000000000ULL, page = 0x4000;

	for (unsigned i = 0; i < DS_ARRAY_SIZE(driver_prots); i++)
		assert_int_equal(fixture_map(&fx, base + 2 * i * page, 0x800000 + i * page, page, 0,
					     driver_prots[i].prot, driver_prots[i].mem), 0);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, DS_ARRAY_SIZE(driver_prots));
	for (unsigned i = 0; i < DS_ARRAY_SIZE(driver_prots); i++) {
		uint64_t want = (0x800000 + i * page) | 0x3 | AF | GPU_ACCESS | driver_prots[i].bits;

		if (fx.ranges[i].pte != want)
			fail_msg("%s: pte %#llx, want %#llx", driver_prots[i].name,
				 (unsigned long long)fx.ranges[i].pte, (unsigned long long)want);
		assert_int_equal(fx.ranges[i].va, base + 2 * i * page);
		assert_int_equal(fx.ranges[i].attrs.prot, driver_prots[i].prot);
		assert_int_equal(fx.ranges[i].attrs.mem, driver_prots[i].mem);
	}
}

static void kernel_vm_is_three_levels_of_16k(void **state)
{
	assert_int_equal(fx.pt.levels, 3);
	assert_int_equal(fx.pt.top_bits, 3);
	assert_int_equal(fixture_map(&fx, 0xffffff8000000000ULL, 0x4000, 0x4000, 0, FW_RW, 0), 0);
	assert_int_equal(fixture_map(&fx, 0x8000000000ULL - 0x4000, 0, 0x4000, 0, FW_RW, 0), -EINVAL);
	/* No blocks in the UAT. */
	assert_int_equal(fixture_map(&fx, 0xffffff8002000000ULL, 0, 0x2000000, 1, FW_RW, 0), -EINVAL);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.ranges[0].va, 0xffffff8000000000ULL);
}

static void permissions_the_uat_cannot_express_are_refused(void **state)
{
	/* Firmware read-only with GPU read-write has no encoding. */
	assert_int_equal(fixture_map(&fx, 0xffffff8000000000ULL, 0, 0x4000, 0,
				     DS_PROT_PR | GPU_RW, 0), -EINVAL);
}

static void entries_not_typed_0b11_are_refused(void **state)
{
	uint64_t root = fx.pt.cfg.roots[0];

	fixture_poke(&fx, root, 0x100000 | 0x1);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), -EINVAL);
	assert_string_equal(fx.walk.error.what, "UAT entry type is not 0b11");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup_kernel_vm, teardown)
		T(driver_protections_have_the_driver_bits),
		T(kernel_vm_is_three_levels_of_16k),
		T(permissions_the_uat_cannot_express_are_refused),
		T(entries_not_typed_0b11_are_refused),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
