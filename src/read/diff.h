/* SPDX-License-Identifier: MIT */
/* devsnap diff's comparison, shared with devsnap view A B. */
#ifndef DS_DIFF_H
#define DS_DIFF_H

#include "read/dumpview.h"

/* What 'diff --json' prints for a and b: one array of changes per kind
 * ("added", "removed", "remapped", ...), and "identical". */
struct json_object *dump_diff_json(const struct dumpview *a, const struct dumpview *b);

#endif /* DS_DIFF_H */
