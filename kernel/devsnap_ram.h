/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Which physical pages may be read at crash time, and reading them. */
#ifndef DEVSNAP_RAM_H
#define DEVSNAP_RAM_H

#include "lib/dump.h"

/* lib's ds_classify_fn: runs of pages that are RAM to copy, or why not. */
int devsnap_ram_classify(void *opaque, uint64_t pa, uint64_t size, enum ds_skip_reason *reason,
			 uint64_t *run_len);

/* lib's ds_read_phys_fn: copies RAM to copy; -EFAULT for anything else. */
int devsnap_ram_read(void *opaque, uint64_t pa, void *buf, size_t len);

#endif /* DEVSNAP_RAM_H */
