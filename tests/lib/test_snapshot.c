// SPDX-License-Identifier: MIT
/* lib/snapshot.c: classification, the budget, the VA range rule (inclusive
 * last address, bounds rounded out to pages) and classify callbacks that lie.
 * Tables are built by the real builder; classify is a fake over PA regions
 * that counts its calls, so a loop that stops advancing fails, not hangs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "dump_share.h"
#include "formats/formats.h"
#include "snapshot.h"
#include "walk_fixture.h"

#define K4 0x1000ULL
#define M2 0x200000ULL
#define RW (DS_PROT_PR | DS_PROT_PW)
#define MAX_SEGS 32
#define MAX_CALLS 100000 /* far above what any test needs */

struct pa_class {
	uint64_t first, last; /* inclusive */
	enum ds_skip_reason why;
};

enum lie { HONEST, RUN_ZERO, RUN_HUGE, BAD_REASON };

static struct walk_fixture fx;
static struct ds_snapshot snap;
static struct ds_segment segs[MAX_SEGS];
static unsigned nsegs, calls, fail_add_after;
static struct pa_class classes[4];
static unsigned nclasses;
static enum lie lie;
static struct ds_seen_page seen[64];
static bool use_seen;

/* Saved unless a region says otherwise; the run ends where the class may change. */
static int fake_classify(void *opaque, uint64_t pa, uint64_t size, enum ds_skip_reason *reason,
			 uint64_t *run_len)
{
	uint64_t end = ~0ULL;

	if (++calls > MAX_CALLS)
		return -ELOOP;
	*reason = DS_SAVED;
	for (unsigned i = 0; i < nclasses; i++) {
		if (pa >= classes[i].first && pa <= classes[i].last) {
			*reason = classes[i].why;
			end = classes[i].last;
			break;
		}
		if (classes[i].first > pa && classes[i].first - 1 < end)
			end = classes[i].first - 1;
	}
	*run_len = end - pa + 1 ? end - pa + 1 : ~0ULL;
	if (lie == RUN_ZERO)
		*run_len = 0;
	else if (lie == RUN_HUGE)
		*run_len = ~0ULL;
	else if (lie == BAD_REASON)
		*reason = (enum ds_skip_reason)42;
	return 0;
}

static int keep_segment(void *opaque, const struct ds_segment *seg)
{
	if (nsegs == fail_add_after || nsegs >= MAX_SEGS)
		return -ENOMEM;
	segs[nsegs++] = *seg;
	return 0;
}

static int setup_format(const struct ds_format *f)
{
	struct ds_pgtable_config cfg = { .format = f };

	fixture_setup(&fx, &cfg, 4 << 20);
	nsegs = calls = nclasses = 0;
	fail_add_after = ~0u;
	lie = HONEST;
	use_seen = false;
	return 0;
}

static int setup(void **state)
{
	return setup_format(&ds_format_x86_64);
}

/* x86-64 has no device-memory type; VMSAv8 has, through MAIR. */
static int setup_arm64(void **state)
{
	return setup_format(&ds_format_arm64_4k);
}

static int teardown(void **state)
{
	fixture_teardown(&fx);
	return 0;
}

static int snapshot(uint64_t first, uint64_t last, uint64_t budget, bool partial)
{
	struct ds_snapshot_config cfg = {
		.pt = &fx.pt, .va_first = first, .va_last = last, .budget = budget,
		.partial = partial, .classify = fake_classify, .add_segment = keep_segment,
	};

	if (use_seen) {
		memset(seen, 0, sizeof(seen));
		cfg.seen = seen;
		cfg.seen_slots = ds_seen_slots(budget, K4);
		assert_true(cfg.seen_slots <= DS_ARRAY_SIZE(seen));
	}
	nsegs = calls = 0;
	return ds_snapshot_run(&snap, &cfg);
}

static void add_class(uint64_t first, uint64_t last, enum ds_skip_reason why)
{
	classes[nclasses++] = (struct pa_class){ first, last, why };
}

static void assert_seg(unsigned i, uint64_t va, uint64_t pa, uint64_t size, enum ds_skip_reason why)
{
	assert_true(i < nsegs);
	assert_int_equal(segs[i].va, va);
	assert_int_equal(segs[i].pa, pa);
	assert_int_equal(segs[i].size, size);
	assert_int_equal(segs[i].skip, why);
}

