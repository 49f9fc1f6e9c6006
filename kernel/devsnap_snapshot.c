// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * devsnap_snapshot(): the crash-time half.  lib/snapshot.c walks the
 * tables and sorts what they map into segments; the dump is laid out and
 * each physical range saved is copied into the pool once, all under the
 * driver's VM lock, so the walk and the copy see the same moment.  Nothing
 * here sleeps or allocates: the pool holds everything, and the delivery is
 * queued for a worker.
 */
#define dev_fmt(fmt) "devsnap: " fmt

#include <linux/hardirq.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>

#include "devsnap_pool.h"
#include "devsnap_ram.h"
#include "lib/formats/formats.h"

static_assert(DEVSNAP_MAX_ROOTS == DS_MAX_ROOTS);

static const struct ds_format *const formats[] = {
	[DEVSNAP_FMT_X86_64] = &ds_format_x86_64,
	[DEVSNAP_FMT_X86_64_5L] = &ds_format_x86_64_5l,
	[DEVSNAP_FMT_ARM64_4K] = &ds_format_arm64_4k,
	[DEVSNAP_FMT_ARM64_16K] = &ds_format_arm64_16k,
	[DEVSNAP_FMT_ARM64_64K] = &ds_format_arm64_64k,
	[DEVSNAP_FMT_APPLE_UAT] = &ds_format_apple_uat,
	[DEVSNAP_FMT_MALI] = &ds_format_mali,
	[DEVSNAP_FMT_RISCV_SV39] = &ds_format_riscv_sv39,
	[DEVSNAP_FMT_RISCV_SV48] = &ds_format_riscv_sv48,
	[DEVSNAP_FMT_RISCV_SV57] = &ds_format_riscv_sv57,
	[DEVSNAP_FMT_DART] = &ds_format_dart,
	[DEVSNAP_FMT_DART2] = &ds_format_dart2,
	[DEVSNAP_FMT_DART_4K] = &ds_format_dart_4k,
	[DEVSNAP_FMT_VTD] = &ds_format_vtd,
	[DEVSNAP_FMT_AMD_V1] = &ds_format_amd_v1,
	[DEVSNAP_FMT_ARM64_S2_4K] = &ds_format_arm64_s2_4k,
	[DEVSNAP_FMT_ARM64_S2_16K] = &ds_format_arm64_s2_16k,
	[DEVSNAP_FMT_ARM64_S2_64K] = &ds_format_arm64_s2_64k,
};

static int describe_tables(struct devsnap_pool *pool, const struct devsnap_request *req)
{
	struct ds_pgtable_config cfg = {
		.nroots = req->nroots,
		.va_bits = req->va_bits,
		.levels = req->levels,
		.upper_half = req->upper_half,
		.mair = req->mair,
		.read_phys = devsnap_ram_read,
	};
	struct ds_error err = {};
	int ret;

	if (req->format < ARRAY_SIZE(formats))
		cfg.format = formats[req->format];
	if (!cfg.format) {
		dev_err(pool->dev, "unknown page-table format %d\n", req->format);
		return -EINVAL;
	}
	if (req->nroots > DEVSNAP_MAX_ROOTS) {
		dev_err(pool->dev, "%u roots, at most %d\n", req->nroots, DEVSNAP_MAX_ROOTS);
		return -EINVAL;
	}
	memcpy(cfg.roots, req->roots, req->nroots * sizeof(cfg.roots[0]));
	ret = ds_pgtable_init(&pool->pt, &cfg, &err);
	if (ret)
		dev_err(pool->dev, "%s page tables: %s\n", cfg.format->name, err.what);
	return ret;
}

/* The driver's blobs, copied into the pool's blob area. */
static int keep_blobs(struct devsnap_pool *pool, const struct devsnap_request *req)
{
	size_t used = 0;
	u32 i;

	if (req->nblobs > DEVSNAP_MAX_BLOBS) {
		dev_err(pool->dev, "%u blobs, at most %d\n", req->nblobs, DEVSNAP_MAX_BLOBS);
		return -EINVAL;
	}
	for (i = 0; i < req->nblobs; i++) {
		const struct devsnap_blob *b = &req->blobs[i];

		if (b->size > pool->blob_bytes - used) {
			dev_err(pool->dev, "blob \"%s\" (%zu bytes) does not fit: the pool keeps %zu blob bytes\n",
				b->name, b->size, pool->blob_bytes);
			return -ENOSPC;
		}
		if (strscpy(pool->blob_names[i], b->name, DEVSNAP_BLOB_NAME_MAX) < 0) {
			dev_err(pool->dev, "blob name \"%s\" is longer than %d bytes\n",
				b->name, DEVSNAP_BLOB_NAME_MAX - 1);
			return -EINVAL;
		}
		memcpy(pool->blob_area + used, b->data, b->size);
		pool->blobs[i] = (struct ds_blob){
			.name = pool->blob_names[i],
			.data = pool->blob_area + used,
			.size = b->size,
		};
		used += b->size;
	}
	pool->nblobs = req->nblobs;
	return 0;
}

static int describe(struct devsnap_pool *pool, const struct devsnap_request *req)
{
	int ret = describe_tables(pool, req);

	if (ret)
		return ret;
	strscpy(pool->reason, req->reason ?: "", sizeof(pool->reason));
	pool->info = (struct ds_dump_info){
		.device = pool->device_name,
		.driver = pool->driver_name,
		.reason = pool->reason,
		.pt = &pool->pt,
		.time_ns = ktime_get_real_ns(),
		.e_machine = req->e_machine,
	};
	return keep_blobs(pool, req);
}

