// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * devsnap_coredump(): describe, snapshot, copy, hand over.
 *
 * The walk (lib/snapshot.c) only sorts what the tables map into segments,
 * saved or skipped and why; then every page the copy needs is allocated,
 * so that a failure is known before anything is copied and leaves nothing
 * behind; then the copy, the saved segments back to back in those pages.
 * devcoredump reads the ELF file through lib/dump_write.c piece by piece,
 * from the copy: it is never assembled.  Single pages, not vmalloc: they
 * need no vmalloc space and can be had without reclaim (GFP_NOWAIT).
 */
#include <linux/devcoredump.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/vmstat.h>

#include "devsnap.h"
#include "devsnap_ram.h"
#include "lib/snapshot.h"

#define COPY_STEP (2UL << 20) /* bytes copied between cond_resched() */

static_assert(DEVSNAP_MAX_ROOTS == DS_MAX_ROOTS);

/* Everything one dump owns, freed together when devcoredump lets it go. */
struct devsnap_dump {
	struct ds_pgtable pt;
	struct ds_dump_info info; /* device, driver, reason: our copies */
	struct ds_dump_writer writer;
	struct ds_segment *segs;
	size_t nsegs, segs_cap;
	u64 *data_off;       /* per segment: where its bytes start in the copy */
	struct page **pages; /* the copy of every saved segment, in order */
	size_t npages;       /* allocated so far */
	u64 saved;           /* bytes in the copy */
	struct ds_blob *blobs;
	size_t nblobs;
	gfp_t gfp;
};

static void dump_free(struct devsnap_dump *d)
{
	size_t i;

	for (i = 0; i < d->nblobs; i++) {
		kfree(d->blobs[i].name);
		kvfree(d->blobs[i].data);
	}
	kfree(d->blobs);
	kfree(d->info.device);
	kfree(d->info.driver);
	kfree(d->info.reason);
	for (i = 0; i < d->npages; i++)
		__free_page(d->pages[i]);
	kvfree(d->pages);
	kvfree(d->data_off);
	kvfree(d->segs);
	kfree(d);
}

static int copy_blobs(struct devsnap_dump *d, struct device *dev,
		      const struct devsnap_request *req)
{
	unsigned int i;

	if (!req->nblobs)
		return 0;
	d->blobs = kcalloc(req->nblobs, sizeof(*d->blobs), d->gfp);
	if (!d->blobs) {
		dev_err(dev, "devsnap: out of memory for %u blobs\n", req->nblobs);
		return -ENOMEM;
	}
	for (i = 0; i < req->nblobs; i++) {
		const struct devsnap_blob *b = &req->blobs[i];
		void *data = kvmalloc(b->size ?: 1, d->gfp);

		d->blobs[i].name = kstrdup(b->name, d->gfp);
		d->blobs[i].data = data;
		d->nblobs++;
		if (!data || !d->blobs[i].name) {
			dev_err(dev, "devsnap: out of memory for blob \"%s\" (%zu bytes)\n",
				b->name, b->size);
			return -ENOMEM;
		}
		memcpy(data, b->data, b->size);
		d->blobs[i].size = b->size;
	}
	return 0;
}

/* The tables as lib reads them, the names the dump carries, the blobs. */
static int describe(struct devsnap_dump *d, struct device *dev,
		    const struct devsnap_request *req)
{
	struct ds_pgtable_config cfg = {
		.format = req->format ? ds_format_find(req->format) : NULL,
		.nroots = req->nroots,
		.va_bits = req->va_bits,
		.upper_half = req->upper_half,
		.read_phys = devsnap_ram_read,
	};
	struct ds_error err = {};
	int ret;

	if (!cfg.format) {
		dev_err(dev, "devsnap: unknown page-table format \"%s\"\n", req->format);
		return -EINVAL;
	}
	if (req->nroots > DEVSNAP_MAX_ROOTS) {
		dev_err(dev, "devsnap: %u roots, at most %d\n", req->nroots, DEVSNAP_MAX_ROOTS);
		return -EINVAL;
	}
	memcpy(cfg.roots, req->roots, req->nroots * sizeof(cfg.roots[0]));
	ret = ds_pgtable_init(&d->pt, &cfg, &err);
	if (ret) {
		dev_err(dev, "devsnap: %s page tables: %s\n", req->format, err.what);
		return ret;
	}
	d->info = (struct ds_dump_info){
		.device = kstrdup(dev_name(dev), d->gfp),
		.driver = kstrdup(dev_driver_string(dev), d->gfp),
		.reason = kstrdup(req->reason ?: "", d->gfp),
		.pt = &d->pt,
		.time_ns = ktime_get_real_ns(),
		.e_machine = req->e_machine,
	};
	if (!d->info.device || !d->info.driver || !d->info.reason) {
		dev_err(dev, "devsnap: out of memory for the dump's names\n");
		return -ENOMEM;
	}
	return copy_blobs(d, dev, req);
}

