// SPDX-License-Identifier: MIT
/*
 * Intel VT-d second-level tables (VT-d spec 3.x, 9.8; Linux
 * drivers/iommu/intel/iommu.h, struct dma_pte): 3, 4 or 5 levels as the
 * context's address width says, 4K pages, 2M and 1G pages through PS.
 *
 * An entry is present when it grants Read or Write: a write-only receive
 * buffer is mapped.  Rights are the AND of R, W and X over the levels; X
 * only matters where execute requests are enabled, and is reported as
 * the device's right to fetch.  There are no privilege levels, so both
 * accessors get the same rights.  IOVAs are plain numbers: no sign
 * extension, bit 47 of a 48-bit IOVA is an address bit like the others.
 *
 * Reserved bits the decoder can know are refused: PS in a PML4 or PML5
 * entry, and address bits below a large page's size.  Bits above the
 * host address width are reserved too, but that width is the IOMMU's,
 * not the table's, so the address field is taken up to bit 51.
 */
#include "formats.h"

#define VTD_R DS_BIT(0)
#define VTD_W DS_BIT(1)
#define VTD_X DS_BIT(2)
#define VTD_PS DS_BIT(7)
#define VTD_SNP DS_BIT(11) /* snoop: the access is coherent whatever the device asks */
#define VTD_ADDR DS_GENMASK(51, 12)

static u8 vtd_prot(u64 pte)
{
	u8 prot = (pte & VTD_R ? DS_PROT_PR : 0) | (pte & VTD_W ? DS_PROT_PW : 0) |
		       (pte & VTD_X ? DS_PROT_PX : 0);

	return prot | (u8)(prot << 3);
}

static int vtd_decode(const struct ds_pgtable *pt, u64 pte, unsigned int height,
		      struct ds_pte_info *out)
{
	unsigned int shift = 12 + 9 * height;

	if (!(pte & (VTD_R | VTD_W)))
		return 0;
	if (height > 0 && !(pte & VTD_PS)) {
		out->kind = DS_PTE_TABLE;
		out->pa = pte & VTD_ADDR;
		out->attrs.prot = vtd_prot(pte);
		return 0;
	}
	/* Bit 7 of a 4K entry is ignored: PS means something only above. */
	if (height > 2) {
		out->kind = DS_PTE_RESERVED;
		out->reserved_why = "PS set in a second-level PML4 or PML5 entry";
		return 0;
	}
	if (height > 0 && (pte & DS_GENMASK(shift - 1, 12))) {
		out->kind = DS_PTE_RESERVED;
		out->reserved_why = "reserved address bits set in a second-level large-page entry";
		return 0;
	}
	out->kind = DS_PTE_LEAF;
	out->pa = pte & VTD_ADDR;
	out->attrs.prot = vtd_prot(pte);
	out->attrs.mem = pte & VTD_SNP ? DS_MEM_CACHED : DS_MEM_UNKNOWN;
	return 0;
}

/* Tables grant R, W and X, so that the leaves decide (Linux's tables have
 * no X, having no use for execute requests); leaves R, W, X as asked and
 * SNP for cached memory, as the kernel sets it where the IOMMU snoops.
 */
static int vtd_encode(const struct ds_pgtable *pt, const struct ds_pte_info *in,
		      unsigned int height, u64 *pte)
{
	u8 prot = in->attrs.prot | in->attrs.prot >> 3;

	if (in->pa & ~VTD_ADDR)
		return -EINVAL;
	if (in->kind == DS_PTE_TABLE) {
		*pte = in->pa | VTD_R | VTD_W | VTD_X;
		return 0;
	}
	if (!(prot & (DS_PROT_PR | DS_PROT_PW)))
		return -EINVAL; /* neither R nor W: not present */
	*pte = in->pa | (prot & DS_PROT_PR ? VTD_R : 0) | (prot & DS_PROT_PW ? VTD_W : 0) |
	       (prot & DS_PROT_PX ? VTD_X : 0);
	if (in->attrs.mem == DS_MEM_CACHED)
		*pte |= VTD_SNP;
	if (height > 0)
		*pte |= VTD_PS;
	return 0;
}

const struct ds_format ds_format_vtd = {
	.name = "vtd",
	.description = "Intel VT-d second level, 39/48/57-bit IOVA, 4K/2M/1G pages",
	.page_shift = 12,
	.min_va_bits = 39,
	.max_va_bits = 57,
	.default_va_bits = 48,
	.max_roots = 1,
	.leaf_heights = 0x7,
	.flags = DS_FMT_WHOLE_LEVELS,
	.oa_mask = VTD_ADDR,
	.decode = vtd_decode,
	.encode = vtd_encode,
};
