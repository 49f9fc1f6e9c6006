/* SPDX-License-Identifier: MIT */
/*
 * Reading a saved dump back: NAME.zst decompressed as a stream, never
 * whole in memory, and checked against the size its metadata records.
 */
#ifndef DS_STORE_READ_H
#define DS_STORE_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <zstd.h>

#include "store.h"

/* A zstd stream read from fd, handed out in chunks. */
struct unzstd {
	int fd;
	const char *name; /* NAME, for messages */
	ZSTD_DStream *z;
	ZSTD_inBuffer in;
	void *ibuf, *obuf;
	size_t isize, osize;
	size_t hint; /* of the last call that made progress: 0 at a frame's end */
	bool eof;
};

int unzstd_init(struct unzstd *u, int fd, const char *name);
void unzstd_done(struct unzstd *u);

/* The next chunk of decompressed bytes: 1, or 0 at the end of the last
 * frame, or -errno; a file that ends inside a frame is -EBADMSG. */
int unzstd_next(struct unzstd *u, const void **out, size_t *n);

/* e's original bytes in an unnamed memory file, sparse where they are
 * zero, for mmap: an fd, or -errno. */
int store_dump_memfd(struct store *s, const struct store_entry *e);

/* The store dump an ID names, in a memory file as above: readers take
 * store IDs wherever they take a file.  The store is $DEVSNAP_STORE, or
 * STORE_DEFAULT_DIR.  An fd; -ENOENT without a message when there is no
 * store or no such entry, so the caller can say what it looked for. */
int store_id_memfd(const char *id);

#endif /* DS_STORE_READ_H */
