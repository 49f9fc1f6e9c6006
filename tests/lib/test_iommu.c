// SPDX-License-Identifier: MIT
/* lib/iommu_vtd.c and iommu_amd.c: from a PCI function to its page table
 * through hand-written VT-d root/context/PASID entries and AMD-Vi device
 * table entries, each way of having no table to walk one clear error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "capture/memimage.h"
#include "formats/formats.h"
#include "iommu.h"

#define ROOT 0x10000ULL  /* root table / device table */
#define CTX 0x20000ULL   /* context table */
#define CTX_HI 0x30000ULL /* scalable mode: devfn 128-255 */
#define PDIR 0x40000ULL  /* PASID directory */
#define PTBL 0x50000ULL  /* PASID table */
#define SLPT 0x60000ULL
#define FLPT 0x70000ULL
#define BUS 3
#define RID(dev, fn) (BUS << 8 | (dev) << 3 | (fn))

static struct memimage mem;

static int setup(void **state)
{
	assert_int_equal(memimage_init(&mem, 0, 1 << 20), 0);
	return 0;
}

static int teardown(void **state)
{
	memimage_free(&mem);
	return 0;
}

static void poke(uint64_t pa, uint64_t v)
{
	v = ds_le64(v);
	assert_int_equal(memimage_write(&mem, pa, &v, 8), 0);
}

static int vtd(uint64_t rtaddr, uint16_t rid, struct ds_iommu_domain *d, struct ds_error *err)
{
	struct ds_pci_function fn = { .rid = rid };

	return ds_vtd_find_domain(rtaddr, &fn, memimage_read, &mem, d, err);
}

static int amd(uint16_t rid, struct ds_iommu_domain *d, struct ds_error *err)
{
	struct ds_pci_function fn = { .rid = rid };

	return ds_amd_find_domain(ROOT, &fn, memimage_read, &mem, d, err);
}

/* Legacy: context entry lo = SLPTPTR | TT << 2 | P, hi = DID << 8 | AW. */
static void legacy_context(unsigned devfn, uint64_t lo, uint64_t hi)
{
	poke(ROOT + BUS * 16, CTX | 1);
	poke(CTX + devfn * 16, lo);
	poke(CTX + devfn * 16 + 8, hi);
}

static void legacy_mode_gives_the_second_level_table(void **state)
{
	static const unsigned widths[] = { 0, 39, 48, 57 };
	struct ds_iommu_domain d;
	struct ds_error err = { 0 };

	for (unsigned aw = 1; aw <= 3; aw++) {
		legacy_context(0x18, SLPT | 1, 42 << 8 | aw);
		assert_int_equal(vtd(ROOT, RID(3, 0), &d, &err), 0);
		assert_ptr_equal(d.format, &ds_format_vtd);
		assert_int_equal(d.root, SLPT);
		assert_int_equal(d.va_bits, widths[aw]);
		assert_int_equal(d.domain_id, 42);
	}
	/* TT 1 (device TLBs allowed) translates the same way. */
	legacy_context(0x18, SLPT | 1 << 2 | 1, 7 << 8 | 2);
	assert_int_equal(vtd(ROOT, RID(3, 0), &d, &err), 0);
	assert_int_equal(d.domain_id, 7);
}

static void legacy_mode_errors(void **state)
{
	struct ds_iommu_domain d;
	struct ds_error err = { 0 };

	assert_int_equal(vtd(ROOT, RID(3, 0), &d, &err), -ENOENT);
	assert_string_equal(err.what, "no context table for the function's bus: the root entry "
				      "is not present");
	assert_int_equal(err.pa, ROOT + BUS * 16);
	legacy_context(0x19, SLPT | 1, 2);
	assert_int_equal(vtd(ROOT, RID(3, 0), &d, &err), -ENOENT);
	assert_string_equal(err.what, "no context entry for the function: its DMA is blocked, "
				      "or no driver has set it up");
	legacy_context(0x18, SLPT | 2 << 2 | 1, 2);
	assert_int_equal(vtd(ROOT, RID(3, 0), &d, &err), -EOPNOTSUPP);
	assert_string_equal(err.what, "the function is in pass-through: its DMA reaches "
				      "physical memory untranslated");
	legacy_context(0x18, SLPT | 1, 0); /* AW 0: 2 levels, gone from the spec */
	assert_int_equal(vtd(ROOT, RID(3, 0), &d, &err), -EINVAL);
	legacy_context(0x18, SLPT | 3 << 2 | 1, 2);
	assert_int_equal(vtd(ROOT, RID(3, 0), &d, &err), -EINVAL);
	assert_int_equal(vtd(ROOT | 2 << 10, RID(3, 0), &d, &err), -EOPNOTSUPP);
	assert_int_equal(vtd(1 << 20, RID(3, 0), &d, &err), -EFAULT); /* beyond memory */
	assert_string_equal(err.what, "cannot read the root entry");
}

/* Scalable: a function with RID_PASID 65 (directory entry 1, table slot 1)
 * and PASID entry words v0, v1, v2. */
