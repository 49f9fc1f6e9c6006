// SPDX-License-Identifier: MIT
/*
 * Apple DART and DART2 IOMMUs (Linux drivers/iommu/io-pgtable-dart.c):
 * two table levels of 16K pages, and up to four TTBRs chosen by the VA
 * bits above them.  DART has no privilege levels and no execute notion:
 * DMA reads and writes, so devsnap reports R/W for both accessors and
 * never X.  Subpage protection (bits 63:40) is left to the raw PTE.
 */
#include "formats.h"

#define DART_VALID DS_BIT(0)
#define DART1_NO_WRITE DS_BIT(7)
#define DART1_NO_READ DS_BIT(8)
#define DART1_ADDR DS_GENMASK(35, 12)
#define DART2_NO_CACHE DS_BIT(1)
#define DART2_NO_WRITE DS_BIT(2)
#define DART2_NO_READ DS_BIT(3)
#define DART2_ADDR DS_GENMASK(37, 10) /* PA >> 4 */
#define DART2_ADDR_SHIFT 4
#define DART_SUBPAGE_FULL DS_GENMASK(51, 40) /* end = 0xfff, start = 0 */

static bool is_dart2(const struct ds_pgtable *pt)
{
	return pt->fmt->oa_shift == DART2_ADDR_SHIFT;
}

static uint64_t dart_pa(const struct ds_pgtable *pt, uint64_t pte)
{
	if (is_dart2(pt))
		return (pte & DART2_ADDR) << DART2_ADDR_SHIFT;
	return pte & DART1_ADDR;
}

static uint8_t dart_prot(const struct ds_pgtable *pt, uint64_t pte)
{
	bool no_read = pte & (is_dart2(pt) ? DART2_NO_READ : DART1_NO_READ);
	bool no_write = pte & (is_dart2(pt) ? DART2_NO_WRITE : DART1_NO_WRITE);
	uint8_t prot = (no_read ? 0 : DS_PROT_PR) | (no_write ? 0 : DS_PROT_PW);

	return prot | (uint8_t)(prot << 3);
}

static int dart_decode(const struct ds_pgtable *pt, uint64_t pte, unsigned height,
		       struct ds_pte_info *out)
{
	if (!(pte & DART_VALID))
		return 0;
	out->pa = dart_pa(pt, pte);
	if (height) {
		out->kind = DS_PTE_TABLE;
		out->attrs.prot = DS_PROT_ALL;
		return 0;
	}
	out->kind = DS_PTE_LEAF;
	out->attrs.prot = dart_prot(pt, pte);
	if (is_dart2(pt))
		out->attrs.mem = pte & DART2_NO_CACHE ? DS_MEM_UNCACHED : DS_MEM_CACHED;
	return 0;
}

static int dart_encode(const struct ds_pgtable *pt, const struct ds_pte_info *in, unsigned height,
		       uint64_t *pte)
{
	uint8_t prot = in->attrs.prot | in->attrs.prot >> 3;
	bool dart2 = is_dart2(pt);

	*pte = dart2 ? in->pa >> DART2_ADDR_SHIFT : in->pa;
	if (*pte & ~(dart2 ? DART2_ADDR : DART1_ADDR) || dart_pa(pt, *pte) != in->pa)
		return -EINVAL;
	*pte |= DART_VALID;
	if (in->kind == DS_PTE_TABLE)
		return 0;
	*pte |= DART_SUBPAGE_FULL;
	if (!(prot & DS_PROT_PR))
		*pte |= dart2 ? DART2_NO_READ : DART1_NO_READ;
	if (!(prot & DS_PROT_PW))
		*pte |= dart2 ? DART2_NO_WRITE : DART1_NO_WRITE;
	if (dart2 && in->attrs.mem == DS_MEM_UNCACHED)
		*pte |= DART2_NO_CACHE;
	return 0;
}

/* 16K pages, 11 index bits a level: 36 VA bits per TTBR, up to 4 TTBRs. */
const struct ds_format ds_format_dart = {
	.name = "dart",
	.description = "Apple DART IOMMU, 16K pages, 36-bit PA, up to 4 TTBRs",
	.page_shift = 14,
	.min_va_bits = 26,
	.max_va_bits = 38,
	.default_va_bits = 36,
	.fixed_levels = 2,
	.max_roots = 4,
	.leaf_heights = 0x1,
	.oa_mask = DART1_ADDR,
	.decode = dart_decode,
	.encode = dart_encode,
};

const struct ds_format ds_format_dart2 = {
	.name = "dart2",
	.description = "Apple DART2 IOMMU, 16K pages, 42-bit PA, up to 4 TTBRs",
	.page_shift = 14,
	.min_va_bits = 26,
	.max_va_bits = 38,
	.default_va_bits = 36,
	.fixed_levels = 2,
	.max_roots = 4,
	.leaf_heights = 0x1,
	.oa_shift = DART2_ADDR_SHIFT,
	.oa_mask = DART2_ADDR,
	.decode = dart_decode,
	.encode = dart_encode,
};
