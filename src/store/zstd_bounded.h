/* SPDX-License-Identifier: MIT */
/*
 * A saved dump decompressed to exactly the size its metadata records: a
 * .zst that holds more (a decompression bomb) is stopped at the first
 * byte past that size, before that byte is handed on.
 */
#ifndef DS_ZSTD_BOUNDED_H
#define DS_ZSTD_BOUNDED_H

#include <stddef.h>
#include <stdint.h>

/* Takes the next n decompressed bytes: 0, or -errno after its message. */
typedef int (*unzstd_sink)(void *ctx, const void *buf, size_t n);

/* Decompresses the zstd stream on zfd (NAME.zst, name NAME for messages)
 * into sink: 0 when it held exactly size bytes; -EFBIG as soon as it
 * holds more, -EBADMSG when fewer or damaged, each with a message; or
 * what sink returned. */
int unzstd_bounded(int zfd, const char *name, uint64_t size, unzstd_sink sink, void *ctx);

#endif /* DS_ZSTD_BOUNDED_H */
