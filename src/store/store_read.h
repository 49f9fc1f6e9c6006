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

#include "store/store.h"

/* The most bytes one byte of a zstd frame can stand for: a 4-byte RLE
 * block (3-byte header, 1 byte) holds at most 128 KiB.  A .zst of N bytes
 * cannot hold more than N times this, whatever its metadata says. */
#define ZSTD_MAX_EXPANSION (128 * 1024 / 4)

/* A zstd stream read from fd, handed out in chunks. */
struct unzstd {
	int fd;
	const char *name; /* NAME, for messages */
	const char *suffix; /* after it in messages: ".zst", or "" */
	ZSTD_DStream *z;
	ZSTD_inBuffer in;
	void *ibuf, *obuf;
	size_t isize, osize;
	size_t hint; /* of the last call that made progress: 0 at a frame's end */
	bool eof;
};

int unzstd_init(struct unzstd *u, int fd, const char *name);

/* unzstd_init for a stream whose first n bytes (at most ZSTD_DStreamInSize())
 * were already read from fd into first; label names it in messages as is. */
int unzstd_open(struct unzstd *u, int fd, const char *label, const void *first, size_t n);
void unzstd_done(struct unzstd *u);

/* The next chunk of decompressed bytes: 1, or 0 at the end of the last
 * frame, or -errno; a file that ends inside a frame is -EBADMSG. */
int unzstd_next(struct unzstd *u, const void **out, size_t *n);

#endif /* DS_STORE_READ_H */
