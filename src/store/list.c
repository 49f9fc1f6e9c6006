// SPDX-License-Identifier: MIT
/* devsnap list: the saved devcoredumps, as coredumpctl list shows cores. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "basic/cleanup.h"
#include "basic/escape.h"
#include "basic/json_out.h"
#include "basic/log.h"
#include "basic/pager.h"
#include "basic/units.h"
#include "store/store_cli.h"
#include "store/verbs.h"

static const char list_usage[] =
	"Usage: devsnap list [OPTIONS...] [FIELD=VALUE...]\n\n"
	"Lists the saved devcoredumps, oldest first.  '#' is a position in the\n"
	"whole store, oldest first: it moves when an older dump is removed.  NAME\n"
	"(or a unique prefix of it) never changes.  Both are IDs for show, export,\n"
	"remove and the reader verbs; -1 is the newest, -2 the one before.\n"
	"FIELD=VALUE keeps dumps whose FIELD is VALUE: name, driver, device (its\n"
	"sysfs path or last component), devcd, state (present, missing), content,\n"
	"kernel, hostname, boot_id; repeats of a field are OR'ed, fields AND'ed.\n"
	"Exits 1 when no dump matches.\n\n"
	"  -1              the newest only (as -n 1)\n"
	"  -n N            the N newest\n"
	"  -r, --reverse   newest first\n"
	"  --since TIME    only dumps saved at or after TIME, --until TIME at or\n"
	"  --until TIME    before: YYYY-MM-DD[ HH:MM[:SS]] (local time), now, today,\n"
	"                  yesterday, or -N with a unit: -30min, -2h, -1d (as\n"
	"                  systemd.time(7))\n"
	"  --driver NAME   as driver=NAME;  --device DEV  as device=DEV\n"
	"  --bytes         SIZE in bytes, not \"2.1 MiB\"\n"
	"  --no-legend     no header line\n"
	"  --no-pager      do not pipe into a pager ($DEVSNAP_PAGER, $PAGER, less)\n"
	"  -q, --quiet     no message when nothing matches (the exit status says it)\n"
	"  --json[=pretty|short|off]\n"
	"                  a JSON array ([] for none) of their metadata, with\n"
	"                  \"index\", \"state\" and \"time\" (ISO 8601)\n"
	"  --store DIR     the store (default $DEVSNAP_STORE, else " STORE_DEFAULT_DIR ")\n";

/* Whether e's field is value. */
static bool field_is(const struct store_entry *e, const char *field, const char *value)
{
	if (!strcmp(field, "device"))
		return !strcmp(e->device, value) || !strcmp(device_short(e->device), value);
	if (!strcmp(field, "state"))
		return !strcmp(state_of(e), value);
	if (!strcmp(field, "name"))
		return !strcmp(e->name, value);
	if (!strcmp(field, "driver"))
		return !strcmp(e->driver, value);
	return !strcmp(json_get_str(e->json, field), value);
}

static bool matches(const struct store_entry *e, const struct store_args *a)
{
	for (int i = 0; i < a->nmatches; i++) {
		bool any = false;

		for (int k = 0; k < a->nmatches && !any; k++)
			any = a->matches[k].field == a->matches[i].field &&
			      field_is(e, a->matches[k].field, a->matches[k].value);
		if (!any)
			return false;
	}
	return e->time_usec >= a->since_usec && e->time_usec <= a->until_usec;
}

/* The indexes (into l) of the rows list shows, in the order it shows them. */
static int select_rows(const struct store_list *l, const struct store_args *a, size_t **rows,
		       size_t *n)
{
	size_t *r = calloc(l->n ? l->n : 1, sizeof(*r)), k = 0;

	if (!r)
		return log_error_errno(-ENOMEM, "cannot list the store");
	for (size_t i = 0; i < l->n; i++)
		if (matches(&l->entries[i], a))
			r[k++] = i;
	if (a->max && k > a->max) { /* the newest: the last ones */
		memmove(r, r + (k - a->max), a->max * sizeof(*r));
		k = a->max;
	}
	for (size_t i = 0; a->reverse && i < k / 2; i++) {
		size_t t = r[i];

		r[i] = r[k - 1 - i];
		r[k - 1 - i] = t;
	}
	*rows = r;
	*n = k;
	return 0;
}

enum { COL_INDEX, COL_TIME, COL_DEVICE, COL_DRIVER, COL_SIZE, COL_STATE, COL_NAME, COL_COUNT };

/* The cells of entry i (0-based) as the table prints them. */
static void row_cells(const struct store_list *l, size_t i, bool bytes,
		      const char *cell[COL_COUNT], char index[24], char t[TIME_BUF],
		      char size[24])
{
	const struct store_entry *e = &l->entries[i];

	snprintf(index, 24, "%zu", i + 1);
	cell[COL_INDEX] = index;
	cell[COL_TIME] = store_local_time(e->time_usec, t);
	cell[COL_DEVICE] = or_dash(device_short(e->device));
	cell[COL_DRIVER] = or_dash(e->driver);
	if (bytes)
		snprintf(size, 24, "%" PRIu64, e->size);
	cell[COL_SIZE] = bytes ? size : format_bytes(e->size, size);
	cell[COL_STATE] = state_of(e);
	cell[COL_NAME] = e->name;
}

