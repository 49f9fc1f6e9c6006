/* SPDX-License-Identifier: MIT */
/* Sizes and times the way people read them. */
#ifndef DS_UNITS_H
#define DS_UNITS_H

#include <stdbool.h>
#include <stdint.h>

#define BYTES_BUF 24
#define TIME_BUF 40

/* --bytes: format_bytes writes exact numbers, one field for scripts. */
extern bool format_bytes_exact;

/* "12.5 MiB", "512 B"; "13107200" with format_bytes_exact. */
const char *format_bytes(uint64_t bytes, char buf[BYTES_BUF]);

/* "2026-11-25 10:04:31.123456 UTC"; "unknown" for 0. */
const char *format_time_ns(uint64_t ns, char buf[TIME_BUF]);

/* "2026-11-25T10:04:31.123456Z", ISO 8601 in UTC. */
const char *format_time_iso(uint64_t ns, char buf[TIME_BUF]);

/* The word for n things: one for 1, many otherwise ("1 segment", "2 segments"). */
const char *plural(uint64_t n, const char *one, const char *many);

#endif /* DS_UNITS_H */