static void ranges_split_where_the_class_changes(void **state)
{
	assert_int_equal(fixture_map(&fx, 0x10000, 0x100000, 8 * K4, 0, RW, DS_MEM_CACHED), 0);
	add_class(0x102000, 0x103fff, DS_SKIP_HWPOISON);
	add_class(0x106000, ~0ULL, DS_SKIP_NOT_RAM);
	assert_int_equal(snapshot(0, ~0ULL, 0, false), 0);
	assert_int_equal(nsegs, 4);
	assert_seg(0, 0x10000, 0x100000, 2 * K4, DS_SAVED);
	assert_seg(1, 0x12000, 0x102000, 2 * K4, DS_SKIP_HWPOISON);
	assert_seg(2, 0x14000, 0x104000, 2 * K4, DS_SAVED);
	assert_seg(3, 0x16000, 0x106000, 2 * K4, DS_SKIP_NOT_RAM);
	assert_int_equal(snap.totals.mapped, 8 * K4);
	assert_int_equal(snap.totals.saved, 4 * K4);
	assert_int_equal(snap.totals.skipped[DS_SKIP_HWPOISON], 2 * K4);
	assert_int_equal(snap.totals.skipped[DS_SKIP_NOT_RAM], 2 * K4);
	assert_int_equal(snap.totals.segments, 4);
	assert_true(calls <= 8); /* per class change, not per byte */
}

static void a_page_part_not_ram_is_skipped_whole(void **state)
{
	assert_int_equal(fixture_map(&fx, 0x10000, 0x100000, 3 * K4, 0, RW, DS_MEM_CACHED), 0);
	add_class(0x101800, 0x1018ff, DS_SKIP_OFFLINE);
	assert_int_equal(snapshot(0, ~0ULL, 0, false), 0);
	assert_int_equal(nsegs, 3);
	assert_seg(0, 0x10000, 0x100000, K4, DS_SAVED);
	assert_seg(1, 0x11000, 0x101000, K4, DS_SKIP_OFFLINE);
	assert_seg(2, 0x12000, 0x102000, K4, DS_SAVED);
}

static void device_memory_is_skipped_without_asking(void **state)
{
	assert_int_equal(fixture_map(&fx, 0x10000, 0xfe000000, 2 * K4, 0, RW, DS_MEM_DEVICE), 0);
	assert_int_equal(snapshot(0, ~0ULL, 0, false), 0);
	assert_int_equal(calls, 0);
	assert_int_equal(nsegs, 1);
	assert_seg(0, 0x10000, 0xfe000000, 2 * K4, DS_SKIP_DEVICE);
}

static void over_budget_fails_or_saves_what_fits(void **state)
{
	assert_int_equal(fixture_map(&fx, 0x10000, 0x100000, 8 * K4, 0, RW, DS_MEM_CACHED), 0);
	assert_int_equal(fixture_map(&fx, 0x20000, 0x200000, 2 * K4, 0, RW, DS_MEM_CACHED), 0);
	assert_int_equal(snapshot(0, ~0ULL, 3 * K4 + 100, false), -E2BIG);
	assert_int_equal(snap.totals.needed, 10 * K4);
	assert_int_equal(nsegs, 0); /* the first range already did not fit */
	assert_non_null(snap.error.what);

	assert_int_equal(snapshot(0, ~0ULL, 3 * K4 + 100, true), 0);
	assert_int_equal(nsegs, 3);
	assert_seg(0, 0x10000, 0x100000, 3 * K4, DS_SAVED);
	assert_seg(1, 0x13000, 0x103000, 5 * K4, DS_SKIP_BUDGET);
	assert_seg(2, 0x20000, 0x200000, 2 * K4, DS_SKIP_BUDGET);
	assert_int_equal(snap.totals.saved, 3 * K4);
	assert_int_equal(snap.totals.skipped[DS_SKIP_BUDGET], 7 * K4);

	assert_int_equal(snapshot(0, ~0ULL, 10 * K4, false), 0);
	assert_int_equal(snap.totals.saved, 10 * K4);
}

/*
 * PA 0x100000-0x107fff mapped at 0x10000 and again at 0x40000, and at
 * 0x60000 its last 4 pages and 4 new ones: 12 distinct pages in 20 mapped.
 * With the set of saved pages the budget pays for each page once, the
 * pieces are cut where pages turn from saved to new, and the dump writer
 * stores exactly the pages paid for.
 */
