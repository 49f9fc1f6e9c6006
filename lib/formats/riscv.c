// SPDX-License-Identifier: MIT
/*
 * RISC-V Sv39, Sv48 and Sv57 (privileged spec, "Supervisor-Level ISA"),
 * which the RISC-V IOMMU uses for its first stage too.  Any level may hold
 * a leaf (mega-, giga-, terapages).  U pages are for the unprivileged
 * accessor only, the others for the privileged one (SUM and MXR, being
 * hart state, are ignored); Svpbmt gives the memory type.
 *
 * The hardware faults on any reserved bit or encoding, so the decoder
 * refuses them all.  Svnapot leaves (N set) are refused too: their PPN's
 * low bits come from the VA, which a decoder does not see, and their
 * entries repeat rather than step, so the walker cannot merge them.
 */
#include "formats.h"

#define RV_V DS_BIT(0)
#define RV_R DS_BIT(1)
#define RV_W DS_BIT(2)
#define RV_X DS_BIT(3)
#define RV_U DS_BIT(4)
#define RV_A DS_BIT(6)
#define RV_D DS_BIT(7)
#define RV_RWX (RV_R | RV_W | RV_X)
#define RV_PPN DS_GENMASK(53, 10) /* PA >> 2 */
#define RV_PPN_SHIFT 10
#define RV_RESERVED DS_GENMASK(60, 54)
#define RV_PBMT DS_GENMASK(62, 61)
#define RV_PBMT_SHIFT 61
#define RV_N DS_BIT(63)
#define RV_LEVEL_BITS 9

enum { RV_PBMT_PMA, RV_PBMT_NC, RV_PBMT_IO, RV_PBMT_RESERVED };

static unsigned int rv_pbmt(u64 pte)
{
	return (pte & RV_PBMT) >> RV_PBMT_SHIFT;
}

/* Reserved in every valid entry. */
static const char *rv_reserved_any(u64 pte)
{
	if (pte & RV_RESERVED)
		return "reserved bits 60:54 set";
	if (rv_pbmt(pte) == RV_PBMT_RESERVED)
		return "reserved PBMT value 3";
	if (pte & RV_N)
		return "Svnapot entry (N set): NAPOT ranges are not decoded";
	return NULL;
}

/* Non-leaf entries keep D, A, U and PBMT for future use. */
static const char *rv_reserved_table(u64 pte)
{
	if (pte & (RV_D | RV_A | RV_U))
		return "D, A or U set in a non-leaf entry";
	if (pte & RV_PBMT)
		return "PBMT set in a non-leaf entry";
	return NULL;
}

static const char *rv_reserved_leaf(u64 pte, unsigned int height)
{
	unsigned int low_ppn_bits = RV_LEVEL_BITS * height; /* below a superpage's size */

	if ((pte & (RV_R | RV_W)) == RV_W)
		return "writable but not readable";
	if (low_ppn_bits && (pte & DS_GENMASK(RV_PPN_SHIFT + low_ppn_bits - 1, RV_PPN_SHIFT)))
		return "misaligned superpage";
	return NULL;
}

static u8 rv_mem_type(u64 pte)
{
	switch (rv_pbmt(pte)) {
	case RV_PBMT_NC:
		return DS_MEM_UNCACHED;
	case RV_PBMT_IO:
		return DS_MEM_DEVICE;
	default: /* PMA: main memory is cacheable */
		return DS_MEM_CACHED;
	}
}

static u8 rv_leaf_prot(u64 pte)
{
	u8 prot = (pte & RV_R ? DS_PROT_PR : 0) | (pte & RV_W ? DS_PROT_PW : 0) |
		       (pte & RV_X ? DS_PROT_PX : 0);

	return pte & RV_U ? (u8)(prot << 3) : prot;
}

static int rv_decode(const struct ds_pgtable *pt, u64 pte, unsigned int height,
		     struct ds_pte_info *out)
{
	bool leaf = pte & RV_RWX;

	if (!(pte & RV_V))
		return 0;
	out->reserved_why = rv_reserved_any(pte);
	if (!out->reserved_why)
		out->reserved_why = leaf ? rv_reserved_leaf(pte, height) : rv_reserved_table(pte);
	if (out->reserved_why) {
		out->kind = DS_PTE_RESERVED;
		return 0;
	}
	out->pa = (pte & RV_PPN) << 2;
	if (!leaf) {
		out->kind = DS_PTE_TABLE;
		out->attrs.prot = DS_PROT_ALL;
		return 0;
	}
	out->kind = DS_PTE_LEAF;
	out->attrs.prot = rv_leaf_prot(pte);
	out->attrs.mem = rv_mem_type(pte);
	return 0;
}

/* R/W/X for one accessor: any but none, W alone and W|X. */
static bool rv_prot_encodable(u8 user, u8 priv)
{
	u8 prot = user ? user : priv;

	if (user && priv)
		return false; /* a page belongs to one accessor */
	return prot && (prot & DS_PROT_PR || !(prot & DS_PROT_PW));
}

static int rv_encode(const struct ds_pgtable *pt, const struct ds_pte_info *in,
		     unsigned int height, u64 *pte)
{
	u8 user = in->attrs.prot >> 3 & 7, priv = in->attrs.prot & 7;
	u8 prot = user ? user : priv;

	if ((in->pa & 0xfff) || ((in->pa >> 2) & ~RV_PPN))
		return -EINVAL;
	*pte = (in->pa >> 2) | RV_V;
	if (in->kind == DS_PTE_TABLE)
		return 0;
	if (!rv_prot_encodable(user, priv))
		return -EINVAL;
	*pte |= RV_A | RV_D | (user ? RV_U : 0) | (prot & DS_PROT_PR ? RV_R : 0) |
		(prot & DS_PROT_PW ? RV_W : 0) | (prot & DS_PROT_PX ? RV_X : 0);
	if (in->attrs.mem == DS_MEM_UNCACHED)
		*pte |= (u64)RV_PBMT_NC << RV_PBMT_SHIFT;
	else if (in->attrs.mem == DS_MEM_DEVICE)
		*pte |= (u64)RV_PBMT_IO << RV_PBMT_SHIFT;
	return 0;
}

/* What Sv39, Sv48 and Sv57 share; each has one VA width. */
#define RISCV_FORMAT_COMMON                                                    \
	.page_shift = 12, .max_roots = 1, .oa_shift = 2,                       \
	.flags = DS_FMT_PRIV_LEVELS | DS_FMT_SIGN_EXTEND, .oa_mask = RV_PPN,   \
	.decode = rv_decode, .encode = rv_encode

const struct ds_format ds_format_riscv_sv39 = {
	.name = "riscv-sv39", .description = "RISC-V Sv39, 4K pages, 2M/1G superpages",
	.min_va_bits = 39, .max_va_bits = 39, .default_va_bits = 39, .leaf_heights = 0x7,
	RISCV_FORMAT_COMMON,
};

const struct ds_format ds_format_riscv_sv48 = {
	.name = "riscv-sv48", .description = "RISC-V Sv48, 4K pages, 2M/1G/512G superpages",
	.min_va_bits = 48, .max_va_bits = 48, .default_va_bits = 48, .leaf_heights = 0xf,
	RISCV_FORMAT_COMMON,
};

const struct ds_format ds_format_riscv_sv57 = {
	.name = "riscv-sv57", .description = "RISC-V Sv57, 4K pages, 2M/1G/512G/256T superpages",
	.min_va_bits = 57, .max_va_bits = 57, .default_va_bits = 57, .leaf_heights = 0x1f,
	RISCV_FORMAT_COMMON,
};
