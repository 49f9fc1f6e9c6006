/* SPDX-License-Identifier: MIT */
/*
 * Writes page tables: maps VA to PA with attributes, in any format.  For
 * tests, benchmarks and the built-in example; drivers own their tables.
 */
#ifndef DS_BUILD_H
#define DS_BUILD_H

#include "pgtable.h"

struct ds_build_ops {
	/* A zeroed table of size bytes, aligned to size: 0 or -ENOMEM. */
	int (*alloc_table)(void *opaque, u64 size, u64 *pa);
	int (*write_phys)(void *opaque, u64 pa, const void *buf, size_t len);
};

/* Allocates the root tables of pt and stores them in pt->cfg.roots. */
int ds_build_roots(struct ds_pgtable *pt, const struct ds_build_ops *ops, void *opaque);

/*
 * Maps [va, va + size) to [pa, pa + size) with leaves at the given height
 * (0: base pages; 1: the next block size up...).  va, pa and size must be
 * multiples of that leaf size.  Reads go through pt's read_phys.
 * 0, -EINVAL (misaligned, outside the VA space, no leaf at that height),
 * -EEXIST (already mapped) or the callbacks' error.
 */
int ds_build_map(const struct ds_pgtable *pt, const struct ds_build_ops *ops, void *opaque,
		 u64 va, u64 pa, u64 size, unsigned int height,
		 const struct ds_attrs *attrs);

#endif /* DS_BUILD_H */
