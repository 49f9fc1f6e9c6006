// SPDX-License-Identifier: MIT
/*
 * Finding the segments whose bytes another segment holds: sort the saved
 * segments' PA ranges (largest first among equal PAs), then one sweep
 * keeping the holder that reaches furthest.  A range inside some holder is
 * inside that one: every holder starting at or before it is behind in the
 * sweep, and this one ends last.  Partial overlaps keep their own copy.
 *
 * The entries carry their ranges, so sorting never reaches into the
 * segment list: 262144 scattered pages sort in a few ms, where comparing
 * through the list cost 300 ms of cache misses.
 */
#include "dump_share.h"

#define INSERTION_MAX 16 /* ranges this short: insertion sort */

/* PA up, then last address down, then VA order: a range comes after every
 * range holding it, and of equal ranges the first in VA order holds.
 */
static bool before(const struct ds_share_entry *x, const struct ds_share_entry *y)
{
	if (x->pa != y->pa)
		return x->pa < y->pa;
	if (x->last != y->last)
		return x->last > y->last;
	return x->seg < y->seg;
}

static void swap(struct ds_share_entry *a, struct ds_share_entry *b)
{
	struct ds_share_entry t = *a;

	*a = *b;
	*b = t;
}

static void sift_down(struct ds_share_entry *h, size_t root, size_t n)
{
	for (size_t child; (child = 2 * root + 1) < n; root = child) {
		if (child + 1 < n && before(&h[child], &h[child + 1]))
			child++;
		if (!before(&h[root], &h[child]))
			return;
		swap(&h[root], &h[child]);
	}
}

static void heap_sort(struct ds_share_entry *e, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		sift_down(e, i, n);
	for (size_t end = n; end-- > 1;) {
		swap(&e[0], &e[end]);
		sift_down(e, 0, end);
	}
}

static void insertion_sort(struct ds_share_entry *e, size_t n)
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j && before(&e[j], &e[j - 1]); j--)
			swap(&e[j], &e[j - 1]);
}

/* Hoare partition around the median of three; returns the split. */
static size_t partition(struct ds_share_entry *e, size_t n)
{
	size_t mid = n / 2, i = 0, j = n - 1;
	struct ds_share_entry pivot;

	if (before(&e[mid], &e[0]))
		swap(&e[mid], &e[0]);
	if (before(&e[n - 1], &e[0]))
		swap(&e[n - 1], &e[0]);
	if (before(&e[n - 1], &e[mid]))
		swap(&e[n - 1], &e[mid]);
	pivot = e[mid];
	for (;;) {
		while (before(&e[i], &pivot))
			i++;
		while (before(&pivot, &e[j]))
			j--;
		if (i >= j)
			return j + 1;
		swap(&e[i++], &e[j--]);
	}
}

/* Introsort: quicksort, recursing into the smaller side (stack depth
 * log n, fit for a kernel stack), heapsort past depth 2 log n: O(n log n)
 * on any input, in place, as lib/ allocates nothing.
 */
static void introsort(struct ds_share_entry *e, size_t n, unsigned int depth)
{
	while (n > INSERTION_MAX) {
		size_t split;

		if (!depth--) {
			heap_sort(e, n);
			return;
		}
		split = partition(e, n);
		if (split < n - split) {
			introsort(e, split, depth);
			e += split;
			n -= split;
		} else {
			introsort(e + split, n - split, depth);
			n = split;
		}
	}
	insertion_sort(e, n);
}

static void sort_ranges(struct ds_share_entry *e, size_t n)
{
	unsigned int depth = 0;

	for (size_t m = n; m; m >>= 1)
		depth += 2;
	introsort(e, n, depth);
}

size_t ds_dump_find_shared(struct ds_segment *segs, size_t nsegs, struct ds_share_entry *index)
{
	size_t n = 0, shared = 0;
	u64 holder_last = 0;
	u32 holder = 0;

	for (size_t i = 0; i < nsegs; i++) {
		const struct ds_segment *s = &segs[i];

		segs[i].shared = 0;
		/* Saved, and a PA range not wrapping past 2^64 (one may end there). */
		if (s->skip == DS_SAVED && s->pa + (s->size - 1) >= s->pa)
			index[n++] = (struct ds_share_entry){ s->pa, s->pa + (s->size - 1),
							      (u32)i };
	}
	sort_ranges(index, n);
	for (size_t k = 0; k < n; k++) {
		if (k && index[k].last <= holder_last) {
			segs[index[k].seg].shared = 1;
			segs[index[k].seg].file_offset = holder;
			shared++;
			continue;
		}
		holder = index[k].seg;
		holder_last = index[k].last;
	}
	return shared;
}
