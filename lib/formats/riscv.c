// SPDX-License-Identifier: MIT
/*
 * RISC-V Sv39, Sv48 and Sv57 (privileged spec, "Supervisor-Level ISA"),
 * which the RISC-V IOMMU uses too.  Any level may hold a leaf
 * (mega-, giga-, terapages).  U pages are for the unprivileged accessor
 * only; Svpbmt gives the memory type.  Svnapot leaves (N set) are
 * reported as reserved: devsnap does not decode them yet.
 */
#include "formats.h"

#define RV_V DS_BIT(0)
#define RV_R DS_BIT(1)
#define RV_W DS_BIT(2)
#define RV_X DS_BIT(3)
#define RV_U DS_BIT(4)
#define RV_A DS_BIT(6)
#define RV_D DS_BIT(7)
#define RV_PPN DS_GENMASK(53, 10)
#define RV_RESERVED DS_GENMASK(60, 54)
#define RV_PBMT_SHIFT 61
#define RV_N DS_BIT(63)

enum { RV_PBMT_PMA, RV_PBMT_NC, RV_PBMT_IO };

static const char *rv_reserved(uint64_t pte, unsigned height)
{
	unsigned ppn_skip = 9 * height; /* PPN bits below a superpage's size */

	if (pte & RV_RESERVED)
		return "reserved bits 60:54 set";
	if (((pte >> RV_PBMT_SHIFT) & 3) == 3)
		return "reserved PBMT value 3";
	if (pte & RV_N)
		return "Svnapot entry (not decoded)";
	if ((pte & (RV_R | RV_W)) == RV_W)
		return "writable but not readable";
	if (ppn_skip && (pte & DS_GENMASK(10 + ppn_skip - 1, 10)) && (pte & (RV_R | RV_W | RV_X)))
		return "misaligned superpage";
	return NULL;
}

static uint8_t rv_mem_type(uint64_t pte)
{
	switch ((pte >> RV_PBMT_SHIFT) & 3) {
	case RV_PBMT_NC:
		return DS_MEM_UNCACHED;
	case RV_PBMT_IO:
		return DS_MEM_DEVICE;
	default:
		return DS_MEM_CACHED;
	}
}

static int rv_decode(const struct ds_pgtable *pt, uint64_t pte, unsigned height,
		     struct ds_pte_info *out)
{
	uint8_t prot = 0;

	if (!(pte & RV_V))
		return 0;
	out->reserved_why = rv_reserved(pte, height);
	if (out->reserved_why) {
		out->kind = DS_PTE_RESERVED;
		return 0;
	}
	out->pa = (pte & RV_PPN) << 2;
	if (!(pte & (RV_R | RV_W | RV_X))) {
		out->kind = DS_PTE_TABLE;
		out->attrs.prot = DS_PROT_ALL;
		return 0;
	}
	if (pte & RV_R)
		prot |= DS_PROT_PR;
	if (pte & RV_W)
		prot |= DS_PROT_PW;
	if (pte & RV_X)
		prot |= DS_PROT_PX;
	out->kind = DS_PTE_LEAF;
	out->attrs.prot = pte & RV_U ? (uint8_t)(prot << 3) : prot;
	out->attrs.mem = rv_mem_type(pte);
	return 0;
}

static int rv_encode(const struct ds_pgtable *pt, const struct ds_pte_info *in, unsigned height,
		     uint64_t *pte)
{
	uint8_t user = in->attrs.prot >> 3 & 7, priv = in->attrs.prot & 7;
	uint8_t prot = user ? user : priv;

	if ((in->pa & 0xfff) || ((in->pa >> 2) & ~RV_PPN))
		return -EINVAL;
	*pte = (in->pa >> 2) | RV_V;
	if (in->kind == DS_PTE_TABLE)
		return 0;
	/* One accessor per page, and no write without read. */
	if ((user && priv) || !prot || prot == DS_PROT_PW || prot == (DS_PROT_PW | DS_PROT_PX))
		return -EINVAL;
	*pte |= RV_A | RV_D | (user ? RV_U : 0) | (prot & DS_PROT_PR ? RV_R : 0) |
		(prot & DS_PROT_PW ? RV_W : 0) | (prot & DS_PROT_PX ? RV_X : 0);
	if (in->attrs.mem == DS_MEM_UNCACHED)
		*pte |= (uint64_t)RV_PBMT_NC << RV_PBMT_SHIFT;
	else if (in->attrs.mem == DS_MEM_DEVICE)
		*pte |= (uint64_t)RV_PBMT_IO << RV_PBMT_SHIFT;
	return 0;
}

#define RISCV_FORMAT(fmt_name, va, leaves, desc)                                        \
	{                                                                              \
		.name = fmt_name, .description = desc, .page_shift = 12,               \
		.min_va_bits = va, .max_va_bits = va, .default_va_bits = va,           \
		.max_roots = 1, .leaf_heights = leaves, .oa_shift = 2,                 \
		.flags = DS_FMT_PRIV_LEVELS | DS_FMT_SIGN_EXTEND, .oa_mask = RV_PPN,    \
		.decode = rv_decode, .encode = rv_encode,                              \
	}

const struct ds_format ds_format_riscv_sv39 =
	RISCV_FORMAT("riscv-sv39", 39, 0x7, "RISC-V Sv39, 4K pages, 2M/1G superpages");
const struct ds_format ds_format_riscv_sv48 =
	RISCV_FORMAT("riscv-sv48", 48, 0xf, "RISC-V Sv48, 4K pages, 2M/1G/512G superpages");
const struct ds_format ds_format_riscv_sv57 =
	RISCV_FORMAT("riscv-sv57", 57, 0x1f, "RISC-V Sv57, 4K pages, superpages at every level");