static void aliased_pages_cost_the_budget_once(void **state)
{
	struct ds_share_entry index[MAX_SEGS];
	uint64_t held = 0;

	assert_int_equal(fixture_map(&fx, 0x10000, 0x100000, 8 * K4, 0, RW, DS_MEM_CACHED), 0);
	assert_int_equal(fixture_map(&fx, 0x40000, 0x100000, 8 * K4, 0, RW, DS_MEM_CACHED), 0);
	assert_int_equal(fixture_map(&fx, 0x60000, 0x104000, 8 * K4, 0, RW, DS_MEM_CACHED), 0);
	assert_int_equal(snapshot(0, ~0ULL, 12 * K4, false), -E2BIG); /* each VA counted */
	assert_int_equal(snap.totals.needed, 24 * K4);

	use_seen = true;
	assert_int_equal(snapshot(0, ~0ULL, 12 * K4, false), 0);
	assert_int_equal(snap.totals.needed, 12 * K4);
	assert_int_equal(snap.totals.saved, 24 * K4);
	assert_int_equal(nsegs, 4);
	assert_seg(0, 0x10000, 0x100000, 8 * K4, DS_SAVED);
	assert_seg(1, 0x40000, 0x100000, 8 * K4, DS_SAVED);
	assert_seg(2, 0x60000, 0x104000, 4 * K4, DS_SAVED);
	assert_seg(3, 0x64000, 0x108000, 4 * K4, DS_SAVED);
	assert_int_equal(ds_dump_find_shared(segs, nsegs, index, NULL), 2);
	for (unsigned i = 0; i < nsegs; i++)
		held += segs[i].shared ? 0 : segs[i].size;
	assert_int_equal(held, 12 * K4);

	/* One page short: the aliases still fit, the last new page does not. */
	assert_int_equal(snapshot(0, ~0ULL, 11 * K4, false), -E2BIG);
	assert_int_equal(snap.totals.needed, 12 * K4);
	assert_int_equal(snapshot(0, ~0ULL, 11 * K4, true), 0);
	assert_int_equal(nsegs, 5);
	assert_seg(1, 0x40000, 0x100000, 8 * K4, DS_SAVED);
	assert_seg(3, 0x64000, 0x108000, 3 * K4, DS_SAVED);
	assert_seg(4, 0x67000, 0x10b000, K4, DS_SKIP_BUDGET);

	/* The set must be a power of two slots. */
	{
		struct ds_snapshot_config cfg = {
			.pt = &fx.pt, .va_first = 0, .va_last = ~0ULL, .budget = 12 * K4,
			.seen = seen, .seen_slots = 48, .classify = fake_classify,
			.add_segment = keep_segment,
		};

		assert_int_equal(ds_snapshot_run(&snap, &cfg), -EINVAL);
		assert_non_null(snap.error.what);
	}
}

/* The hang of issue 10: a range shorter than a page, or unaligned, is
 * rounded out to whole pages and reported. */
static void sub_page_and_unaligned_ranges_round_out(void **state)
{
	assert_int_equal(fixture_map(&fx, 0x10000, 0x100000, 8 * K4, 0, RW, DS_MEM_CACHED), 0);
	assert_int_equal(snapshot(0x11000, 0x11000, 0, false), 0); /* --va-range 0x11000+1 */
	assert_int_equal(snap.va_first, 0x11000);
	assert_int_equal(snap.va_last, 0x11fff);
	assert_int_equal(nsegs, 1);
	assert_seg(0, 0x11000, 0x101000, K4, DS_SAVED);

	assert_int_equal(snapshot(0x10800, 0x12fff, 0, false), 0); /* 0x10800-0x13000 */
	assert_int_equal(snap.va_first, 0x10000);
	assert_int_equal(nsegs, 1);
	assert_seg(0, 0x10000, 0x100000, 3 * K4, DS_SAVED);

	/* A driver's off-by-one: va_last = end instead of end - 1. */
	assert_int_equal(snapshot(0x10000, 0x12000, 0, false), 0);
	assert_int_equal(snap.va_last, 0x12fff);
	assert_seg(0, 0x10000, 0x100000, 3 * K4, DS_SAVED);

	/* Two bytes astride a page boundary: both pages. */
	assert_int_equal(snapshot(0x13fff, 0x14000, 0, false), 0);
	assert_int_equal(nsegs, 1);
	assert_seg(0, 0x13000, 0x103000, 2 * K4, DS_SAVED);
	assert_true(calls < 10);
}

/* A range starting inside a block: each segment's pte is the entry that
 * maps its first byte. */
