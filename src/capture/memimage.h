/* SPDX-License-Identifier: MIT */
/*
 * A physical-memory image held in process memory: page tables for the
 * built-in example, the tests and the benchmarks are built in one.
 */
#ifndef DS_MEMIMAGE_H
#define DS_MEMIMAGE_H

#include <stdint.h>
#include <stddef.h>

#include "build.h"

struct memimage {
	uint8_t *bytes;
	uint64_t base;      /* PA of bytes[0] */
	uint64_t size;
	uint64_t next_free; /* bump allocator for tables, from the top down */
};

/* 0 or -ENOMEM.  The image starts zeroed; tables are carved from its top. */
int memimage_init(struct memimage *m, uint64_t base, uint64_t size);
void memimage_free(struct memimage *m);

/* ds_read_phys_fn: -EFAULT outside the image. */
int memimage_read(void *opaque, uint64_t pa, void *buf, size_t len);
int memimage_write(void *opaque, uint64_t pa, const void *buf, size_t len);

extern const struct ds_build_ops memimage_build_ops;

#endif /* DS_MEMIMAGE_H */
