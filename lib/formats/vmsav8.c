// SPDX-License-Identifier: MIT
/*
 * VMSAv8-64 stage 1 (Arm ARM D8): 4K, 16K and 64K granules, 3 or 4
 * levels, blocks where the granule allows them, 52-bit PAs for 64K.
 * Hierarchical APTable/XNTable narrow what tables allow below them.
 */
#include "vmsav8.h"

u64 ds_vmsav8_oa(const struct ds_pgtable *pt, u64 pte, unsigned int shift)
{
	u64 pa = pte & DS_GENMASK(47, shift);

	/* 64K granule: PA[51:48] live in descriptor bits [15:12]. */
	if (pt->fmt->page_shift == 16)
		pa |= (pte & DS_GENMASK(15, 12)) << 36;
	return pa;
}

int ds_vmsav8_oa_bits(const struct ds_pgtable *pt, u64 pa, u64 *bits)
{
	unsigned int pa_bits = pt->fmt->page_shift == 16 ? 52 : 48;

	if (pa >> pa_bits)
		return -EINVAL;
	*bits = pa & DS_GENMASK(47, 0);
	if (pt->fmt->page_shift == 16)
		*bits |= (pa >> 36) & DS_GENMASK(15, 12);
	return 0;
}

static u8 mair_byte(const struct ds_pgtable *pt, unsigned int idx)
{
	u64 mair = pt->mair ? pt->mair : V8_DEFAULT_MAIR;

	return (u8)(mair >> (8 * idx));
}

u8 ds_vmsav8_mem_type(const struct ds_pgtable *pt, unsigned int attr_index)
{
	u8 attr = mair_byte(pt, attr_index);

	if (!(attr & 0xf0))
		return DS_MEM_DEVICE; /* Device-nGnRnE ... Device-GRE */
	if (attr == 0x44)
		return DS_MEM_UNCACHED;
	return DS_MEM_CACHED;
}

unsigned int ds_vmsav8_attr_index(const struct ds_pgtable *pt, u8 mem)
{
	u8 want = mem == DS_MEM_UNKNOWN ? DS_MEM_CACHED : mem;

	for (unsigned int i = 0; i < 8; i++)
		if (ds_vmsav8_mem_type(pt, i) == want)
			return i;
	return 0;
}

static u8 arm64_leaf_prot(u64 pte)
{
	unsigned int ap = (pte >> V8_AP_SHIFT) & 3;
	bool el0 = ap & 1, read_only = ap & 2;
	u8 prot = DS_PROT_PR;

	if (!read_only)
		prot |= DS_PROT_PW;
	/* Memory writable at EL0 is never executable at EL1 (Arm ARM D8.4.1.2). */
	if (!(pte & V8_PXN) && !(el0 && !read_only))
		prot |= DS_PROT_PX;
	if (el0) {
		prot |= DS_PROT_UR | (read_only ? 0 : DS_PROT_UW);
		if (!(pte & V8_UXN))
			prot |= DS_PROT_UX;
	}
	return prot;
}

static u8 arm64_table_allows(u64 pte)
{
	u8 allow = DS_PROT_ALL;

	if (pte & V8_AP_TABLE_NO_WRITE)
		allow &= ~(DS_PROT_PW | DS_PROT_UW);
	if (pte & V8_AP_TABLE_NO_EL0)
		allow &= ~(DS_PROT_UR | DS_PROT_UW | DS_PROT_UX);
	if (pte & V8_UXN_TABLE)
		allow &= ~DS_PROT_UX;
	if (pte & V8_PXN_TABLE)
		allow &= ~DS_PROT_PX;
	return allow;
}

void ds_vmsav8_decode_kind(const struct ds_pgtable *pt, u64 pte, unsigned int height,
			   struct ds_pte_info *out)
{
	unsigned int shift = pt->fmt->page_shift + height * pt->level_bits;
	u64 type = pte & V8_TYPE_MASK;

