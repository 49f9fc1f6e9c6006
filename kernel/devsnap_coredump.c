// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Delivery: the pool's copy as an ELF file, handed to devcoredump by a
 * worker, since dev_coredumpm() registers a device and sends a uevent,
 * both of which allocate with GFP_KERNEL.  devcoredump reads the file
 * through lib/dump_write.c piece by piece from the copy: it is never
 * assembled.
 */
#define dev_fmt(fmt) "devsnap: " fmt

#include <linux/delay.h>
#include <linux/devcoredump.h>
#include <linux/highmem.h>
#include <linux/kernfs.h>
#include <linux/minmax.h>
#include <linux/module.h>

#include "devsnap_pool.h"

static int read_saved(void *opaque, const struct ds_segment *seg, u64 off, void *buf, size_t len)
{
	const struct devsnap_pool *pool = opaque;
	u64 at = pool->data_off[seg - pool->segs] + off;
	char *to = buf;

	while (len) {
		size_t n = min_t(size_t, len, PAGE_SIZE - offset_in_page(at));

		memcpy_from_page(to, pool->pages[at >> PAGE_SHIFT], offset_in_page(at), n);
		to += n;
		at += n;
		len -= n;
	}
	return 0;
}

int devsnap_layout(struct devsnap_pool *pool)
{
	int ret;

	pool->writer = (struct ds_dump_writer){
		.info = &pool->info,
		.segs = pool->segs,
		.nsegs = pool->nsegs,
		.blobs = pool->blobs,
		.nblobs = pool->nblobs,
		.read_data = read_saved,
		.opaque = pool,
		.index = pool->index,
		.index_cap = pool->max_segs,
	};
	ret = ds_dump_layout(&pool->writer);
	if (ret)
		dev_err(pool->dev, "cannot lay out the dump of %u segments: %d\n",
			pool->nsegs, ret);
	return ret;
}

static ssize_t devcd_read(char *buffer, loff_t offset, size_t count, void *data, size_t datalen)
{
	struct devsnap_pool *pool = data;

	return ds_dump_read(&pool->writer, offset, buffer, count);
}

/* devcoredump is done with the dump, or never took it: the pool is free again. */
static void devcd_free(void *data)
{
	struct devsnap_pool *pool = data;

	if (READ_ONCE(pool->delivering))
		WRITE_ONCE(pool->dropped, true);
	atomic_set(&pool->state, DEVSNAP_IDLE);
	devsnap_pool_put(pool);
}

/* devcoredump keeps one dump per device and silently frees any other. */
static bool dump_pending(struct device *dev)
{
	struct kernfs_node *link = kernfs_find_and_get(dev->kobj.sd, "devcoredump");

	kernfs_put(link);
	return link;
}

/*
 * devcoredump forgets a released dump when it deletes its device, but
 * removes the failing device's link to it only later, when the last
 * reference goes: a crash right after a release can still see the link.
 * Wait that moment out (the worker may sleep); a dump still pending keeps
 * its link for minutes and is reported after DEVCD_LINK_WAIT_MS.
 */
#define DEVCD_LINK_WAIT_MS 1000
#define DEVCD_LINK_POLL_MS 10

static bool dump_still_pending(struct device *dev)
{
	unsigned int waited;

	for (waited = 0; dump_pending(dev); waited += DEVCD_LINK_POLL_MS) {
		if (waited >= DEVCD_LINK_WAIT_MS)
			return true;
		msleep(DEVCD_LINK_POLL_MS);
	}
	return false;
}

void devsnap_deliver_work(struct work_struct *work)
{
	struct devsnap_pool *pool = container_of(work, struct devsnap_pool, deliver);

	if (dump_still_pending(pool->dev)) {
		dev_warn(pool->dev, "a dump of this device is still pending: this one (%s) is dropped\n",
			 pool->reason);
		WRITE_ONCE(pool->delivered, -EBUSY);
		atomic_set(&pool->state, DEVSNAP_IDLE);
		devsnap_pool_put(pool);
		return;
	}
	WRITE_ONCE(pool->dropped, false);
	WRITE_ONCE(pool->delivering, true);
	atomic_set(&pool->state, DEVSNAP_PENDING);
	/* devcoredump owns the worker's reference from here: devcd_free drops it. */
	dev_coredumpm(pool->dev, THIS_MODULE, pool, pool->writer.size, GFP_KERNEL, devcd_read,
		      devcd_free);
	WRITE_ONCE(pool->delivering, false);
	if (READ_ONCE(pool->dropped)) {
		dev_warn(pool->dev, "devcoredump did not take the dump (%s)\n", pool->reason);
		WRITE_ONCE(pool->delivered, -EBUSY);
		return;
	}
	WRITE_ONCE(pool->delivered, 0);
	dev_dbg(pool->dev, "a %llu-byte dump handed to devcoredump\n", pool->writer.size);
}
