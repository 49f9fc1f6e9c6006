/* SPDX-License-Identifier: MIT */
/*
 * One zstd stream reader for every verb: NAME.zst (a saved dump) or a
 * stream on a pipe, decompressed in chunks, never whole in memory, and
 * bounded by the size its metadata records: a stream that holds more (a
 * decompression bomb) is stopped at the first byte past that size, before
 * that byte is handed on.
 */
#ifndef DS_UNZSTD_H
#define DS_UNZSTD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zstd.h>

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

/* No bound: a stream whose size nothing records (a .zst on a pipe). */
#define UNZSTD_ANY_SIZE UINT64_MAX

/* Takes the next n decompressed bytes: 0 to go on, 1 once it has what it
 * needs (the rest is not decompressed), or -errno after its message. */
typedef int (*unzstd_sink)(void *ctx, const void *buf, size_t n);

/* u's bytes into sink: 0 when the stream held exactly size bytes (any
 * number with UNZSTD_ANY_SIZE); -EFBIG as soon as it holds more, -EBADMSG
 * when fewer or damaged, each with a message; 1 when sink stopped it; or
 * what sink returned. */
int unzstd_pipe(struct unzstd *u, uint64_t size, unzstd_sink sink, void *ctx);

/* unzstd_pipe of the stream on zfd, NAME.zst (name NAME for messages). */
int unzstd_bounded(int zfd, const char *name, uint64_t size, unzstd_sink sink, void *ctx);

#endif /* DS_UNZSTD_H */
