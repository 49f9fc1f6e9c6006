// SPDX-License-Identifier: MIT
/*
 * Each walker range is cut where the class of its physical pages changes,
 * and again where the budget runs out.  classify is asked for whole runs,
 * so its cost follows the number of class changes, not of pages.
 */
#include "snapshot.h"

static int snapshot_fail(struct ds_snapshot *s, int err, const char *what, u64 va,
			 u64 pa)
{
	s->error.what = what;
	s->error.va = va;
	s->error.pa = pa;
	s->error.height = -1;
	return err;
}

static u64 page_size(const struct ds_snapshot *s)
{
	return 1ULL << s->cfg.pt->fmt->page_shift;
}

/* classify's answer, its run cut to the size asked: a run of 0 would
 * never advance, an unknown reason would index past the totals.
 */
static int classify_run(struct ds_snapshot *s, u64 pa, u64 size,
			enum ds_skip_reason *reason, u64 *run)
{
	int err;

	*reason = DS_SKIP_REASON_COUNT;
	*run = 0;
	err = s->cfg.classify(s->cfg.opaque, pa, size, reason, run);
	if (err < 0)
		return err;
	if (!*run || (unsigned int)*reason >= DS_SKIP_REASON_COUNT)
		return -EINVAL;
	if (*run > size)
		*run = size;
	return 0;
}

/* A page whose bytes are not all of one class: saved whole or not at all,
 * so the first skip reason found in it is the page's.
 */
static int classify_mixed_page(struct ds_snapshot *s, u64 pa, enum ds_skip_reason *reason)
{
	u64 page = page_size(s);

	for (u64 off = 0, run; off < page; off += run) {
		int err = classify_run(s, pa + off, page - off, reason, &run);

		if (err < 0 || *reason != DS_SAVED)
			return err;
	}
	return 0;
}

/* The class of the page at pa, and how many bytes of whole pages (at most
 * size) share it.  size is a whole number of pages, so *len is at least a
 * page: the caller's loop always advances.
 */
static int classify_pages(struct ds_snapshot *s, u64 pa, u64 size,
			  enum ds_skip_reason *reason, u64 *len)
{
	u64 page = page_size(s), run;
	int err = classify_run(s, pa, size, reason, &run);

	if (err < 0)
		return err;
	if (run >= page) {
		*len = run & ~(page - 1);
		return 0;
	}
	*len = page;
	return *reason == DS_SAVED ? classify_mixed_page(s, pa, reason) : 0;
}

/* Hands one piece of r to the caller, unless a failed budget already
 * doomed the snapshot.
 */
static int add_piece(struct ds_snapshot *s, const struct ds_range *r, u64 off,
		     u64 len, enum ds_skip_reason why)
{
	/* r may start inside a block: count leaves from the one holding r->va. */
	u64 leaves = ((r->va + off) >> r->page_shift) - (r->va >> r->page_shift);
	struct ds_segment seg = {
		.va = r->va + off,
		.pa = r->pa + off,
		.size = len,
		.pte = r->pte + ((leaves << r->page_shift) >> s->cfg.pt->fmt->oa_shift),
		.page_shift = r->page_shift,
		.attrs = r->attrs,
		.skip = (u8)why,
	};
	int err;

	if (s->over_budget)
		return 0;
	err = s->cfg.add_segment(s->cfg.opaque, &seg);
	if (err < 0)
		return snapshot_fail(s, err, "cannot keep the segment list", seg.va, seg.pa);
	if (why == DS_SAVED)
		s->totals.saved += len;
	else
		s->totals.skipped[why] += len;
	s->totals.segments++;
	return 0;
}

#define DS_NOT_SEEN (~0ULL)

/* pa's slot in the set of saved pages, or the free slot it would take. */
static struct ds_seen_page *seen_slot(const struct ds_snapshot *s, u64 pa)
{
	u64 mask = s->cfg.seen_slots - 1;
	u64 h = (pa >> s->cfg.pt->fmt->page_shift) * 0x9e3779b97f4a7c15ULL;
	u64 i;

	/* At most half the slots are used: a free one ends every probe. */
	for (i = (h ^ h >> 29) & mask;; i = (i + 1) & mask)
		if (!s->cfg.seen[i].pa_plus_one || s->cfg.seen[i].pa_plus_one == pa + 1)
			return &s->cfg.seen[i];
}

/* The segment that saved the page at pa, or DS_NOT_SEEN. */
static u64 saved_by(const struct ds_snapshot *s, u64 pa)
{
	const struct ds_seen_page *p;

	if (!s->cfg.seen)
		return DS_NOT_SEEN;
	p = seen_slot(s, pa);
	return p->pa_plus_one ? p->seg : DS_NOT_SEEN;
}

/* The pages of [pa, pa + len) were saved by segment seg. */
static void remember(struct ds_snapshot *s, u64 pa, u64 len, u64 seg)
{
	for (u64 off = 0; s->cfg.seen && off < len; off += page_size(s)) {
		struct ds_seen_page *p;

		/* Full only past the budget: needed is then an upper bound. */
		if (s->seen_used >= s->cfg.seen_slots / 2)
			return;
		p = seen_slot(s, pa + off);
		if (!p->pa_plus_one) {
			*p = (struct ds_seen_page){ .pa_plus_one = pa + off + 1, .seg = seg };
			s->seen_used++;
		}
	}
}

