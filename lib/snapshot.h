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
 * (at least 1; more than size is fine).  0 or a negative errno.
 */
typedef int (*ds_classify_fn)(void *opaque, uint64_t pa, uint64_t size,
			      enum ds_skip_reason *reason, uint64_t *run_len);

/* Appends one segment to the caller's list: 0, or -ENOMEM to give up. */
typedef int (*ds_add_segment_fn)(void *opaque, const struct ds_segment *seg);

struct ds_snapshot_config {
	const struct ds_pgtable *pt;
	uint64_t va_first, va_last; /* canonical VAs, inclusive; 0, ~0ULL: all */
	uint64_t budget;            /* bytes that may be saved; 0: no limit */
	bool partial;               /* past the budget: skip as DS_SKIP_BUDGET, not -E2BIG */
	ds_classify_fn classify;
	ds_add_segment_fn add_segment;
	void *opaque;
};

struct ds_snapshot_totals {
	uint64_t mapped;  /* bytes the tables map in the VA range */
	uint64_t saved;   /* bytes in DS_SAVED segments */
	uint64_t needed;  /* bytes that would be saved with no budget */
	uint64_t skipped[DS_SKIP_REASON_COUNT]; /* by reason; [DS_SAVED] stays 0 */
	uint64_t ranges;   /* walker ranges */
	uint64_t segments; /* segments handed to add_segment */
};

struct ds_snapshot {
	struct ds_snapshot_config cfg;
	struct ds_walk walk; /* large: callers in the kernel allocate the snapshot */
	struct ds_snapshot_totals totals;
	struct ds_error error;
	bool over_budget;
};

/*
 * Runs the whole snapshot.  Segments arrive in walk order (sorted by VA),
 * never mixing saved and skipped bytes, each a multiple of the format's
 * page size.  Device-memory mappings are skipped without asking classify.
 * 0, or a negative errno with s->error set: the walk's error, classify's,
 * add_segment's (no call follows it), or -E2BIG when the budget is exceeded
 * without cfg->partial (s->totals.needed then says what it would take; no
 * segment is added past the point where the budget ran out).
 */
int ds_snapshot_run(struct ds_snapshot *s, const struct ds_snapshot_config *cfg);

#endif /* DS_SNAPSHOT_H */