static void segments_inside_blocks_carry_their_own_entry(void **state)
{
	uint64_t pte;

	assert_int_equal(fixture_map(&fx, 0x40000000, 0x800000, 2 * M2, 1, RW, DS_MEM_CACHED), 0);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	pte = fx.ranges[0].pte;
	add_class(0xa00000, 0xbfffff, DS_SKIP_HWPOISON); /* the second block */
	assert_int_equal(snapshot(0x401ff000, 0x40200fff, 0, false), 0);
	assert_int_equal(nsegs, 2);
	assert_seg(0, 0x401ff000, 0x9ff000, K4, DS_SAVED);
	assert_seg(1, 0x40200000, 0xa00000, K4, DS_SKIP_HWPOISON);
	assert_int_equal(segs[0].pte, pte);
	assert_int_equal(segs[1].pte, pte + M2);
	assert_int_equal(segs[1].page_shift, 21);
}

static void the_last_page_of_the_64_bit_space(void **state)
{
	uint64_t top = 0xfffffffffffff000ULL;

	assert_int_equal(fixture_map(&fx, top - K4, 0x300000, 2 * K4, 0, RW, DS_MEM_CACHED), 0);
	add_class(0x300000, 0x300fff, DS_SKIP_NOT_RAM);
	assert_int_equal(snapshot(0, ~0ULL, 0, false), 0);
	assert_int_equal(nsegs, 2);
	assert_seg(1, top, 0x301000, K4, DS_SAVED);
	assert_int_equal(segs[1].va + segs[1].size, 0);
	/* Unaligned, ending at 2^64. */
	assert_int_equal(snapshot(top + 0x800, ~0ULL, 0, false), 0);
	assert_int_equal(snap.va_first, top);
	assert_int_equal(snap.va_last, ~0ULL);
	assert_int_equal(nsegs, 1);
	assert_seg(0, top, 0x301000, K4, DS_SAVED);
	/* The very last byte. */
	assert_int_equal(snapshot(~0ULL, ~0ULL, 0, false), 0);
	assert_int_equal(nsegs, 1);
	assert_seg(0, top, 0x301000, K4, DS_SAVED);
}

static void empty_or_outside_ranges_are_refused(void **state)
{
	assert_int_equal(snapshot(0x2000, 0x1fff, 0, false), -EINVAL);
	assert_non_null(snap.error.what);
	assert_int_equal(snapshot(0x0000800000000000ULL, 0x0000800000000fffULL, 0, false), -EINVAL);
	assert_non_null(snap.error.what);
	assert_int_equal(nsegs, 0);
}

static void a_classify_that_lies_is_an_error_not_a_hang(void **state)
{
	assert_int_equal(fixture_map(&fx, 0x10000, 0x100000, 4 * K4, 0, RW, DS_MEM_CACHED), 0);
	lie = RUN_ZERO;
	assert_int_equal(snapshot(0, ~0ULL, 0, false), -EINVAL);
	assert_int_equal(calls, 1);
	assert_int_equal(snap.error.va, 0x10000);
	assert_non_null(snap.error.what);
	lie = BAD_REASON;
	assert_int_equal(snapshot(0, ~0ULL, 0, false), -EINVAL);
	assert_int_equal(calls, 1);
	assert_int_equal(nsegs, 0);
	/* A run past the request is cut to it: one segment, nothing wraps. */
	lie = RUN_HUGE;
	assert_int_equal(snapshot(0, ~0ULL, 0, false), 0);
	assert_int_equal(nsegs, 1);
	assert_seg(0, 0x10000, 0x100000, 4 * K4, DS_SAVED);
	assert_int_equal(snap.totals.mapped, 4 * K4);
}

static void a_failed_add_stops_the_snapshot(void **state)
{
	assert_int_equal(fixture_map(&fx, 0x10000, 0x100000, K4, 0, RW, DS_MEM_CACHED), 0);
	assert_int_equal(fixture_map(&fx, 0x20000, 0x200000, K4, 0, RW, DS_MEM_CACHED), 0);
	fail_add_after = 1;
	assert_int_equal(snapshot(0, ~0ULL, 0, false), -ENOMEM);
	assert_int_equal(nsegs, 1);
	assert_int_equal(snap.error.va, 0x20000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(ranges_split_where_the_class_changes),
		T(a_page_part_not_ram_is_skipped_whole),
		cmocka_unit_test_setup_teardown(device_memory_is_skipped_without_asking, setup_arm64,
						teardown),
		T(over_budget_fails_or_saves_what_fits),
		T(aliased_pages_cost_the_budget_once),
		T(sub_page_and_unaligned_ranges_round_out),
		T(segments_inside_blocks_carry_their_own_entry),
		T(the_last_page_of_the_64_bit_space),
		T(empty_or_outside_ranges_are_refused),
		T(a_classify_that_lies_is_an_error_not_a_hang),
		T(a_failed_add_stops_the_snapshot),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
