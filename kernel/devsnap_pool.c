// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The pool: everything a snapshot needs, reserved while sleeping is still
 * allowed (the driver's probe), so that the crash path allocates nothing.
 * It is reference counted: a dump devcoredump still holds keeps it alive
 * after the driver destroyed it (unbind while a dump is pending).
 */
#define dev_fmt(fmt) "devsnap: " fmt

#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/vmstat.h>

#include "devsnap_pool.h"

/* Segments beyond one per page of the budget: the skipped ones. */
#define DEVSNAP_EXTRA_SEGMENTS 1024

static void pool_free(struct kref *ref)
{
	struct devsnap_pool *pool = container_of(ref, struct devsnap_pool, ref);
	u64 i;

	for (i = 0; i < pool->npages; i++)
		__free_page(pool->pages[i]);
	kvfree(pool->pages);
	kvfree(pool->segs);
	kvfree(pool->data_off);
	kvfree(pool->index);
	kvfree(pool->seen);
	vfree(pool->blob_area);
	kvfree(pool->snap);
	kfree(pool->device_name);
	kfree(pool->driver_name);
	put_device(pool->dev);
	kfree(pool);
}

void devsnap_pool_get(struct devsnap_pool *pool)
{
	kref_get(&pool->ref);
}

void devsnap_pool_put(struct devsnap_pool *pool)
{
	kref_put(&pool->ref, pool_free);
}

/* Asking for more than reclaim can make available would only drain the system to fail. */
static int reserve_pages(struct devsnap_pool *pool, u64 budget, gfp_t gfp)
{
	u64 want = DIV_ROUND_UP_ULL(budget, PAGE_SIZE);
	unsigned long spare = si_mem_available();

	if (want >= spare) {
		dev_err(pool->dev, "a pool of %llu bytes is more than the %lu pages available\n",
			budget, spare);
		return -ENOMEM;
	}
	pool->pages = kvcalloc(want, sizeof(*pool->pages), GFP_KERNEL);
	if (!pool->pages)
		goto nomem;
	for (; pool->npages < want; pool->npages++) {
		pool->pages[pool->npages] = alloc_page(gfp | __GFP_NOWARN);
		if (!pool->pages[pool->npages])
			goto nomem;
	}
	return 0;
nomem:
	dev_err(pool->dev, "cannot allocate a pool of %llu bytes (%llu pages had)\n",
		budget, pool->npages);
	return -ENOMEM;
}

static int reserve_tables(struct devsnap_pool *pool, size_t blob_bytes)
{
	pool->max_segs = min_t(u64, pool->npages + DEVSNAP_EXTRA_SEGMENTS, U32_MAX);
	pool->segs = kvcalloc(pool->max_segs, sizeof(*pool->segs), GFP_KERNEL);
	pool->data_off = kvcalloc(pool->max_segs, sizeof(*pool->data_off), GFP_KERNEL);
	pool->index = kvcalloc(pool->max_segs, sizeof(*pool->index), GFP_KERNEL);
	/* For the smallest format page (4K): larger ones need fewer slots. */
	pool->seen_slots = ds_seen_slots(pool->npages << PAGE_SHIFT, SZ_4K);
	pool->seen = kvcalloc(pool->seen_slots, sizeof(*pool->seen), GFP_KERNEL);
	pool->snap = kvzalloc(sizeof(*pool->snap), GFP_KERNEL);
	pool->blob_bytes = blob_bytes;
	if (blob_bytes)
		pool->blob_area = vmalloc(blob_bytes);
	pool->device_name = kstrdup(dev_name(pool->dev), GFP_KERNEL);
	pool->driver_name = kstrdup(dev_driver_string(pool->dev), GFP_KERNEL);
	if (!pool->segs || !pool->data_off || !pool->index || !pool->seen || !pool->snap ||
	    (blob_bytes && !pool->blob_area) || !pool->device_name || !pool->driver_name) {
		dev_err(pool->dev, "out of memory for the pool's tables (%u segments)\n",
			pool->max_segs);
		return -ENOMEM;
	}
	return 0;
}

/**
 * devsnap_pool_create() - reserve the memory of one dump of a device
 * @dev: the device whose crashes will be dumped
 * @budget: bytes of device memory a dump may copy
 * @blob_bytes: bytes of driver blobs (firmware log, registers) a dump may keep
 * @gfp: flags for the pages of the copy: GFP_KERNEL, or GFP_HIGHUSER when
 *       highmem will do
 *
 * Reserves @budget bytes in single pages, the segment list (one entry per
 * page of the budget and 1024 more for what is skipped) with the dump
 * layout's index of as many entries, the set of pages saved (16 bytes per
 * slot, two to four slots per 4K page of @budget), and @blob_bytes for blobs.  Never
 * more than the system has available, never through the OOM killer.
 *
 * Context: process context; sleeps.  Call it at probe, not at crash time.
 *
 * Return: the pool, or an ERR_PTR(): -ENOMEM with a line in the kernel log.
 */
struct devsnap_pool *devsnap_pool_create(struct device *dev, u64 budget, size_t blob_bytes,
					 gfp_t gfp)
{
	struct devsnap_pool *pool;
	int ret;

	might_sleep();
	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return ERR_PTR(-ENOMEM);
	kref_init(&pool->ref);
	pool->dev = get_device(dev);
	atomic_set(&pool->state, DEVSNAP_IDLE);
	INIT_WORK(&pool->deliver, devsnap_deliver_work);
	ret = reserve_pages(pool, budget, gfp | __GFP_RETRY_MAYFAIL);
	if (!ret)
		ret = reserve_tables(pool, blob_bytes);
	if (ret) {
		devsnap_pool_put(pool);
		return ERR_PTR(ret);
	}
	dev_dbg(dev, "a pool of %llu bytes, %u segments, %zu blob bytes\n", budget,
		pool->max_segs, blob_bytes);
	return pool;
}
EXPORT_SYMBOL_GPL(devsnap_pool_create);

/**
 * devsnap_pool_destroy() - give a pool back
 * @pool: from devsnap_pool_create(); NULL or an error pointer is ignored
 *
 * A captured dump is delivered first.  A dump devcoredump still holds keeps
 * the pool's memory until userspace releases it or devcoredump's timeout.
 *
 * Context: process context; sleeps.  Not under the driver's VM lock, and
 * not while a devsnap_snapshot() of the pool may still run.
 */
void devsnap_pool_destroy(struct devsnap_pool *pool)
{
	might_sleep();
	if (IS_ERR_OR_NULL(pool))
		return;
	flush_work(&pool->deliver);
	devsnap_pool_put(pool);
}
EXPORT_SYMBOL_GPL(devsnap_pool_destroy);

/**
 * devsnap_flush() - wait for the last snapshot's delivery
 * @pool: the pool devsnap_snapshot() filled
 *
 * Context: process context; sleeps.  Not under the driver's VM lock.
 *
 * Return: 0 when devcoredump took the dump (or none was captured),
 * -EBUSY when it dropped it because a dump of the device was still pending,
 * or the errno of another failure to register it; each is in the kernel log.
 */
int devsnap_flush(struct devsnap_pool *pool)
{
	might_sleep();
	flush_work(&pool->deliver);
	return READ_ONCE(pool->delivered);
}
EXPORT_SYMBOL_GPL(devsnap_flush);

/* Lets the module unload; devcoredump holds it while a dump is pending. */
static void __exit devsnap_exit(void)
{
}
module_exit(devsnap_exit);

MODULE_DESCRIPTION("device MMU snapshots at crash time, as devcoredumps");
MODULE_LICENSE("Dual MIT/GPL");
MODULE_VERSION("0.1.0");
