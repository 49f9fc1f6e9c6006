// SPDX-License-Identifier: MIT
/*
 * The walker and the snapshot over arbitrary table memory.  The header
 * chooses the format, VA width, half, roots, the VA range (whole, as
 * given, short, or at the top of the space: unaligned and upper-half
 * bounds included), the budget and a classify that may lie; the rest is
 * physical memory from PA 0.  Any input must end in ranges or a clean
 * error, within the table bound, and what comes out must keep the
 * promises of lib/pgtable.h and lib/snapshot.h: anything else traps.
 *
 * Header: format, va_bits, flags (bit 0 upper half, bit 1 classify lies,
 * bits 4-7 class granule), nroots, roots (4 x 2 bytes, LE, in 8-byte
 * units), mair (2), range mode, budget (bits 0-6 pages, bit 7 partial),
 * then two 8-byte LE numbers the range is made from.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "snapshot.h"

#define HEADER 32
#define MAX_CLASSIFY 20000 /* then everything is RAM: a run stays short */

#define CHECK(cond)                                                                           \
	do {                                                                                  \
		if (!(cond))                                                                  \
			__builtin_trap();                                                     \
	} while (0)

struct fuzz_mem {
	const uint8_t *bytes;
	size_t size;
};

struct fuzz_snap {
	uint64_t first, last; /* the range walked */
	uint64_t page;
	uint64_t prev_last;
	bool any;
	unsigned granule_shift;
	unsigned lie_at; /* classify call that lies; 0: none */
	unsigned calls;
	bool lied;
};

static int fuzz_read(void *opaque, uint64_t pa, void *buf, size_t len)
{
	const struct fuzz_mem *m = opaque;

	if (pa > m->size || len > m->size - pa)
		return -EFAULT;
	memcpy(buf, m->bytes + pa, len);
	return 0;
}

static unsigned count_formats(void)
{
	unsigned n = 0;

	while (ds_format_at(n))
		n++;
	return n;
}

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* [first, last] from the header: the whole space, the two numbers as they
 * are, a short range from the first, or a short range ending near 2^64. */
static void choose_range(const uint8_t *h, uint64_t *first, uint64_t *last)
{
	uint64_t a = le64(h + 16), b = le64(h + 24);

	switch (h[14] % 4) {
	case 0:
		*first = 0, *last = ~0ULL;
		break;
	case 1:
		*first = a, *last = b;
		break;
	case 2:
		*first = a;
		*last = a + (b & 0xffff) < a ? ~0ULL : a + (b & 0xffff);
		break;
	default:
		*last = ~0ULL - (b & 0xfff);
		*first = *last - (a & 0xffffff) > *last ? 0 : *last - (a & 0xffffff);
		break;
	}
}

/* Ranges are non-empty, do not wrap, lie inside [first, last] and come
 * strictly in VA order. */
static void walk_range(const uint8_t *h, const struct ds_pgtable *pt)
{
	uint64_t first, last, prev_last = 0;
	struct ds_walk w;
	struct ds_range r;
	bool any = false;
	int ret;

	choose_range(h, &first, &last);
	ret = ds_walk_begin(&w, pt, first, last);
	if (ret < 0) {
		CHECK(ret == -EINVAL && w.error.what);
		return;
	}
	while ((ret = ds_walk_next(&w, &r)) == 1) {
		CHECK(r.size && r.va + (r.size - 1) >= r.va);
		CHECK(r.va >= first && r.va + (r.size - 1) <= last);
		CHECK(!any || r.va > prev_last);
		prev_last = r.va + (r.size - 1);
		any = true;
	}
	CHECK(ret == 0 || (ret < 0 && w.error.what));
}