/* Cells come from metadata: printed escaped, as wide as their escapes. */
static int cell_width(const char *cell)
{
	return (int)escape_puts(NULL, cell);
}

/* Left-aligned columns but for the numbers; the last one unpadded. */
static void print_row(const char *cell[COL_COUNT], const int width[COL_COUNT])
{
	for (int c = 0; c < COL_COUNT; c++) {
		bool right = c == COL_INDEX || c == COL_SIZE;
		int pad = width[c] - cell_width(cell[c]);

		if (right)
			printf("%*s", pad, "");
		escape_puts(stdout, cell[c]);
		if (!right && c < COL_COUNT - 1)
			printf("%*s", pad, "");
		fputs(c == COL_COUNT - 1 ? "\n" : "  ", stdout);
	}
}

static void list_table(const struct store_list *l, const size_t *rows, size_t n,
		       const struct store_args *a)
{
	static const char *const head[COL_COUNT] = { "#", "TIME", "DEVICE", "DRIVER",
						     "SIZE", "STATE", "NAME" };
	int width[COL_COUNT];
	const char *cell[COL_COUNT];
	char index[24], t[TIME_BUF], size[24];

	for (int c = 0; c < COL_COUNT; c++)
		width[c] = a->no_legend ? 0 : cell_width(head[c]);
	for (size_t k = 0; k < n; k++) {
		row_cells(l, rows[k], a->bytes, cell, index, t, size);
		for (int c = 0; c < COL_COUNT; c++)
			if (cell_width(cell[c]) > width[c])
				width[c] = cell_width(cell[c]);
	}
	if (!a->no_legend)
		print_row((const char **)head, width);
	for (size_t k = 0; k < n; k++) {
		row_cells(l, rows[k], a->bytes, cell, index, t, size);
		print_row(cell, width);
	}
}

static int list_json(const struct store_list *l, const size_t *rows, size_t n)
{
	_cleanup_json_ struct json_object *arr = json_object_new_array();

	for (size_t k = 0; k < n; k++) {
		struct store_entry *e = &l->entries[rows[k]];

		json_add_u64(e->json, "index", rows[k] + 1);
		json_add_str(e->json, "state", state_of(e));
		json_add_time_ns(e->json, "time", e->time_usec * 1000);
		json_object_array_add(arr, json_object_get(e->json));
	}
	return json_print(arr) < 0 ? log_error_errno(-EIO, "cannot write the list") : 0;
}

/* The operands: FIELD=VALUE matches, and -1 (coredumpctl's "the newest"). */
static int list_operands(struct store_args *a)
{
	for (int i = 0; i < a->nids; i++) {
		char *eq = strchr(a->ids[i], '=');
		int r;

		if (!strcmp(a->ids[i], "-1")) {
			a->max = 1;
			continue;
		}
		if (!eq || eq == a->ids[i])
			return log_error("'%s' is no FIELD=VALUE match; see 'devsnap list --help'",
					 a->ids[i]);
		*eq = '\0';
		r = store_args_add_match(a, a->ids[i], eq + 1);
		if (r < 0)
			return r;
	}
	return 0;
}

int verb_list(int argc, char **argv)
{
	static const struct option options[] = {
		{ "driver", required_argument, NULL, OPT_DRIVER },
		{ "device", required_argument, NULL, OPT_DEVICE },
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "until", required_argument, NULL, OPT_UNTIL },
		{ "reverse", no_argument, NULL, 'r' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "lines", required_argument, NULL, 'n' },
		{ "no-legend", no_argument, NULL, OPT_NO_LEGEND },
		{ "no-pager", no_argument, NULL, OPT_NO_PAGER },
		{ "bytes", no_argument, NULL, OPT_BYTES },
		JSON_OPTION,
		STORE_OPTION,
		HELP_OPTION,
		{}
	};
	_cleanup_(store_args_done) struct store_args a = { 0 };
	_cleanup_store_ struct store s = { .dirfd = -1 };
	_cleanup_store_list_ struct store_list l = { 0 };
	_cleanup_free_ size_t *rows = NULL;
	size_t n = 0;
	pid_t pager;
	int r = store_args_parse(argc, argv, "hn:rq", options, list_usage, &a);

	if (r)
		return r < 0 ? r : 0;
	r = list_operands(&a);
	if (r < 0)
		return r;
	r = store_open_listed(a.store, &s, &l);
	if (r == 0)
		r = select_rows(&l, &a, &rows, &n);
	if (r < 0)
		return r;
	if (!n && !a.json) { /* as coredumpctl: scripts test the exit status */
		if (!log_quiet)
			log_error("no devcoredumps %sin %s",
				  l.n ? "match " : "", s.path);
		return -ENOENT;
	}
	pager = a.no_pager ? 0 : pager_open();
	if (a.json)
		r = list_json(&l, rows, n);
	else
		list_table(&l, rows, n, &a);
	if (r == 0 && fflush(stdout))
		r = log_error_errno(-errno, "cannot write the list");
	pager_close(pager);
	if (r == 0 && !n) {
		if (!log_quiet)
			log_error("no devcoredumps %sin %s", l.n ? "match " : "", s.path);
		r = -ENOENT;
	}
	return r;
}
