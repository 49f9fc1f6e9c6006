/* SPDX-License-Identifier: MIT */
/*
 * Snapshot: walk a device's page tables, sort every mapped byte into saved
 * or skipped (and why), hold to a byte budget, and hand the caller one
 * ds_segment per piece.  Nothing is read or copied here: the caller decides
 * when the bytes move (userspace streams them into the file as it writes
 * it; the kernel helper copies them into fresh pages from add_segment).
 */
#ifndef DS_SNAPSHOT_H
#define DS_SNAPSHOT_H

#include "dump.h"
#include "pgtable.h"

/*
 * How the bytes at pa are to be treated: *reason is DS_SAVED (online RAM)
 * or a DS_SKIP_* reason, *run_len how many bytes from pa on share it
 * (at least 1; more than size is fine and counts as size: a source may
 * answer with the end of its RAM region).  0 or a negative errno; a run of
 * 0 or an unknown reason fails the snapshot with -EINVAL.
 */
typedef int (*ds_classify_fn)(void *opaque, u64 pa, u64 size,
			      enum ds_skip_reason *reason, u64 *run_len);

/* Appends one segment to the caller's list: 0, or -ENOMEM to give up. */
typedef int (*ds_add_segment_fn)(void *opaque, const struct ds_segment *seg);

/* A slot of the set of pages saved so far; all zero when free. */
struct ds_seen_page {
	u64 pa_plus_one; /* the page's PA + 1: PA 0 is a page too */
	u64 seg;         /* the number of the segment that saved it */
};

/*
 * Slots for a budget of budget bytes of pages of page_size bytes: a power
 * of two, at least twice the pages, so that probing stays short.
 */
static inline u64 ds_seen_slots(u64 budget, u64 page_size)
{
	u64 pages = budget / page_size + (budget % page_size != 0), slots = 2;

	while (slots < 2 * pages)
		slots <<= 1;
	return slots;
}

/*
 * The VA range, for userspace and the kernel helper alike: [va_first,
 * va_last], canonical, va_last INCLUSIVE, so a range ending at 2^64 has
 * va_last ~0ULL and the whole space is 0, ~0ULL.  Bounds not on a page
 * boundary (the format's page size) are rounded OUT to whole pages: a
 * driver's off-by-one (va_last = end, or end - 2) costs at most one extra
 * page, never the page it meant, and never a hang.  va_first > va_last,
 * or a range with nothing of the table's VA space in it, is -EINVAL with
 * s->error.what saying so.  ds_snapshot.va_first/va_last report the range
 * walked, rounded out, for the caller to tell its user.
 *
 * A physical page mapped at several VAs is stored once in the dump, so with
 * seen (ds_seen_slots(budget, page) slots, all zero before each run) it
 * costs the budget once: a saved piece is cut where its pages turn from new
 * to already saved, and each already-saved run lies inside one earlier
 * segment, whose bytes the dump writer shares with it (ds_dump_layout).
 * Fewer slots are safe: once half are used, new pages are not remembered
 * and their aliases count again.  Without seen, every VA's bytes count.
 */
struct ds_snapshot_config {
	const struct ds_pgtable *pt;
	u64 va_first, va_last; /* canonical VAs, va_last inclusive; see above */
	u64 budget;            /* bytes that may be saved; 0: no limit */
	bool partial;               /* past the budget: skip as DS_SKIP_BUDGET, not -E2BIG */
	struct ds_seen_page *seen;  /* NULL, or seen_slots slots; see above */
	u64 seen_slots;
	ds_classify_fn classify;
	ds_add_segment_fn add_segment;
	void *opaque;
};

struct ds_snapshot_totals {
	u64 mapped;  /* bytes the tables map in the VA range */
	u64 saved;   /* bytes in DS_SAVED segments */
	u64 needed;  /* bytes the budget would need: aliases of saved pages are free with seen */
	u64 skipped[DS_SKIP_REASON_COUNT]; /* by reason; [DS_SAVED] stays 0 */
	u64 ranges;   /* walker ranges */
	u64 segments; /* segments handed to add_segment */
};

struct ds_snapshot {
	struct ds_snapshot_config cfg;
	struct ds_walk walk; /* large: callers in the kernel allocate the snapshot */
	struct ds_snapshot_totals totals;
	struct ds_error error;
	bool over_budget;
	u64 va_first, va_last; /* cfg's, rounded out to whole pages */
	u64 seen_used;         /* slots of cfg.seen in use */
};

/*
 * Runs the whole snapshot.  Segments arrive in walk order (sorted by VA),
 * never mixing saved and skipped bytes, each a multiple of the format's
 * page size, inside [s->va_first, s->va_last].  Device-memory mappings are
 * skipped without asking classify.  Every loop advances by a page or by
 * classify's run (at least 1 byte), so the work is bounded by the pages
 * mapped in the range whatever the tables and classify say.
 * 0, or a negative errno with s->error set: the walk's error, classify's,
 * add_segment's (no call follows it), or -E2BIG when the budget is exceeded
 * without cfg->partial (s->totals.needed then says what it would take; no
 * segment is added past the point where the budget ran out).
 */
int ds_snapshot_run(struct ds_snapshot *s, const struct ds_snapshot_config *cfg);

#endif /* DS_SNAPSHOT_H */
