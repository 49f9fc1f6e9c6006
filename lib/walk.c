// SPDX-License-Identifier: MIT
/*
 * The walk: a depth-first visit of the tables, depth bounded by the format,
 * total bounded by max_tables.  Entries that continue the pending range
 * (next VA, PTE one step on, same non-address bits) are merged without
 * decoding, which is what makes large mappings cheap.
 */
#include "pgtable.h"
#include "formats/formats.h"

static unsigned int entry_shift(const struct ds_pgtable *pt, unsigned int height)
{
	return pt->fmt->page_shift + height * pt->level_bits;
}

static int walk_fail(struct ds_walk *w, int err, const char *what, u64 va, u64 pa,
		     int height)
{
	w->err = err;
	w->error.what = what;
	w->error.va = va == DS_NO_ADDR ? va : ds_pgtable_canonical_va(w->pt, va);
	w->error.pa = pa;
	w->error.height = height;
	return err;
}

int ds_walk_begin(struct ds_walk *w, const struct ds_pgtable *pt, u64 va_first,
		  u64 va_last)
{
	unsigned int root_shift = ds_root_shift(pt);
	u64 last_root;

	ds_memset(w, 0, sizeof(*w));
	w->pt = pt;
	w->error.height = -1;
	if (va_first > va_last || !ds_pgtable_raw_va(pt, va_first, true, &w->va_first) ||
	    !ds_pgtable_raw_va(pt, va_last, false, &w->va_last) || w->va_first > w->va_last)
		return walk_fail(w, -EINVAL, "VA range lies outside the page table's address space",
				 DS_NO_ADDR, DS_NO_ADDR, -1);
	w->root_idx = root_shift >= 64 ? 0 : w->va_first >> root_shift;
	last_root = root_shift >= 64 ? 0 : w->va_last >> root_shift;
	w->root_end = (last_root < pt->cfg.nroots ? last_root : pt->cfg.nroots - 1) + 1;
	return 0;
}

/* Enters the table at table_pa, limited to the part of [va_first, va_last] it covers. */
static int push_table(struct ds_walk *w, u64 table_pa, u64 va_base, unsigned int nbits,
		      unsigned int height, u8 prot_mask)
{
	const struct ds_pgtable *pt = w->pt;
	unsigned int shift = entry_shift(pt, height);
	u64 span_last = va_base + (((1ULL << nbits) << shift) - 1);
	struct ds_walk_frame *f;

	for (unsigned int i = 0; i < w->depth; i++)
		if (w->frame[i].table_pa == table_pa)
			return walk_fail(w, -ELOOP,
					 "page-table loop: a table refers to itself or an ancestor",
					 va_base, table_pa, (int)height);
	if (++w->tables_visited > pt->cfg.max_tables)
		return walk_fail(w, -E2BIG,
				 "too many page tables: aliased tables or a corrupt walk",
				 va_base, table_pa, (int)height);
	f = &w->frame[w->depth++];
	f->table_pa = table_pa;
	f->va_base = va_base;
	f->idx = w->va_first > va_base ? (u32)((w->va_first - va_base) >> shift) : 0;
	f->end = w->va_last < span_last ? (u32)((w->va_last - va_base) >> shift) + 1
					: 1u << nbits;
	f->buf_first = f->idx;
	f->buf_count = 0;
	f->prot_mask = prot_mask;
	f->height = (u8)height;
	return 0;
}

static int fetch_chunk(struct ds_walk *w, struct ds_walk_frame *f)
{
	u32 n = f->end - f->idx < DS_WALK_CHUNK ? f->end - f->idx : DS_WALK_CHUNK;
	u64 pa = f->table_pa + (u64)f->idx * 8;
	int r = w->pt->cfg.read_phys(w->pt->cfg.opaque, pa, f->buf, n * 8);

	if (r < 0)
		return walk_fail(w, r, "cannot read a page table: outside the memory source?",
				 f->va_base, pa, (int)f->height);
	f->buf_first = f->idx;
	f->buf_count = n;
	return 0;
}

/* Hands out the pending range, if any; the caller then replaces it. */
static int emit_pending(struct ds_walk *w, struct ds_range *out)
{
	if (!w->has_pending)
		return 0;
	*out = w->pending;
	out->va = ds_pgtable_canonical_va(w->pt, out->va);
	w->has_pending = false;
	return 1;
}

static bool extends_pending(const struct ds_walk *w, u64 pte, u64 va, unsigned int shift,
			    u8 prot_mask)
{
	return w->has_pending && va == w->next_va && pte == w->next_pte &&
	       w->pending_entry_shift == shift && w->pending_prot_mask == prot_mask &&
	       !((pte ^ w->pending.pte) & ~w->pt->fmt->oa_mask);
}

