// SPDX-License-Identifier: MIT
/* Describing a page table: checks a config and derives the level geometry. */
#include "pgtable.h"

static int config_error(struct ds_error *err, const char *what, u64 pa)
{
	if (err) {
		err->what = what;
		err->va = DS_NO_ADDR;
		err->pa = pa;
		err->height = -1;
	}
	return -EINVAL;
}

bool ds_format_va_bits_ok(const struct ds_format *f, unsigned int va_bits)
{
	if (va_bits < f->min_va_bits || va_bits > f->max_va_bits)
		return false;
	/* A 64-bit space is what the top level reaches, whole or not (AMD v1: 7 bits). */
	if (!(f->flags & DS_FMT_WHOLE_LEVELS) || va_bits == 64)
		return true;
	return (va_bits - f->page_shift) % (f->page_shift - 3u) == 0;
}

/* Arm stage 2: the levels given, or io-pgtable's choice; the top table
 * indexes the rest, one table or up to 16 concatenated.
 */
static int concat_geometry(struct ds_pgtable *pt, unsigned int walk_bits,
			   struct ds_error *err)
{
	unsigned int fewest = (walk_bits + pt->level_bits - 1) / pt->level_bits;

	pt->root_bits = 0;
	pt->levels = pt->cfg.levels;
	if (!pt->levels) {
		pt->levels = fewest;
		if (fewest == 4 && walk_bits - 3 * pt->level_bits <= DS_MAX_CONCAT_BITS)
			pt->levels = 3;
	}
	if (pt->levels > fewest)
		return config_error(err, "stage 2 start level above what the VA width needs",
				    DS_NO_ADDR);
	/* Fewer levels than the fewest: the top table indexes more than a level. */
	pt->top_bits = walk_bits - (pt->levels - 1) * pt->level_bits;
	if (pt->top_bits > pt->level_bits + DS_MAX_CONCAT_BITS)
		return config_error(err,
				    "stage 2 start level needs more than 16 concatenated tables",
				    DS_NO_ADDR);
	return 0;
}

/* Levels, and index bits of the top table and the root selector. */
static int derive_geometry(struct ds_pgtable *pt, unsigned int va_bits, struct ds_error *err)
{
	const struct ds_format *f = pt->fmt;
	unsigned int walk_bits = va_bits - f->page_shift;

	pt->level_bits = f->page_shift - 3;
	if (f->flags & DS_FMT_CONCAT)
		return concat_geometry(pt, walk_bits, err);
	if (f->fixed_levels) {
		unsigned int span = f->fixed_levels * pt->level_bits;

		pt->levels = f->fixed_levels;
		pt->root_bits = walk_bits > span ? walk_bits - span : 0;
		pt->top_bits = walk_bits > span ? pt->level_bits
						: walk_bits - (pt->levels - 1) * pt->level_bits;
		if ((1u << pt->root_bits) > f->max_roots)
			return config_error(err,
					    "VA width needs more root tables than the format has",
					    DS_NO_ADDR);
	} else {
		pt->levels = (walk_bits + pt->level_bits - 1) / pt->level_bits;
		pt->root_bits = 0;
		pt->top_bits = walk_bits - (pt->levels - 1) * pt->level_bits;
	}
	if (pt->levels > DS_MAX_LEVELS)
		return config_error(err, "VA width needs more levels than devsnap walks",
				    DS_NO_ADDR);
	return 0;
}

int ds_pgtable_init(struct ds_pgtable *pt, const struct ds_pgtable_config *cfg,
		    struct ds_error *err)
{
	const struct ds_format *f = cfg->format;
	unsigned int va_bits;
	u64 top_size;
	int r;

	ds_memset(pt, 0, sizeof(*pt));
	if (!f)
		return config_error(err, "no page-table format given", DS_NO_ADDR);
	if (!cfg->read_phys)
		return config_error(err, "no physical-memory reader given", DS_NO_ADDR);
	va_bits = cfg->va_bits ? cfg->va_bits : f->default_va_bits;
	if (!ds_format_va_bits_ok(f, va_bits))
		return config_error(err, "VA width outside what the format allows", DS_NO_ADDR);
	if (cfg->upper_half && !(f->flags & DS_FMT_UPPER_HALF))
		return config_error(err, "the format has no upper-half address space", DS_NO_ADDR);
	if (cfg->levels && !(f->flags & DS_FMT_CONCAT))
		return config_error(err, "only Arm stage 2 formats take a number of levels",
				    DS_NO_ADDR);
	pt->cfg = *cfg;
	pt->cfg.va_bits = va_bits;
	pt->fmt = f;
	r = derive_geometry(pt, va_bits, err);
	if (r < 0)
		return r;
	if (cfg->nroots < 1 || cfg->nroots > (1u << pt->root_bits))
		return config_error(err, pt->root_bits ?
				    "more root tables given than the VA width selects" :
				    "this format takes exactly one root table", DS_NO_ADDR);
	top_size = 8ULL << pt->top_bits;
	for (unsigned int i = 0; i < cfg->nroots; i++)
		if (cfg->roots[i] & (top_size - 1))
			return config_error(err, "root table is not aligned to its size",
					    cfg->roots[i]);
	if (!pt->cfg.max_tables)
		pt->cfg.max_tables = DS_DEFAULT_MAX_TABLES;
	pt->mair = cfg->mair;
	return 0;
}

DS_EXPORT_BUILDER(ds_pgtable_init);

static u64 va_mask(const struct ds_pgtable *pt)
{
	return pt->cfg.va_bits >= 64 ? ~0ULL : (1ULL << pt->cfg.va_bits) - 1;
}

static bool sign_extends(const struct ds_pgtable *pt)
{
	return (pt->fmt->flags & DS_FMT_SIGN_EXTEND) && pt->cfg.va_bits < 64;
}

u64 ds_pgtable_canonical_va(const struct ds_pgtable *pt, u64 raw_va)
{
	u64 mask = va_mask(pt);

	if (pt->cfg.upper_half || (sign_extends(pt) && (raw_va >> (pt->cfg.va_bits - 1)) & 1))
		return raw_va | ~mask;
	return raw_va;
}

bool ds_pgtable_raw_va(const struct ds_pgtable *pt, u64 va, bool round_up, u64 *raw)
{
	u64 mask = va_mask(pt);

	if (pt->cfg.upper_half) {
		if (va < ~mask && !round_up)
			return false;
		*raw = va < ~mask ? 0 : va & mask;
	} else if (sign_extends(pt)) {
		u64 half = 1ULL << (pt->cfg.va_bits - 1);

		if (va < half || va >= ~(half - 1))
			*raw = va & mask;
		else /* in the non-canonical hole */
			*raw = round_up ? half : half - 1;
	} else {
		if (va > mask && round_up)
			return false;
		*raw = va > mask ? mask : va;
	}
	return true;
}
