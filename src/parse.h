/* SPDX-License-Identifier: MIT */
/* Command-line numbers: decimal or 0x hex, sizes with K/M/G/T suffixes. */
#ifndef DS_PARSE_H
#define DS_PARSE_H

#include <stdint.h>

/* 0, or -EINVAL for anything but a whole number, -ERANGE past 64 bits. */
int parse_u64(const char *s, uint64_t *out);

/* Like parse_u64, with an optional K, M, G or T (powers of 1024, "KiB" too). */
int parse_size(const char *s, uint64_t *out);

/* "START-END" (END exclusive) or "START+LEN"; -EINVAL if END <= START. */
int parse_range(const char *s, uint64_t *start, uint64_t *end);

#endif /* DS_PARSE_H */