/* The entry that continues the pending range at next_va: one page on, or
 * within a repeated leaf's page, the same entry again.
 */
static void step_pending(struct ds_walk *w)
{
	unsigned int page_shift = w->pending.page_shift;

	if (!(w->next_va & ((1ULL << page_shift) - 1)))
		w->next_pte = w->pending_page_pte + ((1ULL << page_shift) >> w->pt->fmt->oa_shift);
}

/* A leaf that does not extend the pending range: starts a new one.  A
 * leaf repeated over several entries starts with the one at va.
 */
static int start_range(struct ds_walk *w, const struct ds_walk_frame *f, u64 pte,
		       u64 va, unsigned int height, const struct ds_pte_info *info,
		       struct ds_range *out)
{
	const struct ds_pgtable *pt = w->pt;
	unsigned int shift = entry_shift(pt, height);
	unsigned int page_shift = info->span_shift ? info->span_shift : shift;
	u64 page_va = va & ~((1ULL << page_shift) - 1);
	u64 last = va + ((1ULL << shift) - 1);
	u64 lo = va > w->va_first ? va : w->va_first;
	u64 hi = last < w->va_last ? last : w->va_last;
	int emitted;

	if (!(pt->fmt->leaf_heights & (1u << height)))
		return walk_fail(w, -EINVAL, "leaf entry at a level where the format allows none",
				 va, f->table_pa, (int)height);
	if (page_shift < shift || page_shift >= entry_shift(pt, height + 1))
		return walk_fail(w, -EINVAL, "repeated leaf's page size does not fit its level",
				 va, f->table_pa, (int)height);
	if (info->pa & ((1ULL << page_shift) - 1))
		return walk_fail(w, -EINVAL, "leaf output address not aligned to its size", va,
				 info->pa, (int)height);
	emitted = emit_pending(w, out);
	w->pending.va = lo;
	w->pending.pa = info->pa + (lo - page_va);
	w->pending.size = hi - lo + 1;
	w->pending.pte = pte;
	w->pending.page_shift = (u8)page_shift;
	w->pending.attrs = info->attrs;
	w->pending.attrs.prot &= f->prot_mask;
	w->pending_prot_mask = f->prot_mask;
	w->pending_entry_shift = (u8)shift;
	w->pending_page_pte = pte;
	w->has_pending = true;
	w->next_va = hi + 1;
	w->next_pte = pte;
	step_pending(w);
	return emitted;
}

/* Decodes one entry: descends into a table, or starts a range. */
static int visit_entry(struct ds_walk *w, struct ds_walk_frame *f, u64 pte, u64 va,
		       unsigned int height, struct ds_range *out)
{
	const struct ds_pgtable *pt = w->pt;
	u64 entry_pa = f->table_pa + (u64)(f->idx - 1) * 8;
	struct ds_pte_info info = { 0 };
	int r = pt->fmt->decode(pt, pte, height, &info);

	if (r < 0 || info.kind == DS_PTE_RESERVED)
		return walk_fail(w, -EINVAL,
				 info.reserved_why ?: "reserved page-table entry",
				 va, entry_pa, (int)height);
	switch (info.kind) {
	case DS_PTE_TABLE:
		if (height <= info.skip_levels)
			return walk_fail(w, -EINVAL,
					 "table entry at or skipping past the last level", va,
					 entry_pa, (int)height);
		return push_table(w, info.pa, va, pt->level_bits, height - 1 - info.skip_levels,
				  f->prot_mask & info.attrs.prot);
	case DS_PTE_LEAF:
		return start_range(w, f, pte, va, height, &info, out);
	default:
		w->entries_invalid += pte != 0; /* empty ones are skipped unseen */
		return 0;
	}
}

/* How many entries from buf[0] continue the pending run: each one PTE
 * step on, with the same non-address bits.  The hot loop of a walk.
 */
static u32 count_run(const u64 *buf, u32 n, u64 next_pte, u64 pte_step,
		     u64 oa_mask)
{
	u64 same = next_pte & ~oa_mask;
	u32 i = 0;

	while (i < n && ds_le64(buf[i]) == next_pte && (next_pte & ~oa_mask) == same) {
		next_pte += pte_step;
		i++;
	}
	return i;
}

/* How many from buf[0] repeat the pending leaf's entry (AMD v1 next level 7). */
static u32 count_repeats(const u64 *buf, u32 n, u64 pte)
{
	u32 i = 0;

	while (i < n && ds_le64(buf[i]) == pte)
		i++;
	return i;
}

