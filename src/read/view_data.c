// SPDX-License-Identifier: MIT
/*
 * The report's data: compact, since a kernel's tables make 65 000
 * segments.  Segments are columns (arrays of va, pa, size, p_flags,
 * state, page shift): JSON.parse makes each a flat array of doubles, not
 * 65 000 small objects.  A va or pa is a number, the signed distance from
 * where the previous segment's ends (0 for contiguous runs, a few digits
 * for the usual gaps), or, where that distance needs more than 53 bits, a
 * "0x..." string with the address itself; sizes are numbers below 2^53,
 * "0x..." strings above (a double would lose their low bits).  "small"
 * says that every address and end is below 2^52, so the page can add
 * them up as doubles.  Everything else is what info --json and diff
 * --json print.
 */
#include "read/view.h"

#include <inttypes.h>
#include <string.h>

#include "basic/json_out.h"
#include "read/diff.h"
#include "read/dumpinfo.h"

#define VIEW_BLOB_MAX (1u << 20) /* of a blob's text in the report */

unsigned view_state(const struct devsnap_segment *l)
{
	/* enum devsnap_segment_state follows enum ds_skip_reason, "not saved" last. */
	if (l->file_size)
		return DS_SAVED;
	return l->state < DEVSNAP_SEGMENT_NOT_SAVED ? (unsigned)l->state : VIEW_STATE_UNKNOWN;
}

const char *view_state_name(unsigned state)
{
	return state < DS_SKIP_REASON_COUNT ? ds_skip_reason_name(state) : "not-saved";
}

#define EXACT (1LL << 53) /* integers a double holds exactly */

static struct json_object *address(uint64_t value)
{
	return value < (uint64_t)EXACT ? json_object_new_int64((int64_t)value) : json_hex(value);
}

/* value as the distance from prev_end, or itself; both wrap at 2^64. */
static struct json_object *delta(uint64_t value, uint64_t prev_end)
{
	int64_t d = (int64_t)(value - prev_end);

	return d > -EXACT && d < EXACT ? json_object_new_int64(d) : json_hex(value);
}

static bool below_2_52(uint64_t start, uint64_t size)
{
	return start < (1ULL << 52) && size < (1ULL << 52) && start + size < (1ULL << 52);
}

static unsigned log2_u64(uint64_t x)
{
	return x ? 63 - (unsigned)__builtin_clzll(x) : 0;
}

static const char *const columns[] = { "va", "pa", "size", "flags", "state", "shift" };
#define NCOLUMNS (sizeof(columns) / sizeof(columns[0]))

static struct json_object *segments(const struct dumpview *v)
{
	struct json_object *o = json_object_new_object(), *col[NCOLUMNS];
	uint64_t va_end = 0, pa_end = 0;
	struct devsnap_segment l;
	bool small = true;

	for (unsigned c = 0; c < NCOLUMNS; c++) {
		col[c] = json_object_new_array_ext((int)v->nsegs);
		json_object_object_add(o, columns[c], col[c]);
	}
	for (uint32_t i = 0; i < v->nsegs; i++) {
		dumpview_load(v, i, &l);
		json_object_array_add(col[0], delta(l.va, va_end));
		json_object_array_add(col[1], delta(l.pa, pa_end));
		json_object_array_add(col[2], address(l.size));
		va_end = l.va + l.size;
		pa_end = l.pa + l.size;
		small = small && below_2_52(l.va, l.size) && below_2_52(l.pa, l.size);
		json_object_array_add(col[3], json_object_new_int64(l.p_flags));
		json_object_array_add(col[4], json_object_new_int((int)view_state(&l)));
		json_object_array_add(col[5], json_object_new_int((int)log2_u64(l.align)));
	}
	json_object_object_add(o, "small", json_object_new_boolean(small));
	return o;
}

/* Driver blobs (a firmware log, registers) as text, the page shows them. */
static struct json_object *blobs(const struct dumpview *v)
{
	struct json_object *arr = json_object_new_array();
	struct devsnap_blob b;

	for (size_t i = 0; devsnap_dump_blob(v->dump, i, &b) == 0; i++) {
		struct json_object *o;
		uint64_t len;

		len = b.size < VIEW_BLOB_MAX ? b.size : VIEW_BLOB_MAX;
		o = json_object_new_object();
		json_object_object_add(o, "name", json_object_new_string_len(
						  b.name, (int)strnlen(b.name, b.name_len)));
		json_add_u64(o, "size", b.size);
		json_object_object_add(o, "text", json_object_new_string_len((const char *)b.data,
									      (int)len));
		json_object_array_add(arr, o);
	}
	return arr;
}

static struct json_object *dump_json(const struct dumpview *v)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "info", dump_info_json(v));
	json_object_object_add(o, "segs", segments(v));
	json_object_object_add(o, "blobs", blobs(v));
	return o;
}

struct json_object *view_data_json(const struct dumpview *a, const struct dumpview *b)
{
	struct json_object *o = json_object_new_object(), *dumps = json_object_new_array();
	struct json_object *states = json_object_new_array();

	json_add_str(o, "generator", "devsnap " DEVSNAP_VERSION);
	for (unsigned s = 0; s <= VIEW_STATE_UNKNOWN; s++)
		json_object_array_add(states, json_object_new_string(view_state_name(s)));
	json_object_object_add(o, "states", states);
	json_object_array_add(dumps, dump_json(a));
	if (b)
		json_object_array_add(dumps, dump_json(b));
	json_object_object_add(o, "dumps", dumps);
	if (b)
		json_object_object_add(o, "diff", dump_diff_json(a, b));
	return o;
}

/* The length of the valid UTF-8 sequence at s (1 to 4), 0 if invalid. */
static size_t utf8_len(const unsigned char *s)
{
	uint32_t c;
	size_t n;

	if (s[0] < 0x80)
		return 1;
	n = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
	if (!n || s[0] > 0xf4)
		return 0;
	c = s[0] & (0x7f >> n);
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && (c < 0x800 || (c >= 0xd800 && c < 0xe000))) || (n == 4 && c < 0x10000) ||
	    c > 0x10ffff)
		return 0;
	return n;
}

/* Outside strings JSON is plain ASCII punctuation, so every character
 * rewritten here sits inside a string, where \u escapes mean the same. */
void view_write_json(FILE *out, const char *json)
{
	for (const unsigned char *s = (const unsigned char *)json; *s;) {
		size_t n = utf8_len(s);

		if (*s == '<' || *s == '>' || *s == '&')
			fprintf(out, "\\u%04x", *s);
		else if (n == 3 && s[0] == 0xe2 && s[1] == 0x80 && (s[2] == 0xa8 || s[2] == 0xa9))
			fprintf(out, "\\u%04x", 0x2000 | (s[2] - 0x80));
		else if (!n)
			fputs("\\ufffd", out);
		else
			fwrite(s, 1, n, out);
		s += n ? n : 1;
	}
}
