// SPDX-License-Identifier: MIT
/*
 * Finding the segments whose bytes another segment holds: sort the saved
 * segments' PA ranges (largest first among equal PAs), then one sweep
 * keeping the holder that reaches furthest.  A range inside some holder is
 * inside that one: every holder starting at or before it is behind in the
 * sweep, and this one ends last.  Partial overlaps keep their own copy.
 *
 * The entries carry their ranges, so sorting never reaches into the
 * segment list: 262144 scattered pages sort in about 20 ms of CPU, where
 * comparing through the list cost 300 ms of cache misses.
 *
 * The sort: input already in order (or in reverse, as page allocators
 * often hand pages out) costs one pass; with scratch room, an LSD radix
 * sort on the PA (about 10 ms for those pages: three passes), then each
 * run of equal PAs put in order; without, an introsort.  Every path gives
 * the one order before() defines.
 */
#include "dump_share.h"

#define INSERTION_MAX 16 /* ranges this short: insertion sort */
#define RADIX_BITS 8
#define RADIX_BUCKETS 256 /* 2^RADIX_BITS; their counts: 1 KiB of a kernel stack */

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

static void introsort_all(struct ds_share_entry *e, size_t n)
{
	unsigned int depth = 0;

	for (size_t m = n; m; m >>= 1)
		depth += 2;
	introsort(e, n, depth);
}

/* Whether every entry comes before the next (step 1) or after it (-1). */
static bool ordered(const struct ds_share_entry *e, size_t n, int step)
{
	for (size_t i = 1; i < n; i++)
		if (step > 0 ? !before(&e[i - 1], &e[i]) : !before(&e[i], &e[i - 1]))
			return false;
	return true;
}

static void reverse(struct ds_share_entry *e, size_t n)
{
	for (size_t i = 0; i < n / 2; i++)
		swap(&e[i], &e[n - 1 - i]);
}

/* One stable counting pass on the PA's 8 bits at shift, from src to dst. */
static void radix_pass(const struct ds_share_entry *src, struct ds_share_entry *dst, size_t n,
		       unsigned int shift)
{
	u32 at[RADIX_BUCKETS] = { 0 };
	u32 sum = 0;

	for (size_t i = 0; i < n; i++)
		at[(src[i].pa >> shift) & (RADIX_BUCKETS - 1)]++;
	for (unsigned int b = 0; b < RADIX_BUCKETS; b++) {
		u32 count = at[b];

		at[b] = sum;
		sum += count;
	}
	for (size_t i = 0; i < n; i++)
		dst[at[(src[i].pa >> shift) & (RADIX_BUCKETS - 1)]++] = src[i];
}

/*
 * Sorts by PA alone, stably: the entries stay in segment order within an
 * equal PA.  The digits start at the lowest bit in which PAs differ and
 * skip those all PAs share: pages of 64 GiB of RAM take three passes.  n
 * fits a u32: it counts segments.
 */
static void radix_sort(struct ds_share_entry *e, struct ds_share_entry *scratch, size_t n)
{
	struct ds_share_entry *src = e, *dst = scratch, *t;
	unsigned int low = 0;
	u64 differ = 0;

	for (size_t i = 1; i < n; i++)
		differ |= e[i].pa ^ e[0].pa;
	if (!differ)
		return;
	while (!((differ >> low) & 1))
		low++;
	for (unsigned int shift = low; shift < 64; shift += RADIX_BITS) {
		if (!((differ >> shift) & (RADIX_BUCKETS - 1)))
			continue;
		radix_pass(src, dst, n, shift);
		t = src;
		src = dst;
		dst = t;
	}
	if (src != e)
		ds_memcpy(e, src, n * sizeof(*e));
}

/* After the radix sort: entries of one PA by last address down, then segment. */
static void order_equal_pas(struct ds_share_entry *e, size_t n)
{
	for (size_t i = 0, run; i < n; i += run) {
		run = 1;
		while (i + run < n && e[i + run].pa == e[i].pa)
			run++;
		if (run > 1 && !ordered(e + i, run, 1))
			introsort_all(e + i, run);
	}
}

static void sort_ranges(struct ds_share_entry *e, size_t n, struct ds_share_entry *scratch)
{
	if (ordered(e, n, 1))
		return;
	if (ordered(e, n, -1)) {
		reverse(e, n);
		return;
	}
	if (!scratch) {
		introsort_all(e, n);
		return;
	}
	radix_sort(e, scratch, n);
	order_equal_pas(e, n);
}

size_t ds_dump_find_shared(struct ds_segment *segs, size_t nsegs, struct ds_share_entry *index,
			   struct ds_share_entry *scratch)
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
	sort_ranges(index, n, scratch);
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
