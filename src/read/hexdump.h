/* SPDX-License-Identifier: MIT */
/* Bytes in hex, sixteen a line with their addresses, repeats squeezed into
 * '*' as hexdump(1) does: what `devsnap hexdump` and `devsnap blob
 * --hexdump` print. */
#ifndef DS_HEXDUMP_H
#define DS_HEXDUMP_H

#include <stdbool.h>
#include <stdint.h>

/* n bytes whose first is at address base, to standard output; all: no
 * squeezing (-v).  0 or -EIO. */
int hexdump_buffer(const uint8_t *bytes, uint64_t n, uint64_t base, bool all);

#endif /* DS_HEXDUMP_H */
