/* SPDX-License-Identifier: MIT */
/*
 * Shared pages stored once: which saved segments map a PA range another
 * saved segment already holds (a zero page mapped everywhere, espfix's page
 * mapped 65536 times, a buffer mapped twice), so that their PT_LOADs can
 * point at that segment's file bytes.  Internal to the dump writer.
 */
#ifndef DS_DUMP_SHARE_H
#define DS_DUMP_SHARE_H

#include "dump.h"

/*
 * Sets shared on each saved segment whose PA range lies wholly inside one
 * other saved segment's, and puts that segment's index (one that is not
 * shared itself) in its file_offset; clears shared on every other segment.
 * index: room for nsegs entries, left holding the saved segments' ranges
 * sorted by PA.  scratch: NULL, or room for nsegs more, which makes the
 * sort a radix sort (linear; it matters from some 10^5 scattered pages
 * on).  O(n log n) at most, no memory but index and scratch.  Returns the
 * segments shared.
 */
size_t ds_dump_find_shared(struct ds_segment *segs, size_t nsegs, struct ds_share_entry *index,
			   struct ds_share_entry *scratch);

#endif /* DS_DUMP_SHARE_H */
