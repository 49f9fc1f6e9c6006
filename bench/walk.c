// SPDX-License-Identifier: MIT
/*
 * The range walk against libaddrxlat translating the same VAs one page at
 * a time, over x86-64 tables built in memory: 4M pages mapped as 4K, the
 * same 16 GiB as 2M blocks, 4096 pages scattered over a 48-bit space, and
 * one page alone in it.  Reported per mapped 4K page, best of five.  The
 * baseline is told which VAs are mapped; the walk finds them, so scattered
 * pages (a table each to scan) favour the baseline.
 */
#include <libkdumpfile/addrxlat.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "build.h"
#include "capture/memimage.h"
#include "pgtable.h"

#define PAGE 4096ULL
#define RUNS 5

struct bench_case {
	struct memimage mem;
	struct ds_pgtable pt;
	uint64_t *vas; /* every mapped 4K page, for the baseline */
	size_t npages;
};

static void die(const char *what)
{
	fprintf(stderr, "bench_walk: %s\n", what);
	exit(1);
}

static void case_init(struct bench_case *c, size_t npages)
{
	struct ds_pgtable_config cfg = {
		.format = ds_format_find("x86_64"), .nroots = 1,
		.read_phys = memimage_read, .opaque = &c->mem,
	};

	if (memimage_init(&c->mem, 0, 96 << 20) < 0 || ds_pgtable_init(&c->pt, &cfg, NULL) < 0 ||
	    ds_build_roots(&c->pt, &memimage_build_ops, &c->mem) < 0)
		die("cannot set up the table");
	c->vas = malloc(npages * sizeof(*c->vas));
	if (!c->vas)
		die("out of memory");
	c->npages = 0;
}

static void case_map(struct bench_case *c, uint64_t va, uint64_t pa, uint64_t size,
		     unsigned height)
{
	struct ds_attrs rw = { DS_PROT_PR | DS_PROT_PW, DS_MEM_CACHED };

	if (ds_build_map(&c->pt, &memimage_build_ops, &c->mem, va, pa, size, height, &rw) < 0)
		die("cannot map");
	for (uint64_t off = 0; off < size; off += PAGE)
		c->vas[c->npages++] = va + off;
}

static double time_devsnap(struct bench_case *c, uint64_t *checksum)
{
	double best = 1e9;

	for (int run = 0; run < RUNS; run++) {
		struct ds_walk w;
		struct ds_range r;
		uint64_t sum = 0;
		double t0 = bench_now();

		ds_walk_begin(&w, &c->pt, 0, ~0ULL);
		while (ds_walk_next(&w, &r) == 1)
			sum += r.pa + r.size;
		if (w.err)
			die("walk failed");
		t0 = bench_now() - t0;
		best = t0 < best ? t0 : best;
		*checksum = sum;
	}
	return best;
}

static void put_page(const addrxlat_buffer_t *buf)
{
}

static addrxlat_status get_page(const addrxlat_cb_t *cb, addrxlat_buffer_t *buf)
{
	struct memimage *m = cb->priv;
	uint64_t pa = buf->addr.addr;

	if (pa >= m->size)
		return ADDRXLAT_ERR_NODATA;
	buf->ptr = m->bytes + pa;
	buf->size = PAGE - (pa & (PAGE - 1));
	buf->byte_order = ADDRXLAT_HOST_ENDIAN;
	buf->put_page = put_page;
	return ADDRXLAT_OK;
}

static unsigned long read_caps(const addrxlat_cb_t *cb)
{
	return ADDRXLAT_CAPS(ADDRXLAT_MACHPHYSADDR);
}

static double time_addrxlat(struct bench_case *c, uint64_t *checksum)
{
	addrxlat_ctx_t *ctx = addrxlat_ctx_new();
	addrxlat_cb_t *cb = ctx ? addrxlat_ctx_add_cb(ctx) : NULL;
	addrxlat_meth_t meth = { .kind = ADDRXLAT_PGT, .target_as = ADDRXLAT_MACHPHYSADDR };
	double best = 1e9;

	if (!cb)
		die("addrxlat context");
	cb->priv = &c->mem;
	cb->get_page = get_page;
	cb->read_caps = read_caps;
	meth.param.pgt.root.addr = c->pt.cfg.roots[0];
	meth.param.pgt.root.as = ADDRXLAT_MACHPHYSADDR;
	meth.param.pgt.pf.pte_format = ADDRXLAT_PTE_X86_64;
	meth.param.pgt.pf.nfields = 5;
	memcpy(meth.param.pgt.pf.fieldsz, (unsigned short[]){ 12, 9, 9, 9, 9 }, 5 * sizeof(short));
	for (int run = 0; run < RUNS; run++) {
		uint64_t sum = 0;
		double t0 = bench_now();

		for (size_t i = 0; i < c->npages; i++) {
			/* addrxlat_walk launches itself from the VA in step.base. */
			addrxlat_step_t step = { .ctx = ctx, .meth = &meth, .base.addr = c->vas[i] };

			if (addrxlat_walk(&step) != ADDRXLAT_OK)
				die(addrxlat_ctx_get_err(ctx));
			sum += step.base.addr;
		}
		t0 = bench_now() - t0;
		best = t0 < best ? t0 : best;
		*checksum = sum;
	}
	addrxlat_ctx_decref(ctx);
	return best;
}

static void run_case(const char *name, struct bench_case *c)
{
	uint64_t sum_ds, sum_ax;
	double t_ds = time_devsnap(c, &sum_ds);
	double t_ax = time_addrxlat(c, &sum_ax);

	if (!sum_ds || !sum_ax)
		die("nothing was translated");

	bench_report(name, t_ds * 1e9 / c->npages, "ns/page", t_ax * 1e9 / c->npages, t_ds, t_ax);
	free(c->vas);
	memimage_free(&c->mem);
}

int main(void)
{
	struct bench_case c;

	case_init(&c, 4 << 20);
	case_map(&c, 0x100000000000ULL, 0x100000000ULL, (4ULL << 20) * PAGE, 0);
	run_case("walk_4k_pages", &c);

	case_init(&c, 4 << 20);
	case_map(&c, 0x100000000000ULL, 0x100000000ULL, (4ULL << 20) * PAGE, 1);
	run_case("walk_2m_blocks", &c);

	case_init(&c, 4096);
	srandom(1);
	for (int i = 0; i < 4096; i++) {
		uint64_t va = ((uint64_t)random() << 16 ^ random()) & 0x7ffffffff000ULL;
		struct ds_attrs ro = { DS_PROT_PR, DS_MEM_CACHED };

		if (ds_build_map(&c.pt, &memimage_build_ops, &c.mem, va, 0x1000ULL * i, PAGE, 0,
				 &ro) == 0)
			c.vas[c.npages++] = va;
	}
	run_case("walk_sparse_48bit", &c);

	/* The whole 48-bit space holding one page: microseconds, not a scan of the span. */
	case_init(&c, 1);
	case_map(&c, 0x7fffdead0000ULL, 0x1000, PAGE, 0);
	run_case("walk_one_page_48bit", &c);
	return 0;
}
