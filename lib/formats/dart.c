// SPDX-License-Identifier: MIT
/*
 * Apple DART and DART2 IOMMUs (Linux drivers/iommu/io-pgtable-dart.c):
 * two table levels, pages only, and up to four TTBRs chosen by the VA bits
 * above the two levels.
 *
 * DART has no privilege levels, so both accessors get the same rights.
 * Nor does it know execution: a coprocessor behind it fetches code with
 * plain reads, so whatever is readable is reported executable too.
 *
 * Each leaf carries a subpage window (start 63:52, end 51:40) that can
 * narrow access to part of the page; DART1 ignores it when SP_DIS is set.
 * devsnap reports the whole page whatever the window says: what the
 * device could reach, never less; the raw PTE shows the window.
 */
#include "formats.h"

#define DART_VALID DS_BIT(0)
#define DART_SUBPAGE_START DS_GENMASK(63, 52)
#define DART_SUBPAGE_END DS_GENMASK(51, 40)

#define DART1_SP_DIS DS_BIT(1)
#define DART1_NO_WRITE DS_BIT(7)
#define DART1_NO_READ DS_BIT(8)
#define DART1_ADDR DS_GENMASK(35, 12)

#define DART2_NO_CACHE DS_BIT(1)
#define DART2_NO_WRITE DS_BIT(2)
#define DART2_NO_READ DS_BIT(3)
#define DART2_ADDR DS_GENMASK(37, 10) /* PA 41:14 */
#define DART2_ADDR_SHIFT 4

static bool is_dart2(const struct ds_pgtable *pt)
{
	return pt->fmt == &ds_format_dart2;
}

static u64 dart_pa(const struct ds_pgtable *pt, u64 pte)
{
	return (pte & pt->fmt->oa_mask) << pt->fmt->oa_shift;
}

static u8 dart_prot(const struct ds_pgtable *pt, u64 pte)
{
	bool no_read = pte & (is_dart2(pt) ? DART2_NO_READ : DART1_NO_READ);
	bool no_write = pte & (is_dart2(pt) ? DART2_NO_WRITE : DART1_NO_WRITE);
	u8 prot = (no_read ? 0 : DS_PROT_PR | DS_PROT_PX) | (no_write ? 0 : DS_PROT_PW);

	return prot | (u8)(prot << 3);
}

static int dart_decode(const struct ds_pgtable *pt, u64 pte, unsigned int height,
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

/* A leaf as Linux writes it: the whole page open, DART1's window disabled. */
static u64 dart_leaf_bits(const struct ds_pgtable *pt, u8 prot, u8 mem)
{
	u64 pte = DART_SUBPAGE_END | DART_VALID;

	if (!is_dart2(pt))
		return pte | DART1_SP_DIS | (prot & DS_PROT_PR ? 0 : DART1_NO_READ) |
		       (prot & DS_PROT_PW ? 0 : DART1_NO_WRITE);
	pte |= (prot & DS_PROT_PR ? 0 : DART2_NO_READ) | (prot & DS_PROT_PW ? 0 : DART2_NO_WRITE);
	if (mem == DS_MEM_UNCACHED || mem == DS_MEM_DEVICE)
		pte |= DART2_NO_CACHE;
	return pte;
}

static int dart_encode(const struct ds_pgtable *pt, const struct ds_pte_info *in,
		       unsigned int height, u64 *pte)
{
	u8 prot = in->attrs.prot | in->attrs.prot >> 3;

	*pte = (in->pa >> pt->fmt->oa_shift) & pt->fmt->oa_mask;
	if (dart_pa(pt, *pte) != in->pa)
		return -EINVAL; /* beyond the PA field, or below its granule */
	if (in->kind == DS_PTE_TABLE) {
		*pte |= DART_VALID;
		return 0;
	}
	if (!(prot & (DS_PROT_PR | DS_PROT_PW)))
		return -EINVAL; /* Linux maps nothing without read or write */
	*pte |= dart_leaf_bits(pt, prot, in->attrs.mem);
	return 0;
}

/*
 * 16K pages: 11 index bits a level, 36 VA bits a TTBR.  4K pages: 9 bits,
 * 30 VA bits a TTBR, so the 32-bit space of a 4K DART spans all four.
 * DART2's PA field starts at PA bit 14, so it has no 4K variant.
 */
#define DART_FORMAT(fmt_name, shift, va_min, va_max, va_default, addr, addr_shift, desc)     \
	{                                                                                    \
		.name = fmt_name, .description = desc, .page_shift = shift,                  \
		.min_va_bits = va_min, .max_va_bits = va_max, .default_va_bits = va_default, \
		.fixed_levels = 2, .max_roots = 4, .leaf_heights = 0x1,                      \
		.oa_shift = addr_shift, .oa_mask = addr,                                     \
		.decode = dart_decode, .encode = dart_encode,                                \
	}

const struct ds_format ds_format_dart =
	DART_FORMAT("dart", 14, 26, 38, 36, DART1_ADDR, 0,
		    "Apple DART IOMMU, 16K pages, 36-bit PA, up to 4 TTBRs");
const struct ds_format ds_format_dart_4k =
	DART_FORMAT("dart-4k", 12, 22, 32, 32, DART1_ADDR, 0,
		    "Apple DART IOMMU, 4K pages, 36-bit PA, up to 4 TTBRs");
const struct ds_format ds_format_dart2 =
	DART_FORMAT("dart2", 14, 26, 38, 36, DART2_ADDR, DART2_ADDR_SHIFT,
		    "Apple DART2 IOMMU, 16K pages, 42-bit PA, up to 4 TTBRs");
