/* SPDX-License-Identifier: MIT */
/*
 * The metadata kept beside a saved devcoredump (store.h's NAME.json): when
 * and where it came from, its sizes, the machine, and for the ELF cores
 * devsnap reads (its own and Asahi's) a summary from their notes, so that
 * `devsnap list` and `show` need not decompress the dump.
 */
#ifndef DS_DUMP_META_H
#define DS_DUMP_META_H

#include <stddef.h>
#include <stdint.h>

#include "collect/devcd.h"

struct json_object;

/* head holds the dump's first head_len bytes (its ELF headers and notes,
 * when it has them); NULL when out of memory. */
struct json_object *dump_meta_new(const struct devcd *d, uint64_t size, uint64_t compressed,
				  const uint8_t *head, size_t head_len);

#endif /* DS_DUMP_META_H */