/* Saves what the budget allows of a piece of pages not saved before; the
 * rest fails the snapshot or, when partial, is skipped as over budget.
 */
static int place_new(struct ds_snapshot *s, const struct ds_range *r, u64 off, u64 len)
{
	u64 budget = s->cfg.budget;
	u64 left = budget > s->totals.needed ? budget - s->totals.needed : 0;
	u64 fits = !budget || len <= left ? len : left & ~(page_size(s) - 1);
	int err;

	s->totals.needed += len;
	remember(s, r->pa + off, s->cfg.partial ? fits : len, s->totals.segments);
	if (fits == len)
		return add_piece(s, r, off, len, DS_SAVED);
	if (!s->cfg.partial) {
		s->over_budget = true;
		return 0;
	}
	if (fits) {
		err = add_piece(s, r, off, fits, DS_SAVED);
		if (err < 0)
			return err;
	}
	return add_piece(s, r, off + fits, len - fits, DS_SKIP_BUDGET);
}

/* A RAM piece, cut where its pages turn from new to saved before (each
 * such run inside the one segment that saved it, whose bytes the dump
 * shares): only new pages cost the budget.
 */
static int place_saved(struct ds_snapshot *s, const struct ds_range *r, u64 off,
		       u64 len)
{
	u64 end = off + len, page = page_size(s), run, seg;
	int err;

	if (!s->cfg.seen)
		return place_new(s, r, off, len);
	for (; off < end; off += run) {
		seg = saved_by(s, r->pa + off);
		for (run = page; off + run < end && saved_by(s, r->pa + off + run) == seg;)
			run += page;
		if (seg == DS_NOT_SEEN)
			err = place_new(s, r, off, run);
		else
			err = add_piece(s, r, off, run, DS_SAVED);
		if (err < 0)
			return err;
	}
	return 0;
}

static int place(struct ds_snapshot *s, const struct ds_range *r, u64 off, u64 len,
		 enum ds_skip_reason why)
{
	return why == DS_SAVED ? place_saved(s, r, off, len) : add_piece(s, r, off, len, why);
}

/* Cuts r where the class changes; pieces of one class stay one segment. */
static int split_range(struct ds_snapshot *s, const struct ds_range *r)
{
	enum ds_skip_reason cur = DS_SAVED, why;
	u64 start = 0, off = 0, len;
	int err;

	if (!r->size || (r->va | r->pa | r->size) & (page_size(s) - 1))
		return snapshot_fail(s, -EINVAL, "the walk yielded a range of part of a page",
				     r->va, r->pa);
	if (r->attrs.mem == DS_MEM_DEVICE)
		return add_piece(s, r, 0, r->size, DS_SKIP_DEVICE);
	for (; off < r->size; off += len) {
		err = classify_pages(s, r->pa + off, r->size - off, &why, &len);
		if (err < 0)
			return snapshot_fail(s, err,
					     "the memory source cannot classify physical memory",
					     r->va + off, r->pa + off);
		if (off > start && why != cur) {
			err = place(s, r, start, off - start, cur);
			if (err < 0)
				return err;
			start = off;
		}
		cur = why;
	}
	return place(s, r, start, off - start, cur);
}

int ds_snapshot_run(struct ds_snapshot *s, const struct ds_snapshot_config *cfg)
{
	u64 page = 1ULL << cfg->pt->fmt->page_shift;
	struct ds_range r;
	int err;

	ds_memset(&s->totals, 0, sizeof(s->totals));
	s->cfg = *cfg;
	s->over_budget = false;
	/* Rounding out cannot wrap: va_last is inclusive. */
	s->va_first = cfg->va_first & ~(page - 1);
	s->va_last = cfg->va_last | (page - 1);
	s->seen_used = 0;
	snapshot_fail(s, 0, NULL, DS_NO_ADDR, DS_NO_ADDR);
	if (cfg->seen && (cfg->seen_slots < 2 || cfg->seen_slots & (cfg->seen_slots - 1)))
		return snapshot_fail(s, -EINVAL,
				     "the set of saved pages needs a power of two slots",
				     DS_NO_ADDR, DS_NO_ADDR);
	if (cfg->va_first > cfg->va_last)
		return snapshot_fail(s, -EINVAL,
				     "empty VA range: its first address is above its last",
				     cfg->va_first, DS_NO_ADDR);
	err = ds_walk_begin(&s->walk, cfg->pt, s->va_first, s->va_last);
	while (!err) {
		err = ds_walk_next(&s->walk, &r);
		if (err <= 0)
			break;
		s->totals.mapped += r.size;
		s->totals.ranges++;
		err = split_range(s, &r);
	}
	if (err < 0) {
		if (s->walk.err)
			s->error = s->walk.error;
		return err;
	}
	if (s->over_budget)
		return snapshot_fail(s, -E2BIG, "the mapped RAM exceeds the byte budget",
				     DS_NO_ADDR, DS_NO_ADDR);
	return 0;
}
