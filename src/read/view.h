/* SPDX-License-Identifier: MIT */
/*
 * devsnap view: a dump (or two) as one self-contained HTML report, or its
 * address strip alone as SVG.  The report is a template compiled in from
 * src/view/ plus the dump's data as one JSON blob the page's script draws.
 */
#ifndef DS_VIEW_H
#define DS_VIEW_H

#include <json-c/json.h>
#include <stdio.h>

#include "read/dumpview.h"

/* A segment's state in the report: 0 saved, then enum ds_skip_reason's
 * reasons, then VIEW_STATE_UNKNOWN for "not saved" without a reason. */
#define VIEW_STATE_UNKNOWN DS_SKIP_REASON_COUNT
unsigned view_state(const struct devsnap_segment *l);
const char *view_state_name(unsigned state);

/* The data the page draws: b is NULL for one dump, else a diff of a and b. */
struct json_object *view_data_json(const struct dumpview *a, const struct dumpview *b);

/* json as text that is safe inside <script>: no '<', '>', '&', U+2028,
 * U+2029 or invalid UTF-8 outside \u escapes. */
void view_write_json(FILE *out, const char *json);

/* The whole report around data; 0 or -errno. */
int view_write_html(FILE *out, struct json_object *data);

/* The address strip of v as a standalone SVG; 0 or -errno. */
int view_write_svg(FILE *out, const struct dumpview *v);

#endif /* DS_VIEW_H */
