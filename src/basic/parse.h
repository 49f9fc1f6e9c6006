/* SPDX-License-Identifier: MIT */
/* Command-line numbers: decimal or 0x hex, sizes with K/M/G/T suffixes. */
#ifndef DS_PARSE_H
#define DS_PARSE_H

#include <stdint.h>

/* 0, or -EINVAL for anything but a whole number, -ERANGE past 64 bits. */
int parse_u64(const char *s, uint64_t *out);

/* Like parse_u64, with an optional K, M, G or T (powers of 1024, "KiB" too). */
int parse_size(const char *s, uint64_t *out);

/*
 * An address range as its first and last address (inclusive), so that it
 * may end at the top of the 64-bit space: "START-END", END exclusive, where
 * END may be 2^64 (0x10000000000000000 or 18446744073709551616), or
 * "START+LEN", LEN a size, START + LEN at most 2^64.  0, or -EINVAL when s
 * is not of that form, -EDOM when the range is empty (END <= START, LEN 0),
 * -ERANGE when it passes 2^64.
 */
int parse_range_last(const char *s, uint64_t *first, uint64_t *last);

/* parse_range_last for the command-line option named option: a wrong range
 * is logged, saying what is wrong with it, and its error returned. */
int parse_range_option(const char *option, const char *arg, uint64_t *first, uint64_t *last);

#endif /* DS_PARSE_H */
