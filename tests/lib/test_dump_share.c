// SPDX-License-Identifier: MIT
/* lib/dump_share.c: every way of sorting (input in order, in reverse, radix
 * sort with scratch, introsort without) finds the same shared segments, the
 * same holders, and leaves the index in the same order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dump_share.h"

#define K4 0x1000ULL

static struct ds_segment page(uint64_t va, uint64_t pa, uint64_t size)
{
	return (struct ds_segment){ .va = va, .pa = pa, .size = size, .page_shift = 12,
				    .attrs = { DS_PROT_PR, DS_MEM_CACHED } };
}

/* The order the index ends in: PA up, last address down, segment up. */
static bool in_order(const struct ds_share_entry *x, const struct ds_share_entry *y)
{
	if (x->pa != y->pa)
		return x->pa < y->pa;
	if (x->last != y->last)
		return x->last > y->last;
	return x->seg < y->seg;
}

/* Shared exactly when another saved range holds it (of equal ranges, the
 * first), pointing at a holder that holds it and is not shared itself. */
static void assert_matches_the_definition(const struct ds_segment *s, size_t n, size_t shared)
{
	size_t expected = 0;

	for (size_t i = 0; i < n; i++) {
		const struct ds_segment *h;
		bool held = false;

		for (size_t j = 0; j < n && s[i].skip == DS_SAVED && !held; j++)
			held = j != i && s[j].skip == DS_SAVED && s[j].pa <= s[i].pa &&
			       s[j].pa + (s[j].size - 1) >= s[i].pa + (s[i].size - 1) &&
			       (s[j].pa != s[i].pa || s[j].size != s[i].size || j < i);
		assert_int_equal(s[i].shared, held);
		expected += held;
		if (!held)
			continue;
		assert_true(s[i].file_offset < n);
		h = &s[s[i].file_offset];
		assert_true(!h->shared && h->pa <= s[i].pa &&
			    h->pa + (h->size - 1) >= s[i].pa + (s[i].size - 1));
	}
	assert_int_equal(shared, expected);
}

/* Finds the shared segments of a copy of s with scratch room and without;
 * checks both against the definition and against each other. */
static void assert_every_sort_agrees(const struct ds_segment *s, size_t n)
{
	struct ds_segment *a = malloc(n * sizeof(*a)), *b = malloc(n * sizeof(*b));
	struct ds_share_entry *ia = malloc(2 * n * sizeof(*ia)), *ib = malloc(n * sizeof(*ib));
	size_t shared_a, shared_b, saved = 0;

	assert_true(a && b && ia && ib);
	memcpy(a, s, n * sizeof(*a));
	memcpy(b, s, n * sizeof(*b));
	shared_a = ds_dump_find_shared(a, n, ia, ia + n);
	shared_b = ds_dump_find_shared(b, n, ib, NULL);
	assert_int_equal(shared_a, shared_b);
	assert_matches_the_definition(a, n, shared_a);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(a[i].shared, b[i].shared);
		if (a[i].shared)
			assert_int_equal(a[i].file_offset, b[i].file_offset);
		saved += s[i].skip == DS_SAVED;
	}
	for (size_t k = 0; k < saved; k++) {
		assert_memory_equal(&ia[k], &ib[k], sizeof(ia[k]));
		if (k)
			assert_true(in_order(&ia[k - 1], &ia[k]));
	}
	free(a);
	free(b);
	free(ia);
	free(ib);
}

/* Pages mapped in PA order, a 2M block among them holding the next 511. */
static void input_in_pa_order(void **state)
{
	enum { N = 4096 };
	struct ds_segment *s = calloc(N, sizeof(*s));

	assert_non_null(s);
	for (size_t i = 0; i < N; i++)
		s[i] = page(i * 0x10000, 0x100000000ULL + i * K4, K4);
	s[100] = page(100 * 0x10000, 0x100000000ULL + 100 * K4, 0x200000);
	assert_every_sort_agrees(s, N);
	free(s);
}

/* Pages mapped in falling PA order, as a page allocator often hands them
 * out; one page mapped twice. */
static void input_in_reverse_pa_order(void **state)
{
	enum { N = 4096 };
	struct ds_segment *s = calloc(N, sizeof(*s));

	assert_non_null(s);
	for (size_t i = 0; i < N; i++)
		s[i] = page(i * 0x10000, 0x200000000ULL - i * K4, K4);
	assert_every_sort_agrees(s, N);
	s[N - 1].pa = s[7].pa; /* no longer strictly falling */
	assert_every_sort_agrees(s, N);
	free(s);
}

/* Runs of equal PAs, ranges of 1-4 pages in shuffled order: the radix
 * sort leaves each run in segment order; longest first must win. */
static void equal_pas_of_different_sizes(void **state)
{
	enum { N = 5000 };
	struct ds_segment *s = calloc(N, sizeof(*s));
	unsigned seed = 4242;

	assert_non_null(s);
	for (size_t i = 0; i < N; i++) {
		seed = seed * 1103515245 + 12345;
		s[i] = page(i * 0x10000, 0x80000000ULL + ((seed >> 8) % 16) * K4,
			    (1 + (seed >> 20) % 4) * K4);
		s[i].skip = (seed >> 28) % 8 == 0 ? DS_SKIP_BUDGET : DS_SAVED;
	}
	assert_every_sort_agrees(s, N);
}

/* One page mapped everywhere, and PAs differing in every byte, top one
 * ending at 2^64. */
static void one_pa_everywhere_and_pas_in_every_byte(void **state)
{
	enum { N = 3000 };
	struct ds_segment *s = calloc(N, sizeof(*s));
	uint64_t x = 0x0123456789abcdefULL;

	assert_non_null(s);
	for (size_t i = 0; i < N; i++)
		s[i] = page(i * 0x10000, 0x7000, K4);
	assert_every_sort_agrees(s, N);
	for (size_t i = 0; i < N; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		s[i] = page(i * 0x10000, x & ~(K4 - 1), (1 + i % 3) * K4);
		if (i % 5 == 0)
			s[i].pa = s[i / 2].pa;
	}
	s[N - 1] = page((N - 1) * 0x10000, 0 - K4, K4);
	assert_every_sort_agrees(s, N);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(input_in_pa_order),
		cmocka_unit_test(input_in_reverse_pa_order),
		cmocka_unit_test(equal_pas_of_different_sizes),
		cmocka_unit_test(one_pa_everywhere_and_pas_in_every_byte),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
