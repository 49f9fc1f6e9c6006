// SPDX-License-Identifier: MIT
/*
 * AMD IOMMU v1 host page tables (AMD I/O Virtualization Technology spec,
 * 2.2.3; Linux drivers/iommu/amd/amd_iommu_types.h, io_pgtable.c): 1 to 6
 * levels as the device table entry's mode says, 4K base pages.
 *
 * Each present entry names the level of what it points to (Next Level,
 * bits 11:9): 0 is a page of the entry's own size; 1..current-1 a table,
 * possibly skipping levels, whose skipped VA bits must then be zero; 7 a
 * page of any larger power of two, its size encoded as a run of ones in
 * the low address bits and its entry repeated over every slot it covers.
 * The top level of a 6-level table holds no pages.
 *
 * Rights are the AND of IR and IW over the levels.  The IOMMU knows no
 * execution and no privilege levels: what a device may read it may fetch,
 * so readable pages are reported executable, for both accessors (as for
 * DART).  FC forces coherent (snooped) accesses.
 */
#include "formats.h"

#define AMD_PR DS_BIT(0)
#define AMD_NEXT_LEVEL DS_GENMASK(11, 9)
#define AMD_NEXT_LEVEL_SHIFT 9
#define AMD_ADDR DS_GENMASK(51, 12)
#define AMD_PTE_RESERVED DS_GENMASK(58, 52)
#define AMD_PDE_RESERVED DS_GENMASK(60, 52)
#define AMD_FC DS_BIT(60)
#define AMD_IR DS_BIT(61)
#define AMD_IW DS_BIT(62)

#define AMD_NL_PAGE 0      /* a page of the entry's size */
#define AMD_NL_SIZED_PAGE 7 /* a larger page, size in the address bits */

static unsigned int amd_next_level(u64 pte)
{
	return (pte & AMD_NEXT_LEVEL) >> AMD_NEXT_LEVEL_SHIFT;
}

static u8 amd_prot(u64 pte)
{
	u8 prot = (pte & AMD_IR ? DS_PROT_PR | DS_PROT_PX : 0) |
		       (pte & AMD_IW ? DS_PROT_PW : 0);

	return prot | (u8)(prot << 3);
}

/* Next level 7: the page is 2^(13 + n) bytes where address bits 12 and up
 * hold n ones then a zero; those bits are not part of the address.
 */
static void amd_sized_page(u64 pte, unsigned int height, struct ds_pte_info *out)
{
	unsigned int page_shift = 13;

	while (page_shift <= 51 && (pte >> (page_shift - 1)) & 1)
		page_shift++;
	if (page_shift <= 12 + 9 * height || page_shift > 51) {
		out->kind = DS_PTE_RESERVED;
		out->reserved_why = "next-level-7 page size not larger than its level's entries";
		return;
	}
	out->kind = DS_PTE_LEAF;
	out->span_shift = (u8)page_shift;
	out->pa = pte & AMD_ADDR & ~((1ULL << page_shift) - 1);
}

static int amd_decode(const struct ds_pgtable *pt, u64 pte, unsigned int height,
		      struct ds_pte_info *out)
{
	unsigned int next = amd_next_level(pte);

	if (!(pte & AMD_PR))
		return 0;
	if (next != AMD_NL_PAGE && next != AMD_NL_SIZED_PAGE) {
		if (next > height) {
			out->kind = DS_PTE_RESERVED;
			out->reserved_why = "next level not below the entry's own level";
		} else if (pte & AMD_PDE_RESERVED) {
			out->kind = DS_PTE_RESERVED;
			out->reserved_why = "reserved bits 60:52 set in a page directory entry";
		} else {
			out->kind = DS_PTE_TABLE;
			out->pa = pte & AMD_ADDR;
			out->skip_levels = (u8)(height - next);
			out->attrs.prot = amd_prot(pte);
		}
		return 0;
	}
	if (pte & AMD_PTE_RESERVED) {
		out->kind = DS_PTE_RESERVED;
		out->reserved_why = "reserved bits 58:52 set in a page table entry";
		return 0;
	}
	out->kind = DS_PTE_LEAF;
	out->pa = pte & AMD_ADDR;
	if (next == AMD_NL_SIZED_PAGE)
		amd_sized_page(pte, height, out);
	out->attrs.prot = amd_prot(pte);
	out->attrs.mem = pte & AMD_FC ? DS_MEM_CACHED : DS_MEM_UNKNOWN;
	return 0;
}

/* As Linux writes them: tables IR|IW naming the next level, pages next
 * level 0 with IR, IW as asked and FC for cached memory.
 */
static int amd_encode(const struct ds_pgtable *pt, const struct ds_pte_info *in,
		      unsigned int height, u64 *pte)
{
	u8 prot = in->attrs.prot | in->attrs.prot >> 3;

	if (in->pa & ~AMD_ADDR)
		return -EINVAL;
	if (in->kind == DS_PTE_TABLE) {
		*pte = in->pa | AMD_PR | AMD_IR | AMD_IW | (u64)height << AMD_NEXT_LEVEL_SHIFT;
		return 0;
	}
	if ((prot & DS_PROT_PX) && !(prot & DS_PROT_PR))
		return -EINVAL; /* fetching is reading */
	*pte = in->pa | AMD_PR | (prot & DS_PROT_PR ? AMD_IR : 0) |
	       (prot & DS_PROT_PW ? AMD_IW : 0);
	if (in->attrs.mem == DS_MEM_CACHED)
		*pte |= AMD_FC;
	return 0;
}

const struct ds_format ds_format_amd_v1 = {
	.name = "amd-v1",
	.description = "AMD IOMMU v1, 1-6 levels (21/30/.../64-bit IOVA), 4K to 2^51 pages",
	.page_shift = 12,
	.min_va_bits = 21,
	.max_va_bits = 64,
	.default_va_bits = 48,
	.max_roots = 1,
	.leaf_heights = 0x1f, /* not in the top of six levels */
	.flags = DS_FMT_WHOLE_LEVELS,
	.oa_mask = AMD_ADDR,
	.decode = amd_decode,
	.encode = amd_encode,
};
