// SPDX-License-Identifier: MIT
/*
 * Apple AGX GPU UAT, as the Asahi drm/asahi driver programs it
 * (drivers/gpu/drm/asahi/pgtable.rs): VMSAv8-like, 16K pages, 3 levels
 * over a 39-bit space, the firmware's kernel VM in the upper half (TTBR1).
 * Tables and pages are both type 0b11 and there are no blocks.
 *
 * With the GPU-access bit set (all the driver writes), AP picks who may
 * access and the PXN/UXN bits are reused as permission bits:
 *   AP 0 (firmware and GPU): (UXN,PXN) 00 none, 01 RO, 10 WO, 11 RW, for both
 *   AP 1 (firmware only):    00 RO, 01 none, 10 RW, 11 RW and GPU RO
 *   AP 2 (GPU only):         00 RO, 01 WO, 10 RW, 11 none
 * The firmware is the privileged accessor, the GPU the unprivileged one.
 * Without the GPU-access bit the entry reads as plain VMSAv8.
 */
#include "vmsav8.h"

#define UAT_AP_SHIFT 6
#define UAT_MEMATTR_SHIFT 2
#define UAT_HIGH_PXN DS_BIT(53)
#define UAT_HIGH_UXN DS_BIT(54)
#define UAT_GPU_ACCESS DS_BIT(55)
#define UAT_ADDR DS_GENMASK(51, 14)

enum { UAT_MEMATTR_CACHED, UAT_MEMATTR_DEVICE, UAT_MEMATTR_UNCACHED };
enum { UAT_AP_FW_GPU, UAT_AP_FW, UAT_AP_GPU };

#define FW_RO DS_PROT_PR
#define FW_WO DS_PROT_PW
#define FW_RW (DS_PROT_PR | DS_PROT_PW)
#define GPU_RO DS_PROT_UR
#define GPU_WO DS_PROT_UW
#define GPU_RW (DS_PROT_UR | DS_PROT_UW)

/* [AP][UXN << 1 | PXN], from the driver's Prot::from_bits() table. */
static const u8 uat_perms[4][4] = {
	[UAT_AP_FW_GPU] = { 0, FW_RO | GPU_RO, FW_WO | GPU_WO, FW_RW | GPU_RW },
	[UAT_AP_FW] = { FW_RO, 0, FW_RW, FW_RW | GPU_RO },
	[UAT_AP_GPU] = { GPU_RO, GPU_WO, GPU_RW, 0 },
	/* AP 3: the driver never writes it; nobody gets access. */
};

static u8 uat_mem_type(u64 pte)
{
	switch ((pte >> UAT_MEMATTR_SHIFT) & 7) {
	case UAT_MEMATTR_CACHED:
		return DS_MEM_CACHED;
	case UAT_MEMATTR_DEVICE:
		return DS_MEM_DEVICE;
	case UAT_MEMATTR_UNCACHED:
		return DS_MEM_UNCACHED;
	default:
		return DS_MEM_UNKNOWN;
	}
}

static u8 uat_prot(u64 pte)
{
	unsigned int ap = (pte >> UAT_AP_SHIFT) & 3;
	unsigned int xn = (pte & UAT_HIGH_UXN ? 2 : 0) | (pte & UAT_HIGH_PXN ? 1 : 0);

	return uat_perms[ap][xn];
}

static int uat_decode(const struct ds_pgtable *pt, u64 pte, unsigned int height,
		      struct ds_pte_info *out)
{
	u64 type = pte & V8_TYPE_MASK;

	if (!type)
		return 0;
	if (type != V8_TYPE_TABLE) {
		out->kind = DS_PTE_RESERVED;
		out->reserved_why = "UAT entry type is not 0b11";
		return 0;
	}
	out->kind = height ? DS_PTE_TABLE : DS_PTE_LEAF;
	out->pa = pte & UAT_ADDR;
	if (height) {
		out->attrs.prot = DS_PROT_ALL;
		return 0;
	}
	if (!(pte & UAT_GPU_ACCESS))
		return ds_format_arm64_16k.decode(pt, pte, height, out);
	out->attrs.prot = uat_prot(pte);
	out->attrs.mem = uat_mem_type(pte);
	return 0;
}

/* The (AP, UXN, PXN) whose permissions are exactly prot, if any. */
static int uat_prot_bits(u8 prot, u64 *bits)
{
	prot &= FW_RW | GPU_RW; /* the GPU-access encodings have no execute */
	for (unsigned int ap = 0; ap < 3; ap++)
		for (unsigned int xn = 0; xn < 4; xn++)
			if (uat_perms[ap][xn] == prot) {
				*bits = (u64)ap << UAT_AP_SHIFT | (xn & 2 ? UAT_HIGH_UXN : 0) |
					(xn & 1 ? UAT_HIGH_PXN : 0);
				return 0;
			}
	return -EINVAL;
}

static int uat_encode(const struct ds_pgtable *pt, const struct ds_pte_info *in,
		      unsigned int height, u64 *pte)
{
	static const u8 memattr[] = {
		[DS_MEM_UNKNOWN] = UAT_MEMATTR_CACHED, [DS_MEM_CACHED] = UAT_MEMATTR_CACHED,
		[DS_MEM_UNCACHED] = UAT_MEMATTR_UNCACHED, [DS_MEM_DEVICE] = UAT_MEMATTR_DEVICE,
	};
	u64 prot_bits;

	if (in->pa & ~UAT_ADDR)
		return -EINVAL;
	if (in->kind == DS_PTE_TABLE) {
		*pte = in->pa | V8_TYPE_TABLE;
		return 0;
	}
	if (in->attrs.mem >= DS_ARRAY_SIZE(memattr) ||
	    uat_prot_bits(in->attrs.prot, &prot_bits) < 0)
		return -EINVAL;
	*pte = in->pa | V8_TYPE_TABLE | V8_AF | UAT_GPU_ACCESS | prot_bits |
	       (u64)memattr[in->attrs.mem] << UAT_MEMATTR_SHIFT;
	return 0;
}

const struct ds_format ds_format_apple_uat = {
	.name = "apple-uat",
	.description = "Apple AGX GPU UAT (drm/asahi), 16K pages, firmware/GPU permissions",
	.page_shift = 14,
	.min_va_bits = 39,
	.max_va_bits = 39,
	.default_va_bits = 39,
	.max_roots = 1,
	.leaf_heights = 0x1,
	.flags = DS_FMT_PRIV_LEVELS | DS_FMT_UPPER_HALF,
	.oa_mask = UAT_ADDR,
	.decode = uat_decode,
	.encode = uat_encode,
};
