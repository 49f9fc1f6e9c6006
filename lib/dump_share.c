// SPDX-License-Identifier: MIT
/*
 * Finding the segments whose bytes another segment holds: sort the saved
 * segments by PA (largest first among equal PAs), then one sweep keeping
 * the holder that reaches furthest.  A range inside some holder is inside
 * that one: every holder starting at or before it is behind in the sweep,
 * and this one ends last.  Partial overlaps keep their own copy.
 */
#include "dump_share.h"

/* PA up, then size down, then VA order: a range comes after every range
 * holding it, and of equal ranges the first in VA order holds the bytes. */
static bool before(const struct ds_segment *segs, uint32_t a, uint32_t b)
{
	const struct ds_segment *x = &segs[a], *y = &segs[b];

	if (x->pa != y->pa)
		return x->pa < y->pa;
	if (x->size != y->size)
		return x->size > y->size;
	return a < b;
}

static void sift_down(const struct ds_segment *segs, uint32_t *h, size_t root, size_t n)
{
	for (size_t child; (child = 2 * root + 1) < n; root = child) {
		uint32_t t;

		if (child + 1 < n && before(segs, h[child], h[child + 1]))
			child++;
		if (!before(segs, h[root], h[child]))
			return;
		t = h[root];
		h[root] = h[child];
		h[child] = t;
	}
}

/* Heapsort: O(n log n) in place, as lib/ allocates nothing. */
static void sort_by_pa(const struct ds_segment *segs, uint32_t *idx, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		sift_down(segs, idx, i, n);
	for (size_t end = n; end-- > 1;) {
		uint32_t t = idx[0];

		idx[0] = idx[end];
		idx[end] = t;
		sift_down(segs, idx, 0, end);
	}
}

/* Saved, and a PA range that does not wrap past 2^64 (one may end there). */
static bool shareable(const struct ds_segment *s)
{
	return s->skip == DS_SAVED && s->pa + (s->size - 1) >= s->pa;
}

size_t ds_dump_find_shared(struct ds_segment *segs, size_t nsegs, uint32_t *index)
{
	size_t n = 0, shared = 0;
	uint64_t holder_last = 0;
	uint32_t holder = 0;

	for (size_t i = 0; i < nsegs; i++) {
		segs[i].shared = 0;
		if (shareable(&segs[i]))
			index[n++] = (uint32_t)i;
	}
	sort_by_pa(segs, index, n);
	for (size_t k = 0; k < n; k++) {
		struct ds_segment *s = &segs[index[k]];
		uint64_t last = s->pa + (s->size - 1);

		if (k && last <= holder_last) {
			s->shared = 1;
			s->file_offset = holder;
			shared++;
			continue;
		}
		holder = index[k];
		holder_last = last;
	}
	return shared;
}
