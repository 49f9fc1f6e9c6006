// SPDX-License-Identifier: MIT
/*
 * AMD-Vi: the device table entry of a requester id -> its host page table
 * (AMD IOMMU spec 2.2.2; Linux drivers/iommu/amd/amd_iommu_types.h,
 * DTE_FLAG_V, DTE_FLAG_TV, DEV_ENTRY_MODE_*, DEV_DOMID_MASK).  Entries
 * are 32 bytes, indexed by the requester id.
 */
#include "iommu.h"
#include "formats/formats.h"

#define DTE_V DS_BIT(0)
#define DTE_TV DS_BIT(1)
#define DTE_MODE(d0) (((d0) >> 9) & 7)
#define DTE_ROOT DS_GENMASK(51, 12)
#define DTE_DOMAIN_ID(d1) ((d1) & 0xffff)
#define MODE_NO_TRANSLATION 0
#define MODE_RESERVED 7
#define DEV_TABLE_SIZE(reg) ((reg) & 0x1ff) /* 4K pages of the table, minus one */

static int fail(struct ds_error *err, int code, const char *what, u64 pa)
{
	err->what = what;
	err->va = DS_NO_ADDR;
	err->pa = pa;
	err->height = -1;
	return code;
}

int ds_amd_find_domain(u64 dev_table, const struct ds_pci_function *fn,
		       ds_read_phys_fn read_phys, void *opaque, struct ds_iommu_domain *out,
		       struct ds_error *err)
{
	u64 pa = (dev_table & DTE_ROOT) + (u64)fn->rid * 32, dte[2];
	unsigned int mode;
	int r;

	ds_memset(out, 0, sizeof(*out));
	/* Given as the register reads, the table's size bounds the id. */
	if (DEV_TABLE_SIZE(dev_table) && fn->rid >= (DEV_TABLE_SIZE(dev_table) + 1) * 4096 / 32)
		return fail(err, -ENOENT, "the requester id lies beyond the device table's size",
			    dev_table & DTE_ROOT);
	r = read_phys(opaque, pa, dte, sizeof(dte));
	if (r < 0)
		return fail(err, r, "cannot read the device table entry", pa);
	dte[0] = ds_le64(dte[0]);
	dte[1] = ds_le64(dte[1]);
	mode = DTE_MODE(dte[0]);
	if (!(dte[0] & DTE_V) || !(dte[0] & DTE_TV) || mode == MODE_NO_TRANSLATION)
		return fail(err, -EOPNOTSUPP, "the device table entry translates nothing (V, TV "
			    "clear or mode 0): the function's DMA is not remapped", pa);
	if (mode == MODE_RESERVED)
		return fail(err, -EINVAL, "reserved paging mode 7 in the device table entry", pa);
	out->format = &ds_format_amd_v1;
	out->root = dte[0] & DTE_ROOT;
	out->va_bits = mode == 6 ? 64 : 12 + 9 * mode;
	out->domain_id = DTE_DOMAIN_ID(dte[1]);
	return 0;
}
