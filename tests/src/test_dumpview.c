// SPDX-License-Identifier: MIT
/*
 * src/read/dumpview.c over libdevsnap's segment index: PT_LOADs shuffled
 * among PT_NULLs come out in VA order, every VA finds its segment, and
 * overlapping segments are caught, whatever order the header table keeps.
 */
#define _GNU_SOURCE /* memfd_create */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "read/dumpview.h"

#define N 4099 /* prime: i * 1000 % N visits every i once */
#define PAGE 0x1000ULL

static void put(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> 8 * i);
}

/* Segment s (one page at 0x10000 + s * 2 pages) in load slot i, after a
 * PT_NULL; the file in a memfd, opened by its /proc path. */
static int open_shuffled(struct dumpview *v, char path[64], uint64_t overlap_va)
{
	size_t size = 64 + 2 * N * 56;
	uint8_t *d = calloc(1, size);
	int fd = memfd_create("dumpview", 0);

	assert_non_null(d);
	assert_true(fd >= 0);
	memcpy(d, "\177ELF\2\1\1", 7);
	put(d + 16, 4, 2), put(d + 32, 64, 8), put(d + 54, 56, 2), put(d + 56, 2 * N, 2);
	for (uint32_t i = 0; i < N; i++) {
		uint8_t *ph = d + 64 + (2 * i + 1) * 56;
		uint64_t s = (uint64_t)i * 1000 % N;

		put(ph, 1, 4);
		put(ph + 16, i == 7 && overlap_va ? overlap_va : 0x10000 + s * 2 * PAGE, 8);
		put(ph + 40, i == 7 && overlap_va ? 8 * PAGE : PAGE, 8);
	}
	assert_int_equal(write(fd, d, size), (ssize_t)size);
	free(d);
	snprintf(path, 64, "/proc/self/fd/%d", fd);
	return dumpview_open(v, path);
}

static void shuffled_segments_are_indexed_by_va(void **state)
{
	struct dumpview v;
	struct devsnap_segment l;
	uint32_t idx;
	char path[64];

	assert_int_equal(open_shuffled(&v, path, 0), 0);
	assert_int_equal(v.nsegs, N);
	assert_false(v.overlaps);
	assert_int_equal(dumpview_disjoint(&v), 0);
	for (uint32_t i = 0; i < N; i++) {
		uint64_t va = 0x10000 + (uint64_t)i * 2 * PAGE;

		dumpview_load(&v, i, &l);
		assert_int_equal(l.va, va);
		assert_int_equal(dumpview_find(&v, va + PAGE - 1, &l, &idx), 0);
		assert_int_equal(idx, i);
		assert_int_equal(dumpview_find(&v, va + PAGE, &l, &idx), -ENOENT);
		assert_int_equal(dumpview_first_after(&v, va + PAGE), i + 1);
	}
	assert_int_equal(dumpview_first_after(&v, 0), 0);
	dumpview_close(&v);
}

/* A wide segment in a gap, swallowing the segments after it. */
static void overlapping_segments_are_caught(void **state)
{
	struct dumpview v;
	char path[64];

	assert_int_equal(open_shuffled(&v, path, 0x10000 + 100 * 2 * PAGE + PAGE), 0);
	assert_true(v.overlaps);
	assert_int_equal(v.overlap_a, 0x10000 + 100 * 2 * PAGE + PAGE);
	assert_int_equal(v.overlap_b, 0x10000 + 101 * 2 * PAGE);
	assert_int_equal(dumpview_disjoint(&v), -EBADMSG);
	dumpview_close(&v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shuffled_segments_are_indexed_by_va),
		cmocka_unit_test(overlapping_segments_are_caught),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