static void walk_error(struct devsnap_pool *pool, u64 budget, bool pool_bound, int ret)
{
	const struct ds_snapshot *s = pool->snap;
	const struct ds_error *e = &s->error;

	if (pool->copy_error)
		dev_err(pool->dev, "%s (PA %#llx)\n", pool->copy_error, pool->copy_error_pa);
	else if (ret == -E2BIG && !s->walk.err)
		dev_err(pool->dev, "the mapped RAM needs %llu bytes, over %s of %llu\n",
			s->totals.needed, pool_bound ? "the pool" : "the budget", budget);
	else
		dev_err(pool->dev, "%s (VA %#llx, PA %#llx): %d\n",
			e->what ?: "walk failed", e->va, e->pa, ret);
}

/* Walks the request's range, copying what is saved; 0 or a logged errno. */
static int walk_and_copy(struct devsnap_pool *pool, const struct devsnap_request *req)
{
	u64 pool_bytes = pool->npages << PAGE_SHIFT;
	bool pool_bound = !req->budget || req->budget > pool_bytes;
	struct ds_snapshot_config cfg = {
		.pt = &pool->pt,
		.va_first = req->va_first,
		.va_last = req->va_first || req->va_last ? req->va_last : ~0ULL,
		.budget = pool_bound ? pool_bytes : req->budget,
		.partial = req->partial,
		.seen = pool->seen,
		.seen_slots = pool->seen_slots,
		.classify = devsnap_ram_classify,
		.add_segment = devsnap_add_segment,
		.opaque = pool,
	};
	int ret;

	pool->nsegs = 0;
	pool->used = 0;
	pool->copy_error = NULL;
	/* lib/ reads a budget of 0 as no limit. */
	if (!cfg.budget) {
		dev_err(pool->dev, "the pool holds no pages\n");
		return -ENOSPC;
	}
	memset(pool->seen, 0, pool->seen_slots * sizeof(*pool->seen));
	ret = ds_snapshot_run(pool->snap, &cfg);
	if (!ret) {
		ret = devsnap_copy_holders(pool);
		if (ret && pool->copy_error)
			dev_err(pool->dev, "%s (PA %#llx)\n", pool->copy_error,
				pool->copy_error_pa);
		return ret;
	}
	walk_error(pool, cfg.budget, pool_bound, ret);
	return ret == -E2BIG && pool_bound ? -ENOSPC : ret;
}

/**
 * devsnap_snapshot() - copy what a device's MMU maps, for a devcoredump
 * @pool: the device's pool, from devsnap_pool_create()
 * @req: its page tables and what to keep; only read during the call
 *
 * Walks the tables and copies into @pool every page they map that is System
 * RAM, online and not hwpoisoned; MMIO is never read.  What is not copied is
 * recorded with its reason.  The pages are copied with copy_mc_to_kernel():
 * a page that machine-checks is recorded as hwpoison, not read.  A page that
 * leaves RAM between its check and its copy fails the snapshot with -EIO,
 * as a failed read fails a capture in the devsnap CLI.  Then devsnap's
 * worker hands the dump to devcoredump, which owns it until userspace
 * releases it; devsnap_flush() waits for that.
 *
 * Context: any context that may spin: process context, preemption or
 * interrupts disabled, spinlocks held, a dma-fence signalling section.  Not
 * hard or soft interrupt context or NMI (the RAM check takes resource_lock,
 * which is not interrupt safe).  Never sleeps, never allocates; its time
 * grows with the bytes copied, at most the pool's budget.  The driver holds
 * off every update of the tables and their pages meanwhile (@req->vm_lock).
 *
 * Return: 0, or a negative errno with a line in the kernel log and nothing
 * delivered: -EBUSY when the pool's previous dump is still pending (a second
 * crash), -ENOSPC when the pool is too small (partial keeps what fits),
 * -E2BIG over @req->budget without partial, -EIO when a page left RAM during
 * the copy, -EINVAL for a bad request or a call from interrupt context,
 * -ELOOP and others for tables the walker refuses.
 */
int devsnap_snapshot(struct devsnap_pool *pool, const struct devsnap_request *req)
{
	int ret;

	if (in_hardirq() || in_serving_softirq() || in_nmi()) {
		dev_err(pool->dev, "snapshot from interrupt context refused\n");
		return -EINVAL;
	}
	if (req->vm_lock)
		lockdep_assert(lock_is_held(req->vm_lock));
	if (atomic_cmpxchg(&pool->state, DEVSNAP_IDLE, DEVSNAP_CAPTURING) != DEVSNAP_IDLE) {
		dev_warn_ratelimited(pool->dev,
				     "crashed again while its last dump is pending: not captured\n");
		return -EBUSY;
	}
	ret = describe(pool, req);
	if (!ret)
		ret = walk_and_copy(pool, req);
	if (ret) {
		atomic_set(&pool->state, DEVSNAP_IDLE);
		return ret;
	}
	dev_dbg(pool->dev, "%u segments, %llu bytes copied, a %llu-byte dump\n",
		pool->nsegs, pool->used, pool->writer.size);
	/* The worker's reference, handed to devcoredump with the dump. */
	devsnap_pool_get(pool);
	atomic_set(&pool->state, DEVSNAP_QUEUED);
	queue_work(system_unbound_wq, &pool->deliver);
	return 0;
}
EXPORT_SYMBOL_GPL(devsnap_snapshot);
