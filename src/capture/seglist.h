/* SPDX-License-Identifier: MIT */
/*
 * A capture's segment list.  The dump's program headers come before its
 * data, so every segment must be known before the first page is written:
 * the list grows with how fragmented the mappings are (48 bytes a merged
 * run; 1 GiB of scattered 4K pages is 12 MiB).  Past a few MiB it moves to
 * an unlinked file in a directory the caller names (the output's), mapped
 * shared, so the kernel can write it back instead of it pinning RAM.
 */
#ifndef DS_SEGLIST_H
#define DS_SEGLIST_H

#include <stddef.h>

#include "dump.h"

#define SEGLIST_IN_MEMORY (64u << 10) /* segments held in anonymous memory */

struct seglist {
	struct ds_segment *segs;
	size_t n, cap;
	int spill_dirfd;   /* where to spill, or -1: memory only */
	size_t in_memory;  /* segments to hold before spilling */
	int fd;            /* the spill file once there is one, else -1 */
};

/* dir: where to spill (NULL: never); in_memory: 0 for SEGLIST_IN_MEMORY. */
void seglist_init(struct seglist *l, const char *dir, size_t in_memory);

/* Appends a copy of seg: 0 or -ENOMEM / the spill file's -errno. */
int seglist_add(struct seglist *l, const struct ds_segment *seg);

void seglist_free(struct seglist *l);

#endif /* DS_SEGLIST_H */
