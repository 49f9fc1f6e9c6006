/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Which physical pages may be read at crash time, and reading them. */
#ifndef DEVSNAP_RAM_H
#define DEVSNAP_RAM_H

#include <linux/mm_types.h>

#include "lib/dump.h"

/* DS_SAVED and the page when pfn is RAM that may be read, else why not. */
enum ds_skip_reason devsnap_ram_page(unsigned long pfn, struct page **page);

/* The same for a pfn known to be System RAM: its page's state only. */
enum ds_skip_reason devsnap_ram_state(unsigned long pfn, struct page **page);

/* lib's ds_classify_fn: runs of pages that are RAM to copy, or why not. */
int devsnap_ram_classify(void *opaque, u64 pa, u64 size, enum ds_skip_reason *reason,
			 u64 *run_len);

/* lib's ds_read_phys_fn, for the tables: -EFAULT for what is not RAM to read. */
int devsnap_ram_read(void *opaque, u64 pa, void *buf, size_t len);

#endif /* DEVSNAP_RAM_H */
