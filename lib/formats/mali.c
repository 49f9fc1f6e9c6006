// SPDX-License-Identifier: MIT
/*
 * Arm Mali LPAE (Linux io-pgtable-arm ARM_MALI_LPAE): VMSAv8 4K tables
 * with stage-1-like memory attributes but stage-2-like permissions
 * (HAP read/write), no privilege levels, and leaves at the last level
 * typed 0b01 like blocks, where 0b11 is reserved.
 */
#include "vmsav8.h"

#define MALI_HAP_READ DS_BIT(6)
#define MALI_HAP_WRITE DS_BIT(7)
#define MALI_XN DS_BIT(54)

/* io-pgtable's AttrIndx use: 0 non-cacheable, 1 cacheable, 2 MMIO, 3 inner NC. */
static const u8 mali_mem[8] = {
	DS_MEM_UNCACHED, DS_MEM_CACHED, DS_MEM_DEVICE, DS_MEM_CACHED,
};

static u8 mali_prot(u64 pte)
{
	u8 prot = 0;

	if (pte & MALI_HAP_READ)
		prot |= DS_PROT_PR;
	if (pte & MALI_HAP_WRITE)
		prot |= DS_PROT_PW;
	if (!(pte & MALI_XN))
		prot |= DS_PROT_PX;
	return prot | (u8)(prot << 3); /* one accessor: both columns */
}

static int mali_decode(const struct ds_pgtable *pt, u64 pte, unsigned int height,
		       struct ds_pte_info *out)
{
	u64 type = pte & V8_TYPE_MASK;

	if (!(pte & V8_VALID))
		return 0;
	if (height > 0 && type == V8_TYPE_TABLE) {
		out->kind = DS_PTE_TABLE;
		out->pa = ds_vmsav8_oa(pt, pte, 12);
		out->attrs.prot = DS_PROT_ALL;
		return 0;
	}
	if (type != V8_TYPE_BLOCK) {
		out->kind = DS_PTE_RESERVED;
		out->reserved_why = "Mali last-level entry typed 0b11 (leaves are 0b01)";
		return 0;
	}
	out->kind = DS_PTE_LEAF;
	out->pa = ds_vmsav8_oa(pt, pte, 12 + 9 * height);
	out->attrs.prot = mali_prot(pte);
	out->attrs.mem = mali_mem[(pte >> V8_ATTRINDX_SHIFT) & 7];
	return 0;
}

static int mali_encode(const struct ds_pgtable *pt, const struct ds_pte_info *in,
		       unsigned int height, u64 *pte)
{
	u8 prot = in->attrs.prot | in->attrs.prot >> 3;
	unsigned int idx = 0;

	if (ds_vmsav8_oa_bits(pt, in->pa, pte) < 0)
		return -EINVAL;
	if (in->kind == DS_PTE_TABLE) {
		*pte |= V8_TYPE_TABLE;
		return 0;
	}
	while (idx < 3 && mali_mem[idx] != (in->attrs.mem ? in->attrs.mem : DS_MEM_CACHED))
		idx++;
	*pte |= V8_TYPE_BLOCK | (u64)idx << V8_ATTRINDX_SHIFT |
		(prot & DS_PROT_PR ? MALI_HAP_READ : 0) | (prot & DS_PROT_PW ? MALI_HAP_WRITE : 0) |
		(prot & DS_PROT_PX ? 0 : MALI_XN);
	return 0;
}

const struct ds_format ds_format_mali = {
	.name = "mali",
	.description = "Arm Mali LPAE (io-pgtable ARM_MALI_LPAE), 4K pages, 1G/2M blocks",
	.page_shift = 12,
	.min_va_bits = 25,
	.max_va_bits = 48,
	.default_va_bits = 48,
	.max_roots = 1,
	.leaf_heights = 0x7,
	.oa_mask = DS_GENMASK(47, 12),
	.decode = mali_decode,
	.encode = mali_encode,
};