static u32 count_zeros(const u64 *buf, u32 n)
{
	u32 i = 0;

	while (i < n && !buf[i])
		i++;
	return i;
}

/* Only the frame's last entry can reach past va_last: it is the leaf
 * holding va_last, merged whole.  A pending range lies inside the
 * format's VA space, so its last byte cannot wrap.
 */
static void clip_pending(struct ds_walk *w)
{
	u64 last = w->pending.va + (w->pending.size - 1);

	if (last > w->va_last)
		w->pending.size -= last - w->va_last;
}

/* Takes the entries at f->idx that are empty or extend the pending range,
 * a whole run at a time; returns how many.
 */
static u32 take_cheap_run(struct ds_walk *w, struct ds_walk_frame *f, unsigned int shift)
{
	const struct ds_format *fmt = w->pt->fmt;
	const u64 *buf = f->buf + (f->idx - f->buf_first);
	u32 avail = f->buf_first + f->buf_count - f->idx;
	u64 va = f->va_base + ((u64)f->idx << shift);
	u32 n = count_zeros(buf, avail);

	if (!n && extends_pending(w, ds_le64(buf[0]), va, shift, f->prot_mask)) {
		if (w->pending.page_shift == shift) {
			n = count_run(buf, avail, w->next_pte, (1ULL << shift) >> fmt->oa_shift,
				      fmt->oa_mask);
			w->next_pte += (u64)n * ((1ULL << shift) >> fmt->oa_shift);
		} else { /* the rest of a repeated leaf's page, at most */
			u64 page_mask = (1ULL << w->pending.page_shift) - 1;
			u64 left = ((va | page_mask) - va + 1) >> shift;

			w->pending_page_pte = w->next_pte;
			n = count_repeats(buf, left < avail ? (u32)left : avail, w->next_pte);
		}
		w->pending.size += (u64)n << shift;
		w->next_va += (u64)n << shift;
		if (w->pending.page_shift != shift)
			step_pending(w);
		clip_pending(w);
	}
	f->idx += n;
	w->entries_visited += n;
	return n;
}

/* Run after run: a repeated leaf's run ends with its page. */
static void skip_cheap_entries(struct ds_walk *w, struct ds_walk_frame *f, unsigned int shift)
{
	while (f->idx < f->buf_first + f->buf_count && take_cheap_run(w, f, shift))
		;
}

/* Visits the current frame's entries until a range is complete, the frame
 * changes, or the frame ends.
 */
static int visit_frame(struct ds_walk *w, struct ds_range *out)
{
	struct ds_walk_frame *f = &w->frame[w->depth - 1];
	unsigned int height = f->height;
	unsigned int shift = entry_shift(w->pt, height);
	unsigned int depth = w->depth;
	int r;

	while (f->idx < f->end) {
		u64 pte, va;

		if (f->idx >= f->buf_first + f->buf_count) {
			r = fetch_chunk(w, f);
			if (r < 0)
				return r;
		}
		skip_cheap_entries(w, f, shift);
		if (f->idx >= f->buf_first + f->buf_count)
			continue;
		pte = ds_le64(f->buf[f->idx - f->buf_first]);
		va = f->va_base + ((u64)f->idx << shift);
		f->idx++;
		w->entries_visited++;
		r = visit_entry(w, f, pte, va, height, out);
		if (r != 0 || w->depth != depth)
			return r;
	}
	w->depth--;
	return 0;
}

/* The first VA root idx maps.  A space of 64 bits or more (amd-v1 at six
 * levels) has one root, at 0: a shift by 64 would be undefined.
 */
static u64 root_va_base(const struct ds_pgtable *pt, unsigned int idx)
{
	unsigned int shift = ds_root_shift(pt);

	return shift >= 64 ? 0 : (u64)idx << shift;
}

int ds_walk_next(struct ds_walk *w, struct ds_range *out)
{
	const struct ds_pgtable *pt = w->pt;
	int r;

	while (!w->err) {
		if (!w->depth) {
			if (w->root_idx >= w->root_end)
				return emit_pending(w, out);
			r = push_table(w, pt->cfg.roots[w->root_idx], root_va_base(pt, w->root_idx),
				       pt->top_bits, pt->levels - 1, DS_PROT_ALL);
			w->root_idx++;
			if (r < 0)
				return r;
			continue;
		}
		r = visit_frame(w, out);
		if (r != 0)
			return r;
	}
	return w->err;
}
