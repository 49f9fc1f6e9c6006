// SPDX-License-Identifier: MIT
/*
 * x86-64 4- and 5-level paging (Intel SDM vol. 3, 4.5): 4K pages, 2M and
 * 1G pages through PS.  Permissions are the AND of R/W and U/S and the OR
 * of NX over the levels, so table entries narrow what lies below them.
 */
#include "formats.h"

#define X86_P DS_BIT(0)
#define X86_RW DS_BIT(1)
#define X86_US DS_BIT(2)
#define X86_PWT DS_BIT(3)
#define X86_PCD DS_BIT(4)
#define X86_PS DS_BIT(7)
#define X86_NX DS_BIT(63)
#define X86_ADDR DS_GENMASK(51, 12)

static u8 x86_leaf_prot(u64 pte)
{
	u8 priv = DS_PROT_PR | (pte & X86_RW ? DS_PROT_PW : 0) | (pte & X86_NX ? 0 : DS_PROT_PX);

	return pte & X86_US ? priv | (u8)(priv << 3) : priv;
}

static u8 x86_table_allows(u64 pte)
{
	u8 allow = DS_PROT_ALL;

	if (!(pte & X86_RW))
		allow &= ~(DS_PROT_PW | DS_PROT_UW);
	if (!(pte & X86_US))
		allow &= ~(DS_PROT_UR | DS_PROT_UW | DS_PROT_UX);
	if (pte & X86_NX)
		allow &= ~(DS_PROT_PX | DS_PROT_UX);
	return allow;
}

static int x86_decode(const struct ds_pgtable *pt, u64 pte, unsigned int height,
		      struct ds_pte_info *out)
{
	unsigned int shift = 12 + 9 * height;

	if (!(pte & X86_P))
		return 0;
	if (height > 0 && !(pte & X86_PS)) {
		out->kind = DS_PTE_TABLE;
		out->pa = pte & X86_ADDR;
		out->attrs.prot = x86_table_allows(pte);
		return 0;
	}
	if (height > 2) {
		out->kind = DS_PTE_RESERVED;
		out->reserved_why = "PS set in a PML4 or PML5 entry";
		return 0;
	}
	/* Bit 12 is PAT in a large page; the bits between it and the address are reserved. */
	if (height > 0 && (pte & DS_GENMASK(shift - 1, 13))) {
		out->kind = DS_PTE_RESERVED;
		out->reserved_why = "reserved address bits set in a large-page entry";
		return 0;
	}
	out->kind = DS_PTE_LEAF;
	out->pa = pte & X86_ADDR & ~((1ULL << shift) - 1);
	out->attrs.prot = x86_leaf_prot(pte);
	out->attrs.mem = pte & X86_PCD ? DS_MEM_UNCACHED : DS_MEM_CACHED;
	return 0;
}

static int x86_encode(const struct ds_pgtable *pt, const struct ds_pte_info *in,
		      unsigned int height, u64 *pte)
{
	u8 prot = in->attrs.prot;

	if (in->pa & ~X86_ADDR)
		return -EINVAL;
	if (in->kind == DS_PTE_TABLE) {
		*pte = in->pa | X86_P | X86_RW | X86_US;
		return 0;
	}
	*pte = in->pa | X86_P;
	if (prot & (DS_PROT_PW | DS_PROT_UW))
		*pte |= X86_RW;
	if (prot & (DS_PROT_UR | DS_PROT_UW | DS_PROT_UX))
		*pte |= X86_US;
	if (!(prot & (DS_PROT_PX | DS_PROT_UX)))
		*pte |= X86_NX;
	if (in->attrs.mem == DS_MEM_UNCACHED || in->attrs.mem == DS_MEM_DEVICE)
		*pte |= X86_PCD | X86_PWT;
	if (height > 0)
		*pte |= X86_PS;
	return 0;
}

const struct ds_format ds_format_x86_64 = {
	.name = "x86_64",
	.description = "x86-64 4-level paging (48-bit VA), 4K/2M/1G pages",
	.page_shift = 12,
	.min_va_bits = 48,
	.max_va_bits = 48,
	.default_va_bits = 48,
	.max_roots = 1,
	.leaf_heights = 0x7,
	.flags = DS_FMT_PRIV_LEVELS | DS_FMT_SIGN_EXTEND,
	.oa_mask = X86_ADDR,
	.decode = x86_decode,
	.encode = x86_encode,
};

const struct ds_format ds_format_x86_64_5l = {
	.name = "x86_64-5l",
	.description = "x86-64 5-level paging (57-bit VA), 4K/2M/1G pages",
	.page_shift = 12,
	.min_va_bits = 57,
	.max_va_bits = 57,
	.default_va_bits = 57,
	.max_roots = 1,
	.leaf_heights = 0x7,
	.flags = DS_FMT_PRIV_LEVELS | DS_FMT_SIGN_EXTEND,
	.oa_mask = X86_ADDR,
	.decode = x86_decode,
	.encode = x86_encode,
};