static int add_segment(void *opaque, const struct ds_segment *seg)
{
	struct devsnap_dump *d = opaque;

	if (d->nsegs == d->segs_cap) {
		size_t cap = d->segs_cap ? 2 * d->segs_cap : 64;
		struct ds_segment *more = kvmalloc_array(cap, sizeof(*more), d->gfp);

		if (!more)
			return -ENOMEM;
		if (d->nsegs)
			memcpy(more, d->segs, d->nsegs * sizeof(*more));
		kvfree(d->segs);
		d->segs = more;
		d->segs_cap = cap;
	}
	d->segs[d->nsegs++] = *seg;
	return 0;
}

static void snapshot_error(struct device *dev, const struct devsnap_dump *d,
			   const struct ds_snapshot *s, int ret)
{
	const struct ds_error *e = &s->error;

	if (ret == -E2BIG && !s->walk.err)
		dev_err(dev, "devsnap: the mapped RAM needs %llu bytes, over the budget of %llu\n",
			s->totals.needed, s->cfg.budget);
	else if (ret == -ENOMEM)
		dev_err(dev, "devsnap: out of memory for the segment list (%zu segments)\n",
			d->nsegs);
	else
		dev_err(dev, "devsnap: %s (VA %#llx, PA %#llx): %d\n", e->what ?: "walk failed",
			e->va, e->pa, ret);
}

/* Sorts what the tables map into segments; nothing is copied yet. */
static int snapshot(struct devsnap_dump *d, struct device *dev,
		    const struct devsnap_request *req)
{
	struct ds_snapshot_config cfg = {
		.pt = &d->pt,
		.va_first = req->va_first,
		.va_last = req->va_first || req->va_last ? req->va_last : ~0ULL,
		.budget = req->budget,
		.partial = req->partial,
		.classify = devsnap_ram_classify,
		.add_segment = add_segment,
		.opaque = d,
	};
	/* It holds a struct ds_walk: too big for a kernel stack. */
	struct ds_snapshot *s = kvmalloc(sizeof(*s), d->gfp);
	int ret;

	if (!s) {
		dev_err(dev, "devsnap: out of memory for the walk\n");
		return -ENOMEM;
	}
	ret = ds_snapshot_run(s, &cfg);
	if (ret)
		snapshot_error(dev, d, s, ret);
	d->saved = s->totals.saved;
	kvfree(s);
	return ret;
}

/*
 * What the allocator can give without taking the last of it: free pages
 * where the caller forbids reclaim, what reclaim can make available where
 * it allows it.  Asking for more would only drain the system to fail.
 */
static unsigned long pages_to_spare(gfp_t gfp)
{
	return gfpflags_allow_blocking(gfp) ? si_mem_available()
					    : global_zone_page_state(NR_FREE_PAGES);
}

/* Every page of the copy, before anything is copied. */
static int alloc_copy(struct devsnap_dump *d, struct device *dev)
{
	u64 want = DIV_ROUND_UP_ULL(d->saved, PAGE_SIZE);
	unsigned long spare = pages_to_spare(d->gfp);

	d->data_off = kvmalloc_array(d->nsegs ?: 1, sizeof(*d->data_off), d->gfp);
	if (want < spare)
		d->pages = kvmalloc_array(want ?: 1, sizeof(*d->pages), d->gfp);
	while (d->pages && d->npages < want) {
		d->pages[d->npages] = alloc_page(d->gfp);
		if (!d->pages[d->npages])
			break;
		d->npages++;
	}
	if (!d->data_off || !d->pages || d->npages < want) {
		dev_err(dev, "devsnap: cannot allocate %llu bytes for the copy of the mapped RAM "
			"(%lu pages to spare)\n", d->saved, spare);
		return -ENOMEM;
	}
	return 0;
}

/* Between pa (the device's memory) and off (in the copy), n bytes within
 * one page of the copy. */
