// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The copy, one segment at a time as lib/snapshot.c hands them over, into
 * the pool's pages back to back.  A page that machine-checks during the
 * copy is what the RAM check would have called hwpoison, had it known: its
 * format page is cut out of the segment and recorded as such, the rest is
 * kept.  A page that is no longer RAM to read fails the snapshot.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/uaccess.h>

#include "devsnap_pool.h"
#include "devsnap_ram.h"

/* Appends [off, off + len) of seg, saved or skipped, to the pool's list. */
static int keep_piece(struct devsnap_pool *pool, const struct ds_segment *seg, u64 off, u64 len,
		      enum ds_skip_reason skip)
{
	u64 leaf_mask = ~((1ULL << seg->page_shift) - 1);
	u64 leaf_delta = ((seg->va + off) & leaf_mask) - (seg->va & leaf_mask);
	struct ds_segment *piece;

	if (pool->nsegs == pool->max_segs) {
		pool->copy_error = "more segments than the pool holds";
		pool->copy_error_pa = seg->pa + off;
		return -ENOSPC;
	}
	piece = &pool->segs[pool->nsegs];
	*piece = *seg;
	piece->va = seg->va + off;
	piece->pa = seg->pa + off;
	piece->size = len;
	piece->pte = seg->pte + (leaf_delta >> pool->pt.fmt->oa_shift);
	piece->skip = skip;
	if (skip == DS_SAVED) {
		pool->data_off[pool->nsegs] = pool->used;
		pool->used += len;
	}
	pool->nsegs++;
	return 0;
}

/* One kernel page at pa into the pool's page at byte to. */
static int copy_page_in(struct devsnap_pool *pool, u64 to, u64 pa)
{
	enum ds_skip_reason state;
	struct page *page;
	unsigned long left;
	void *dst, *src;

	/* Classified as System RAM a moment ago: only its state can have changed. */
	state = devsnap_ram_state(PHYS_PFN(pa), &page);
	if (state == DS_SKIP_HWPOISON)
		return -EHWPOISON;
	if (state != DS_SAVED) {
		pool->copy_error = "a page left RAM during the copy";
		pool->copy_error_pa = pa;
		return -EIO;
	}
	dst = kmap_local_page(pool->pages[to >> PAGE_SHIFT]);
	src = kmap_local_page(page);
	left = copy_mc_to_kernel(dst, src, PAGE_SIZE);
	kunmap_local(src);
	kunmap_local(dst);
	return left ? -EHWPOISON : 0;
}

/* One page of the format (4K to 64K) at pa into the pool at byte to. */
static int copy_format_page(struct devsnap_pool *pool, u64 to, u64 pa)
{
	u64 done;
	int ret;

	for (done = 0; done < devsnap_format_page(pool); done += PAGE_SIZE) {
		ret = copy_page_in(pool, to + done, pa + done);
		if (ret)
			return ret;
	}
	return 0;
}

int devsnap_copy_segment(void *opaque, const struct ds_segment *seg)
{
	struct devsnap_pool *pool = opaque;
	u64 fpage = devsnap_format_page(pool), start = 0, off;
	int ret;

	if (seg->skip != DS_SAVED)
		return keep_piece(pool, seg, 0, seg->size, seg->skip);
	/* The copy and the ELF file hold whole pages: lib/ hands over nothing else. */
	if ((seg->pa | seg->size) & (fpage - 1)) {
		pool->copy_error = "a segment not in whole pages";
		pool->copy_error_pa = seg->pa;
		return -EINVAL;
	}
	if (seg->size > (pool->npages << PAGE_SHIFT) - pool->used) {
		pool->copy_error = "the copy outgrew the pool";
		pool->copy_error_pa = seg->pa;
		return -ENOSPC;
	}
	for (off = 0; off < seg->size; off += fpage) {
		ret = copy_format_page(pool, pool->used + off - start, seg->pa + off);
		if (ret != -EHWPOISON) {
			if (ret)
				return ret;
			continue;
		}
		if (off > start) {
			ret = keep_piece(pool, seg, start, off - start, DS_SAVED);
			if (ret)
				return ret;
		}
		ret = keep_piece(pool, seg, off, fpage, DS_SKIP_HWPOISON);
		if (ret)
			return ret;
		start = off + fpage;
	}
	return start < seg->size ? keep_piece(pool, seg, start, seg->size - start, DS_SAVED) : 0;
}
