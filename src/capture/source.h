/* SPDX-License-Identifier: MIT */
/*
 * Physical-memory sources a device's tables are walked in and its pages
 * read from: a raw image, /proc/kcore, a vmcore, or an image in process
 * memory.  Each says which physical bytes are RAM that may be read.
 */
#ifndef DS_SOURCE_H
#define DS_SOURCE_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/memimage.h"
#include "snapshot.h"

struct source {
	const char *name; /* for messages: the path, or "the built-in example" */
	ds_read_phys_fn read_phys; /* -EFAULT for bytes the source does not hold */
	ds_classify_fn classify;
	void (*close)(void *priv);
	void *priv;
};

struct kcore_paths {
	const char *kcore;      /* NULL: /proc/kcore */
	const char *iomem;      /* NULL: /proc/iomem */
	const char *kpageflags; /* NULL: /proc/kpageflags, skipped if unreadable */
};

/* Each opener prints one line saying what went wrong and returns -errno. */
int source_open_raw(struct source *src, const char *path, uint64_t base);
int source_open_kcore(struct source *src, const struct kcore_paths *paths);
int source_open_vmcore(struct source *src, const char *path);
/* The image stays the caller's. */
void source_open_memimage(struct source *src, struct memimage *m);

void source_close(struct source *src);

#endif /* DS_SOURCE_H */
