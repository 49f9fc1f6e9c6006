/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* A driver's reserve for one dump, and the state of that dump. */
#ifndef DEVSNAP_POOL_H
#define DEVSNAP_POOL_H

#include <linux/atomic.h>
#include <linux/kref.h>
#include <linux/mm_types.h>
#include <linux/workqueue.h>

#include "devsnap.h"
#include "lib/snapshot.h"

/* Where a pool's one dump is; only the owner of a state moves it on. */
enum devsnap_pool_state {
	DEVSNAP_IDLE,       /* free for a snapshot */
	DEVSNAP_CAPTURING,  /* devsnap_snapshot() is filling it */
	DEVSNAP_QUEUED,     /* captured; the worker will hand it to devcoredump */
	DEVSNAP_PENDING,    /* devcoredump holds it until userspace releases it */
};

struct devsnap_pool {
	struct kref ref;          /* the driver's, and the pending dump's */
	struct device *dev;       /* held for the pool's life */
	atomic_t state;           /* enum devsnap_pool_state */
	struct work_struct deliver;
	int delivered;            /* 0, or why the last dump was not delivered */
	bool delivering;          /* in dev_coredumpm(): a free now is a drop */
	bool dropped;

	/* Reserved at creation, used by every snapshot. */
	struct page **pages;      /* the copy of the saved RAM */
	u64 npages;
	u64 used;                 /* bytes of the copy filled */
	struct ds_segment *segs;
	u64 *data_off;            /* per segment: where its bytes are in the copy */
	struct ds_share_entry *index; /* the layout's, max_segs entries: aliases share bytes */
	struct ds_seen_page *seen; /* pages saved so far: an alias costs the budget nothing */
	u64 seen_slots;
	u32 nsegs, max_segs;
	void *blob_area;
	size_t blob_bytes;
	struct ds_blob blobs[DEVSNAP_MAX_BLOBS];
	char blob_names[DEVSNAP_MAX_BLOBS][DEVSNAP_BLOB_NAME_MAX];
	u32 nblobs;
	char reason[DEVSNAP_REASON_MAX];
	const char *device_name, *driver_name;
	struct ds_snapshot *snap; /* holds a struct ds_walk: too big for a stack */
	struct ds_pgtable pt;
	struct ds_dump_info info;
	struct ds_dump_writer writer;
	const char *copy_error;   /* why the copy failed, for the log line */
	u64 copy_error_pa;
};

/* Page size of the format being captured. */
static inline u64 devsnap_format_page(const struct devsnap_pool *pool)
{
	return 1ULL << pool->pt.fmt->page_shift;
}

void devsnap_pool_get(struct devsnap_pool *pool);
void devsnap_pool_put(struct devsnap_pool *pool);

/* devsnap_coredump.c: the ELF file of the pool's copy, and its delivery. */
int devsnap_layout(struct devsnap_pool *pool);
void devsnap_deliver_work(struct work_struct *work);

/* A saved segment's data_off until its bytes are in the pool. */
#define DEVSNAP_NOT_COPIED U64_MAX

/*
 * devsnap_copy.c: lib's ds_add_segment_fn, listing segments in the pool; then
 * the layout, and the copy of the segments holding bytes, each PA range once.
 */
int devsnap_add_segment(void *opaque, const struct ds_segment *seg);
int devsnap_copy_holders(struct devsnap_pool *pool);

#endif /* DEVSNAP_POOL_H */
