// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The copy: lib/snapshot.c hands the segments over, the dump's layout
 * finds which hold bytes (an alias of a saved PA range holds none), and
 * those are copied into the pool's pages back to back.  A page that
 * machine-checks during the copy is what the RAM check would have called
 * hwpoison, had it known: its format page is cut out of the segment and
 * recorded as such, the rest is kept.  A page that is no longer RAM to read
 * fails the snapshot.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/uaccess.h>

#include "devsnap_pool.h"
#include "devsnap_ram.h"

/* Slot i of the pool's list: [off, off + len) of seg, saved or skipped. */
static void set_piece(struct devsnap_pool *pool, u32 i, const struct ds_segment *seg, u64 off,
		      u64 len, enum ds_skip_reason skip)
{
	u64 leaf_mask = ~((1ULL << seg->page_shift) - 1);
	u64 leaf_delta = ((seg->va + off) & leaf_mask) - (seg->va & leaf_mask);
	struct ds_segment *piece = &pool->segs[i];

	*piece = *seg;
	piece->va = seg->va + off;
	piece->pa = seg->pa + off;
	piece->size = len;
	piece->pte = seg->pte + (leaf_delta >> pool->pt.fmt->oa_shift);
	piece->skip = skip;
	/*
	 * An alias's piece holds no bytes of its own until the next layout
	 * says again what it shares: ds_dump_layout() counts the skipped
	 * before it finds the aliases.
	 */
	piece->shared = 0;
	pool->data_off[i] = DEVSNAP_NOT_COPIED;
}

static int no_room(struct devsnap_pool *pool, u64 pa)
{
	pool->copy_error = "more segments than the pool holds";
	pool->copy_error_pa = pa;
	return -ENOSPC;
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

/* Listed only: the layout says which segments hold bytes before any is copied. */
int devsnap_add_segment(void *opaque, const struct ds_segment *seg)
{
	struct devsnap_pool *pool = opaque;

	/* The copy and the ELF file hold whole pages: lib/ hands over nothing else. */
	if (seg->skip == DS_SAVED && (seg->pa | seg->size) & (devsnap_format_page(pool) - 1)) {
		pool->copy_error = "a segment not in whole pages";
		pool->copy_error_pa = seg->pa;
		return -EINVAL;
	}
	if (pool->nsegs == pool->max_segs)
		return no_room(pool, seg->pa);
	set_piece(pool, pool->nsegs++, seg, 0, seg->size, seg->skip);
	return 0;
}

/*
 * Whether segment i is cut where the format page at pa failed while cur
 * was copied: cur itself, whose bytes before it are in the pool, and every
 * segment still to copy that maps it, an alias of it in particular.
 */
static bool maps_failed_page(const struct devsnap_pool *pool, u32 i, u32 cur, u64 pa)
{
	const struct ds_segment *seg = &pool->segs[i];

	return seg->skip == DS_SAVED && pa - seg->pa < seg->size &&
	       (i == cur || pool->data_off[i] == DEVSNAP_NOT_COPIED);
}

/* How many pieces cutting out the format page at off leaves of seg. */
static u32 pieces(const struct ds_segment *seg, u64 off, u64 fpage)
{
	return (off > 0) + 1 + (off + fpage < seg->size);
}

/*
 * The format page at pa machine-checked while segment cur was copied: in
 * every segment maps_failed_page() names, it becomes a hwpoison piece
 * between what comes before it (cur's part copied, data_off kept) and the
 * rest, to copy after a new layout.  One pass from the end, in place: a
 * page mapped at many VAs costs one more layout, not one per VA.  The list
 * stays sorted by VA.
 */
static int cut_poisoned(struct devsnap_pool *pool, u32 cur, u64 pa)
{
	u64 fpage = devsnap_format_page(pool);
	u32 i, extra = 0, to;

	for (i = 0; i < pool->nsegs; i++)
		if (maps_failed_page(pool, i, cur, pa))
			extra += pieces(&pool->segs[i], pa - pool->segs[i].pa, fpage) - 1;
	if (pool->max_segs - pool->nsegs < extra)
		return no_room(pool, pa);
	to = pool->nsegs + extra;
	for (i = pool->nsegs; i-- > 0;) {
		struct ds_segment seg = pool->segs[i];
		u64 copied_at = pool->data_off[i], off = pa - seg.pa;

		if (!maps_failed_page(pool, i, cur, pa)) {
			pool->segs[--to] = seg;
			pool->data_off[to] = copied_at;
			continue;
		}
		if (off + fpage < seg.size)
			set_piece(pool, --to, &seg, off + fpage, seg.size - off - fpage, DS_SAVED);
		set_piece(pool, --to, &seg, off, fpage, DS_SKIP_HWPOISON);
		if (off) {
			set_piece(pool, --to, &seg, 0, off, DS_SAVED);
			pool->data_off[to] = copied_at;
		}
	}
	pool->nsegs += extra;
	return 0;
}

/* Segment i's bytes at the end of the copy; -EAGAIN when a page was cut out. */
static int copy_holder(struct devsnap_pool *pool, u32 i)
{
	const struct ds_segment *seg = &pool->segs[i];
	u64 fpage = devsnap_format_page(pool), off;
	int ret;

	if (seg->size > (pool->npages << PAGE_SHIFT) - pool->used) {
		pool->copy_error = "the copy outgrew the pool";
		pool->copy_error_pa = seg->pa;
		return -ENOSPC;
	}
	pool->data_off[i] = pool->used;
	for (off = 0; off < seg->size; off += fpage) {
		ret = copy_format_page(pool, pool->used + off, seg->pa + off);
		if (ret == -EHWPOISON) {
			pool->used += off;
			return cut_poisoned(pool, i, seg->pa + off) ?: -EAGAIN;
		}
		if (ret)
			return ret;
	}
	pool->used += seg->size;
	return 0;
}

/*
 * Lays the dump out, then copies the segments holding bytes, in file order:
 * a segment whose PA range another saved one holds costs no copy and no
 * pool page.  A page cut out as hwpoison changes the list: laid out again,
 * what is copied stays, what now holds bytes is copied.  Each round cuts
 * one physical page out of every segment still to copy, so the rounds end,
 * at most one per page that fails.
 */
int devsnap_copy_holders(struct devsnap_pool *pool)
{
	u32 h;
	int ret;

	do {
		ret = devsnap_layout(pool);
		for (h = 0; !ret && h < pool->writer.nholders; h++) {
			u32 i = pool->index[h].seg;

			if (pool->data_off[i] == DEVSNAP_NOT_COPIED)
				ret = copy_holder(pool, i);
		}
	} while (ret == -EAGAIN);
	return ret;
}