/* Classes change every 2^granule_shift bytes of PA; one call may lie. */
static int fuzz_classify(void *opaque, uint64_t pa, uint64_t size, enum ds_skip_reason *reason,
			 uint64_t *run_len)
{
	struct fuzz_snap *f = opaque;
	uint64_t granule = 1ULL << f->granule_shift;

	f->calls++;
	if (f->calls == f->lie_at) {
		f->lied = true;
		*reason = f->calls & 1 ? DS_SAVED : (enum ds_skip_reason)(DS_SKIP_REASON_COUNT + 3);
		*run_len = f->calls & 1 ? 0 : granule;
		return 0;
	}
	if (f->calls > MAX_CLASSIFY) {
		*reason = DS_SAVED;
		*run_len = ~0ULL;
		return 0;
	}
	*reason = (enum ds_skip_reason)((pa >> f->granule_shift) * 0x9e3779b97f4a7c15ULL >> 61);
	if (*reason == DS_SKIP_DEVICE || *reason == DS_SKIP_BUDGET || *reason >= DS_SKIP_REASON_COUNT)
		*reason = DS_SAVED;
	*run_len = granule - (pa & (granule - 1));
	return 0;
}

/* Segments: whole pages, inside the rounded range, strictly in VA order. */
static int fuzz_add(void *opaque, const struct ds_segment *seg)
{
	struct fuzz_snap *f = opaque;

	CHECK(seg->size && !((seg->va | seg->size) & (f->page - 1)));
	CHECK(seg->va + (seg->size - 1) >= seg->va);
	CHECK(seg->va >= f->first && seg->va + (seg->size - 1) <= f->last);
	CHECK(!f->any || seg->va > f->prev_last);
	CHECK(seg->skip < DS_SKIP_REASON_COUNT);
	f->prev_last = seg->va + (seg->size - 1);
	f->any = true;
	return 0;
}

static void snapshot_range(const uint8_t *h, const struct ds_pgtable *pt)
{
	static struct ds_snapshot s; /* large */
	struct fuzz_snap f = {
		.page = 1ULL << pt->fmt->page_shift,
		.granule_shift = 10 + (h[2] >> 4) * 3,
		.lie_at = h[2] & 2 ? 1 + h[15] % 8 : 0,
	};
	struct ds_snapshot_config cfg = {
		.pt = pt, .budget = (h[15] & 0x7f) * f.page, .partial = h[15] & 0x80,
		.classify = fuzz_classify, .add_segment = fuzz_add, .opaque = &f,
	};
	uint64_t accounted;
	int ret;

	choose_range(h, &cfg.va_first, &cfg.va_last);
	f.first = cfg.va_first & ~(f.page - 1);
	f.last = cfg.va_last | (f.page - 1);
	ret = ds_snapshot_run(&s, &cfg);
	CHECK(s.va_first == f.first && s.va_last == f.last);
	if (ret < 0) {
		CHECK(s.error.what);
		CHECK(!f.lied || ret == -EINVAL);
		return;
	}
	CHECK(!f.lied);
	accounted = s.totals.saved;
	for (unsigned i = 0; i < DS_SKIP_REASON_COUNT; i++)
		accounted += s.totals.skipped[i];
	CHECK(accounted == s.totals.mapped);
	CHECK(!cfg.budget || s.totals.saved <= cfg.budget);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_mem mem = { data + HEADER, size - HEADER };
	struct ds_pgtable_config cfg = { 0 };
	struct ds_pgtable pt;
	const struct ds_format *f;

	if (size < HEADER)
		return 0;
	f = ds_format_at(data[0] % count_formats());
	cfg.format = f;
	cfg.va_bits = f->min_va_bits + data[1] % (f->max_va_bits - f->min_va_bits + 1);
	cfg.upper_half = (data[2] & 1) && (f->flags & DS_FMT_UPPER_HALF);
	cfg.nroots = 1 + data[3] % f->max_roots;
	for (unsigned i = 0; i < cfg.nroots; i++) /* roots inside the image, mostly */
		cfg.roots[i] = (uint64_t)(data[4 + 2 * i] | data[5 + 2 * i] << 8) << 3;
	cfg.mair = (uint64_t)data[12] << 8 | data[13];
	cfg.max_tables = 64;
	cfg.read_phys = fuzz_read;
	cfg.opaque = &mem;
	if (ds_pgtable_init(&pt, &cfg, NULL) < 0)
		return 0;
	walk_range(data, &pt);
	snapshot_range(data, &pt);
	return 0;
}