static void scalable_context(unsigned devfn, uint64_t v0, uint64_t v1, uint64_t v2)
{
	uint64_t ctp = devfn < 128 ? CTX : CTX_HI;
	uint64_t ce = ctp + (devfn & 0x7f) * 32, pe = PTBL + 1 * 64;

	poke(ROOT + BUS * 16 + (devfn < 128 ? 0 : 8), ctp | 1);
	poke(ce, PDIR | 1);  /* PDTS 0: 128 directory entries */
	poke(ce + 8, 65);    /* RID_PASID */
	poke(PDIR + 1 * 8, PTBL | 1);
	poke(pe, v0);
	poke(pe + 8, v1);
	poke(pe + 16, v2);
}

#define SM 1 << 10 /* RTADDR_REG TTM: scalable mode */
#define PGTT(t) ((uint64_t)(t) << 6)

static void scalable_mode_gives_the_table_the_pasid_entry_names(void **state)
{
	struct ds_iommu_domain d;
	struct ds_error err = { 0 };

	scalable_context(0x18, SLPT | PGTT(2) | 2 << 2 | 1, 9, 0);
	assert_int_equal(vtd(ROOT | SM, RID(3, 0), &d, &err), 0);
	assert_ptr_equal(d.format, &ds_format_vtd);
	assert_int_equal(d.root, SLPT);
	assert_int_equal(d.va_bits, 48);
	assert_int_equal(d.domain_id, 9);
	/* First-level: x86-64 paging, FLPM choosing 4 or 5 levels; devfn 128+. */
	scalable_context(0x98, PGTT(1) | 1, 10, FLPT);
	assert_int_equal(vtd(ROOT | SM, RID(0x13, 0), &d, &err), 0);
	assert_ptr_equal(d.format, &ds_format_x86_64);
	assert_int_equal(d.root, FLPT);
	assert_int_equal(d.domain_id, 10);
	scalable_context(0x98, PGTT(1) | 1, 10, FLPT | 1 << 2);
	assert_int_equal(vtd(ROOT | SM, RID(0x13, 0), &d, &err), 0);
	assert_ptr_equal(d.format, &ds_format_x86_64_5l);
	assert_int_equal(d.va_bits, 57);

	scalable_context(0x18, PGTT(4) | 1, 9, 0);
	assert_int_equal(vtd(ROOT | SM, RID(3, 0), &d, &err), -EOPNOTSUPP);
	scalable_context(0x18, SLPT | PGTT(3) | 2 << 2 | 1, 9, 0);
	assert_int_equal(vtd(ROOT | SM, RID(3, 0), &d, &err), -EOPNOTSUPP);
	scalable_context(0x18, SLPT | PGTT(2) | 2 << 2, 9, 0);
	assert_int_equal(vtd(ROOT | SM, RID(3, 0), &d, &err), -ENOENT);
	assert_string_equal(err.what, "no PASID entry for the function's RID_PASID");
}

/* AMD-Vi device table entry: V, TV, mode 11:9, root 51:12; DomainID. */
static void amd_device_table_entry(void **state)
{
	struct ds_iommu_domain d;
	struct ds_error err = { 0 };
	uint64_t dte = ROOT + RID(3, 0) * 32;

	poke(dte, SLPT | 3 << 9 | 3 | 3ULL << 61);
	poke(dte + 8, 77);
	assert_int_equal(amd(RID(3, 0), &d, &err), 0);
	assert_ptr_equal(d.format, &ds_format_amd_v1);
	assert_int_equal(d.root, SLPT);
	assert_int_equal(d.va_bits, 39);
	assert_int_equal(d.domain_id, 77);
	poke(dte, SLPT | 6 << 9 | 3);
	assert_int_equal(amd(RID(3, 0), &d, &err), 0);
	assert_int_equal(d.va_bits, 64);

	poke(dte, SLPT | 3 << 9 | 2); /* not valid */
	assert_int_equal(amd(RID(3, 0), &d, &err), -EOPNOTSUPP);
	poke(dte, SLPT | 0 << 9 | 3); /* mode 0: no translation */
	assert_int_equal(amd(RID(3, 0), &d, &err), -EOPNOTSUPP);
	assert_string_equal(err.what, "the device table entry translates nothing (V, TV clear or "
				      "mode 0): the function's DMA is not remapped");
	poke(dte, SLPT | 7 << 9 | 3);
	assert_int_equal(amd(RID(3, 0), &d, &err), -EINVAL);
	assert_int_equal(err.pa, dte);
}

/* The register's size field (4K pages minus one) bounds the requester id. */
static void amd_device_table_size(void **state)
{
	struct ds_pci_function fn = { .rid = RID(3, 0) }; /* entry 0x318, in the 7th 4K page */
	struct ds_iommu_domain d;
	struct ds_error err = { 0 };

	poke(ROOT + RID(3, 0) * 32, SLPT | 4 << 9 | 3);
	assert_int_equal(ds_amd_find_domain(ROOT | 5, &fn, memimage_read, &mem, &d, &err),
			 -ENOENT);
	assert_string_equal(err.what, "the requester id lies beyond the device table's size");
	assert_int_equal(ds_amd_find_domain(ROOT | 6, &fn, memimage_read, &mem, &d, &err), 0);
	assert_int_equal(d.va_bits, 48);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(legacy_mode_gives_the_second_level_table, setup,
						teardown),
		cmocka_unit_test_setup_teardown(legacy_mode_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(scalable_mode_gives_the_table_the_pasid_entry_names,
						setup, teardown),
		cmocka_unit_test_setup_teardown(amd_device_table_entry, setup, teardown),
		cmocka_unit_test_setup_teardown(amd_device_table_size, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