static int copy_in(struct devsnap_dump *d, u64 off, u64 pa, size_t n)
{
	void *to = kmap_local_page(d->pages[off >> PAGE_SHIFT]);
	int ret = devsnap_ram_read(NULL, pa, to + offset_in_page(off), n);

	kunmap_local(to);
	return ret;
}

/* Rescheduling now and then: a 1G block is one segment. */
static int copy_segment(struct devsnap_dump *d, u64 off, const struct ds_segment *seg)
{
	u64 done, n, since_resched = 0;
	int ret;

	for (done = 0; done < seg->size; done += n) {
		n = min_t(u64, seg->size - done, PAGE_SIZE - offset_in_page(off + done));
		ret = copy_in(d, off + done, seg->pa + done, n);
		if (ret)
			return ret;
		since_resched += n;
		if (since_resched >= COPY_STEP) {
			cond_resched();
			since_resched = 0;
		}
	}
	return 0;
}

static int copy_saved(struct devsnap_dump *d, struct device *dev)
{
	u64 off = 0;
	size_t i;
	int ret = alloc_copy(d, dev);

	if (ret)
		return ret;
	for (i = 0; i < d->nsegs; i++) {
		struct ds_segment *seg = &d->segs[i];

		if (seg->skip != DS_SAVED)
			continue;
		d->data_off[i] = off;
		/* The page may have changed state since it was classified. */
		if (copy_segment(d, off, seg))
			seg->skip = DS_SKIP_READ_ERROR;
		off += seg->size;
	}
	return 0;
}

static int read_saved(void *opaque, const struct ds_segment *seg, uint64_t off, void *buf,
		      size_t len)
{
	const struct devsnap_dump *d = opaque;
	u64 at = d->data_off[seg - d->segs] + off;
	char *to = buf;

	while (len) {
		size_t n = min_t(size_t, len, PAGE_SIZE - offset_in_page(at));

		memcpy_from_page(to, d->pages[at >> PAGE_SHIFT], offset_in_page(at), n);
		to += n;
		at += n;
		len -= n;
	}
	return 0;
}

static int layout(struct devsnap_dump *d, struct device *dev)
{
	int ret;

	d->writer = (struct ds_dump_writer){
		.info = &d->info,
		.segs = d->segs,
		.nsegs = d->nsegs,
		.blobs = d->blobs,
		.nblobs = d->nblobs,
		.read_data = read_saved,
		.opaque = d,
	};
	ret = ds_dump_layout(&d->writer);
	if (ret)
		dev_err(dev, "devsnap: cannot lay out the dump of %zu segments: %d\n", d->nsegs,
			ret);
	return ret;
}

static ssize_t devcd_read(char *buffer, loff_t offset, size_t count, void *data, size_t datalen)
{
	struct devsnap_dump *d = data;

	return ds_dump_read(&d->writer, offset, buffer, count);
}

static void devcd_free(void *data)
{
	dump_free(data);
}

/* Never the OOM killer for a crash dump: fail, and say so ourselves. */
static gfp_t dump_gfp(const struct devsnap_request *req)
{
	return (req->gfp ?: GFP_NOWAIT) | __GFP_RETRY_MAYFAIL | __GFP_NOWARN;
}

int devsnap_coredump(struct device *dev, const struct devsnap_request *req)
{
	struct devsnap_dump *d = kzalloc(sizeof(*d), dump_gfp(req));
	int ret;

	if (!d) {
		dev_err(dev, "devsnap: out of memory for a dump\n");
		return -ENOMEM;
	}
	d->gfp = dump_gfp(req);
	ret = describe(d, dev, req);
	if (!ret)
		ret = snapshot(d, dev, req);
	if (!ret)
		ret = copy_saved(d, dev);
	if (!ret)
		ret = layout(d, dev);
	if (ret) {
		dump_free(d);
		return ret;
	}
	dev_info(dev, "devsnap: %zu segments, %llu bytes copied, a %llu-byte dump\n", d->nsegs,
		 d->saved, d->writer.size);
	/* devcoredump owns d from here, and frees it through devcd_free. */
	dev_coredumpm(dev, THIS_MODULE, d, d->writer.size, d->gfp, devcd_read, devcd_free);
	return 0;
}
EXPORT_SYMBOL_GPL(devsnap_coredump);

/* Lets the module unload; devcoredump holds it while a dump is pending. */
static void __exit devsnap_exit(void)
{
}
module_exit(devsnap_exit);

MODULE_DESCRIPTION("devsnap: device MMU snapshots at crash time, as devcoredumps");
MODULE_LICENSE("Dual MIT/GPL");
