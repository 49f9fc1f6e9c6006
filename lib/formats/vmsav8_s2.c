// SPDX-License-Identifier: MIT
/*
 * VMSAv8-64 stage 2 (Arm ARM D8; an SMMU's or a hypervisor's IPA -> PA
 * tables, io-pgtable's ARM_64_LPAE_S2): the stage 1 descriptors' layout
 * with other attributes.  A leaf holds MemAttr[3:0] itself (no MAIR) and
 * S2AP, read and write with no privilege levels; tables carry no
 * hierarchical bits.  The walk may start a level lower than the IPA width
 * needs, on up to 16 concatenated tables (VTCR_EL2.SL0): cfg->levels.
 */
#include "vmsav8.h"

#define S2_MEMATTR_SHIFT 2
#define S2_MEMATTR_DEVICE 0x1 /* Device-nGnRE, as io-pgtable maps MMIO */
#define S2_MEMATTR_NC 0x5     /* Normal, inner and outer non-cacheable */
#define S2_MEMATTR_WB 0xf     /* Normal, inner and outer write-back */
#define S2_AP_READ DS_BIT(6)
#define S2_AP_WRITE DS_BIT(7)
/* XN without FEAT_XNX; io-pgtable sets bits 54 and 53 alike. */
#define S2_XN DS_BIT(54)
#define S2_XN_BOTH (DS_BIT(54) | DS_BIT(53))

static u8 s2_mem_type(u64 pte)
{
	unsigned int attr = (pte >> S2_MEMATTR_SHIFT) & 0xf;

	if (!(attr >> 2))
		return DS_MEM_DEVICE;
	/* Normal: outer [3:2], inner [1:0]; 0b01 is non-cacheable. */
	if ((attr >> 2) == 1 || (attr & 3) == 1)
		return DS_MEM_UNCACHED;
	return DS_MEM_CACHED;
}

static u8 s2_leaf_prot(u64 pte)
{
	u8 prot = 0;

	if (pte & S2_AP_READ)
		prot |= DS_PROT_PR | DS_PROT_UR;
	if (pte & S2_AP_WRITE)
		prot |= DS_PROT_PW | DS_PROT_UW;
	if (!(pte & S2_XN))
		prot |= DS_PROT_PX | DS_PROT_UX;
	return prot;
}

static int s2_decode(const struct ds_pgtable *pt, u64 pte, unsigned int height,
		     struct ds_pte_info *out)
{
	ds_vmsav8_decode_kind(pt, pte, height, out);
	if (out->kind == DS_PTE_TABLE) {
		out->attrs.prot = DS_PROT_ALL; /* stage 2 tables carry no permission bits */
	} else if (out->kind == DS_PTE_LEAF) {
		out->attrs.prot = s2_leaf_prot(pte);
		out->attrs.mem = s2_mem_type(pte);
	}
	return 0;
}

static u64 s2_attr_bits(const struct ds_attrs *attrs)
{
	u64 bits = 0;

	if (attrs->prot & (DS_PROT_PR | DS_PROT_UR))
		bits |= S2_AP_READ;
	if (attrs->prot & (DS_PROT_PW | DS_PROT_UW))
		bits |= S2_AP_WRITE;
	if (!(attrs->prot & (DS_PROT_PX | DS_PROT_UX)))
		bits |= S2_XN_BOTH;
	if (attrs->mem == DS_MEM_DEVICE)
		return bits | (u64)S2_MEMATTR_DEVICE << S2_MEMATTR_SHIFT;
	bits |= V8_SH_INNER;
	if (attrs->mem == DS_MEM_UNCACHED)
		return bits | (u64)S2_MEMATTR_NC << S2_MEMATTR_SHIFT;
	return bits | (u64)S2_MEMATTR_WB << S2_MEMATTR_SHIFT;
}

static int s2_encode(const struct ds_pgtable *pt, const struct ds_pte_info *in,
		     unsigned int height, u64 *pte)
{
	u64 oa;

	if (ds_vmsav8_oa_bits(pt, in->pa, &oa) < 0)
		return -EINVAL;
	if (in->kind == DS_PTE_TABLE) {
		*pte = oa | V8_TYPE_TABLE;
		return 0;
	}
	*pte = oa | V8_AF | s2_attr_bits(&in->attrs) | (height ? V8_TYPE_BLOCK : V8_TYPE_TABLE);
	return 0;
}

/* What the three granules share at stage 2. */
#define ARM64_S2_FORMAT_COMMON                                                 \
	.min_va_bits = 25, .max_va_bits = 48, .max_roots = 1,                  \
	.flags = DS_FMT_CONCAT, .decode = s2_decode, .encode = s2_encode

/* Blocks as at stage 1: 4K at L1 (1G) and L2 (2M); 16K at L2; 64K at L2. */
const struct ds_format ds_format_arm64_s2_4k = {
	.name = "arm64-s2-4k",
	.description = "Arm VMSAv8-64 stage 2, 4K granule, 1G/2M blocks, concatenated top",
	.page_shift = 12, .default_va_bits = 48, .leaf_heights = 0x7,
	.oa_mask = DS_GENMASK(47, 12), ARM64_S2_FORMAT_COMMON,
};

const struct ds_format ds_format_arm64_s2_16k = {
	.name = "arm64-s2-16k",
	.description = "Arm VMSAv8-64 stage 2, 16K granule, 32M blocks, concatenated top",
	.page_shift = 14, .default_va_bits = 48, .leaf_heights = 0x3,
	.oa_mask = DS_GENMASK(47, 14), ARM64_S2_FORMAT_COMMON,
};

const struct ds_format ds_format_arm64_s2_64k = {
	.name = "arm64-s2-64k",
	.description =
		"Arm VMSAv8-64 stage 2, 64K granule, 512M blocks, 52-bit PA, concatenated top",
	.page_shift = 16, .default_va_bits = 48, .leaf_heights = 0x3,
	.oa_mask = DS_GENMASK(47, 16), ARM64_S2_FORMAT_COMMON,
};