	if (!(pte & V8_VALID))
		return;
	if (height > 0 && type == V8_TYPE_TABLE) {
		out->kind = DS_PTE_TABLE;
		out->pa = ds_vmsav8_oa(pt, pte, pt->fmt->page_shift);
	} else if (height == 0 && type != V8_TYPE_TABLE) {
		out->kind = DS_PTE_RESERVED;
		out->reserved_why = "descriptor type 0b01 at the last level";
	} else {
		out->kind = DS_PTE_LEAF;
		out->pa = ds_vmsav8_oa(pt, pte, shift);
	}
}

static int arm64_decode(const struct ds_pgtable *pt, u64 pte, unsigned int height,
			struct ds_pte_info *out)
{
	ds_vmsav8_decode_kind(pt, pte, height, out);
	if (out->kind == DS_PTE_TABLE) {
		out->attrs.prot = arm64_table_allows(pte);
	} else if (out->kind == DS_PTE_LEAF) {
		out->attrs.prot = arm64_leaf_prot(pte);
		out->attrs.mem = ds_vmsav8_mem_type(pt, (pte >> V8_ATTRINDX_SHIFT) & 7);
	}
	return 0;
}

static u64 arm64_prot_bits(u8 prot)
{
	bool el0 = prot & (DS_PROT_UR | DS_PROT_UW | DS_PROT_UX);
	bool writable = prot & (DS_PROT_PW | DS_PROT_UW);
	u64 bits = (u64)((el0 ? 1 : 0) | (writable ? 0 : 2)) << V8_AP_SHIFT;

	if (!(prot & DS_PROT_PX))
		bits |= V8_PXN;
	if (!(prot & DS_PROT_UX))
		bits |= V8_UXN;
	return bits;
}

static int arm64_encode(const struct ds_pgtable *pt, const struct ds_pte_info *in,
			unsigned int height, u64 *pte)
{
	u64 oa;
	unsigned int idx;

	if (ds_vmsav8_oa_bits(pt, in->pa, &oa) < 0)
		return -EINVAL;
	if (in->kind == DS_PTE_TABLE) {
		*pte = oa | V8_TYPE_TABLE;
		return 0;
	}
	idx = ds_vmsav8_attr_index(pt, in->attrs.mem);
	*pte = oa | V8_AF | arm64_prot_bits(in->attrs.prot) | (u64)idx << V8_ATTRINDX_SHIFT |
	       (height ? V8_TYPE_BLOCK : V8_TYPE_TABLE);
	if (ds_vmsav8_mem_type(pt, idx) != DS_MEM_DEVICE)
		*pte |= V8_SH_INNER;
	return 0;
}

/* What the three granules share at stage 1. */
#define ARM64_FORMAT_COMMON                                                    \
	.min_va_bits = 25, .max_va_bits = 48, .max_roots = 1,                  \
	.flags = DS_FMT_PRIV_LEVELS | DS_FMT_UPPER_HALF | DS_FMT_MAIR,         \
	.decode = arm64_decode, .encode = arm64_encode

/* Blocks: 4K at L1 (1G) and L2 (2M); 16K at L2 (32M); 64K at L2 (512M). */
const struct ds_format ds_format_arm64_4k = {
	.name = "arm64-4k", .description = "Arm VMSAv8-64 stage 1, 4K granule, 1G/2M blocks",
	.page_shift = 12, .default_va_bits = 48, .leaf_heights = 0x7,
	.oa_mask = DS_GENMASK(47, 12), ARM64_FORMAT_COMMON,
};

const struct ds_format ds_format_arm64_16k = {
	.name = "arm64-16k", .description = "Arm VMSAv8-64 stage 1, 16K granule, 32M blocks",
	.page_shift = 14, .default_va_bits = 47, .leaf_heights = 0x3,
	.oa_mask = DS_GENMASK(47, 14), ARM64_FORMAT_COMMON,
};

const struct ds_format ds_format_arm64_64k = {
	.name = "arm64-64k",
	.description = "Arm VMSAv8-64 stage 1, 64K granule, 512M blocks, 52-bit PA",
	.page_shift = 16, .default_va_bits = 48, .leaf_heights = 0x3,
	.oa_mask = DS_GENMASK(47, 16), ARM64_FORMAT_COMMON,
};
