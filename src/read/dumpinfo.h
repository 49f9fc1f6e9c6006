/* SPDX-License-Identifier: MIT */
/* What `devsnap info` and `devsnap maps` print, shared with `show` and `demo`. */
#ifndef DS_DUMPINFO_H
#define DS_DUMPINFO_H

#include <stdbool.h>

#include "read/dumpview.h"

struct dump_totals {
	uint64_t segments, saved_segments;
	uint64_t mapped, saved;
	uint64_t skipped[DS_SKIP_REASON_COUNT + 1]; /* [DS_SKIP_REASON_COUNT]: no reason given */
};

void dump_totals(const struct dumpview *v, struct dump_totals *t);

/* What sharing pages saved (docs/dump-format.md): page data in the file,
 * and the saved segments whose bytes lie inside another's. */
struct dump_sharing {
	uint64_t in_file;
	uint64_t aliases;
};

/* The summary: producer, device, format, time, totals, notes; as an
 * aligned list or, with json, one JSON object.  0 or -errno. */
int dump_info_print(const struct dumpview *v, bool json);

/* What info --json prints, as an object the caller owns. */
struct json_object *dump_info_json(const struct dumpview *v);

/* One row per segment in VA order: VA, PA, size, permissions, PTE bits,
 * saved or why not; or, with json, a JSON array.  0 or -errno. */
int dump_maps_print(const struct dumpview *v, bool json);

#endif /* DS_DUMPINFO_H */
