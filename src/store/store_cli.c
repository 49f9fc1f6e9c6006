// SPDX-License-Identifier: MIT
/* devsnap list, show, export, remove: the saved devcoredumps, the way
 * coredumpctl handles saved cores. */
#define _GNU_SOURCE /* memfd_create */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zstd.h>

#include "basic/cleanup.h"
#include "basic/cli.h"
#include "basic/dumpfile.h"
#include "read/dumpinfo.h"
#include "basic/escape.h"
#include "basic/json_out.h"
#include "basic/log.h"
#include "basic/pager.h"
#include "basic/parse.h"
#include "store/store.h"
#include "store/store_read.h"
#include "basic/timestamp.h"
#include "basic/units.h"
#include "store/verbs.h"
#include "store/zstd_bounded.h"

#define FIELD_WIDTH 14 /* as dump_info_print aligns its fields */

#define _cleanup_store_ _cleanup_(store_close)
#define _cleanup_store_list_ _cleanup_(store_list_free)

static int open_listed(const char *dir, struct store *s, struct store_list *l)
{
	int r = store_open(s, dir, false);

	return r < 0 ? r : store_list(s, l);
}

/* Opens the store and finds the entry id names. */
static int open_entry(const char *dir, const char *id, struct store *s, struct store_list *l,
		      size_t *index)
{
	int r = open_listed(dir, s, l);

	return r < 0 ? r : store_resolve(l, id, index);
}

/* The last component of a sysfs device path: what lspci and dmesg call it. */
static const char *device_short(const char *device)
{
	const char *slash = strrchr(device, '/');

	return slash ? slash + 1 : device;
}

static const char *state_of(const struct store_entry *e)
{
	return e->present ? "present" : "missing";
}

static const char *local_time(uint64_t usec, char buf[TIME_BUF])
{
	time_t secs = (time_t)(usec / 1000000);
	struct tm tm;

	if (!usec || !localtime_r(&secs, &tm) ||
	    !strftime(buf, TIME_BUF, "%Y-%m-%d %H:%M:%S %Z", &tm))
		snprintf(buf, TIME_BUF, "unknown");
	return buf;
}

enum { OPT_STORE = 256, OPT_JSON, OPT_DRIVER, OPT_DEVICE, OPT_SINCE, OPT_UNTIL, OPT_FORCE,
       OPT_NO_LEGEND, OPT_NO_PAGER, OPT_BYTES };

#define STORE_OPTION { "store", required_argument, NULL, OPT_STORE }
#define JSON_OPTION { "json", optional_argument, NULL, OPT_JSON }
#define HELP_OPTION { "help", no_argument, NULL, 'h' }

/* list's FIELD=VALUE matches: repeats of a field are OR'ed, fields AND'ed. */
struct match {
	const char *field, *value;
};

struct cli {
	const char *store, *output;
	uint64_t since_usec, until_usec;
	uint64_t max;  /* -n: the newest this many; 0: all */
	bool json, reverse, no_legend, no_pager, bytes;
	char **args; /* getopt's copy of argv */
	char **ids;  /* the arguments left, IDs */
	int nids;
	struct match *matches;
	int nmatches;
};

static void cli_done(struct cli *a)
{
	free(a->args);
	free(a->matches);
}

static const char *const match_fields[] = { "name", "driver", "device", "devcd", "state",
					    "content", "kernel", "hostname", "boot_id" };

static int add_match(struct cli *a, const char *field, const char *value)
{
	for (size_t i = 0; i < sizeof(match_fields) / sizeof(match_fields[0]); i++)
		if (!strcmp(field, match_fields[i])) {
			a->matches[a->nmatches++] = (struct match){ match_fields[i], value };
			return 0;
		}
	return log_error("'%s' is no field to match; give name, driver, device, devcd, state, "
			 "content, kernel, hostname or boot_id", field);
}

static int parse_time(const char *opt, const char *s, uint64_t *usec)
{
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	if (parse_timestamp(s, (uint64_t)now.tv_sec * 1000000 + (uint64_t)now.tv_nsec / 1000,
			    usec) < 0)
		return log_error("%s: '%s' is no time: give YYYY-MM-DD[ HH:MM[:SS]], now, today, "
				 "yesterday, or -N with a unit (-2h, -30min, -1d)", opt, s);
	return 0;
}

/* Parses a verb's options; 1 after --help, else 0 or -errno. */
static int parse_cli(int argc, char **argv, const char *shortopts, const struct option *options,
		     const char *usage, struct cli *a)
{
	int c, r = 0;

	a->until_usec = UINT64_MAX;
	a->args = cli_operands_last(&argc, argv, options);
	a->matches = calloc((size_t)argc + 1, sizeof(*a->matches));
	if (!a->args || !a->matches)
		return log_error_errno(-ENOMEM, "cannot parse the arguments");
	optind = 1;
	while (r == 0 && (c = getopt_long(argc, a->args, shortopts, options, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(usage, stdout);
			return 1;
		case 'o':
			a->output = optarg;
			break;
		case OPT_STORE:
			a->store = optarg;
			break;
		case OPT_JSON:
			r = json_parse_format(optarg);
			a->json = json_format != JSON_OFF;
			break;
		case OPT_DRIVER:
			r = add_match(a, "driver", optarg);
			break;
		case OPT_DEVICE:
			r = add_match(a, "device", optarg);
			break;
		case OPT_SINCE:
			r = parse_time("--since", optarg, &a->since_usec);
			break;
		case OPT_UNTIL:
			r = parse_time("--until", optarg, &a->until_usec);
			break;
		case 'n':
			if (parse_u64(optarg, &a->max) < 0 || !a->max)
				r = log_error("-n: '%s' is not a count above 0", optarg);
			break;
		case 'r':
			a->reverse = true;
			break;
		case 'q':
			log_quiet = true;
			break;
		case OPT_NO_LEGEND:
			a->no_legend = true;
			break;
		case OPT_NO_PAGER:
			a->no_pager = true;
			break;
		case OPT_BYTES:
			a->bytes = true;
			break;
		case OPT_FORCE:
			dumpfile_terminal_ok = true;
			break;
		default:
			return log_error("see 'devsnap %s --help'", argv[0]);
		}
	}
	if (!a->store)
		a->store = getenv("DEVSNAP_STORE");
	a->ids = a->args + optind;
	a->nids = argc - optind;
	return r;
}

/* --- list --- */

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

static bool matches(const struct store_entry *e, const struct cli *a)
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
static int select_rows(const struct store_list *l, const struct cli *a, size_t **rows,
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

static const char *or_dash(const char *s)
{
	return *s ? s : "-";
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
	cell[COL_TIME] = local_time(e->time_usec, t);
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
		       const struct cli *a)
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
static int list_operands(struct cli *a)
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
		r = add_match(a, a->ids[i], eq + 1);
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
	_cleanup_(cli_done) struct cli a = { 0 };
	_cleanup_store_ struct store s = { .dirfd = -1 };
	_cleanup_store_list_ struct store_list l = { 0 };
	_cleanup_free_ size_t *rows = NULL;
	size_t n = 0;
	pid_t pager;
	int r = parse_cli(argc, argv, "hn:rq", options, list_usage, &a);

	if (r)
		return r < 0 ? r : 0;
	r = list_operands(&a);
	if (r < 0)
		return r;
	r = open_listed(a.store, &s, &l);
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

/* --- show --- */

static const char show_usage[] =
	"Usage: devsnap show [--json[=FORMAT]] [--store DIR] ID\n\n"
	"Shows a saved dump's metadata and, for dumps 'devsnap info' reads\n"
	"(devsnap's and Asahi's), what it shows of them, decompressing only the\n"
	"dump's headers and notes.  ID: '#' or NAME (or a unique prefix) from\n"
	"'devsnap list'; -1 is the newest, -2 the one before.\n\n"
	"  --json[=pretty|short|off]\n"
	"                the metadata as JSON, with the dump's info under \"info\"\n"
	"  --store DIR   the store (default $DEVSNAP_STORE, else " STORE_DEFAULT_DIR ")\n";

/* Keys (of the summary) and values come from metadata: escaped. */
static void field(const char *key, const char *value)
{
	int pad = FIELD_WIDTH - (int)escape_puts(NULL, key);

	printf("%*s", pad > 0 ? pad : 0, "");
	escape_puts(stdout, key);
	fputs(": ", stdout);
	escape_puts(stdout, or_dash(value));
	putchar('\n');
}

static void print_meta(const struct store *s, const struct store_entry *e, size_t index)
{
	char buf[512], t[TIME_BUF], a[BYTES_BUF];

	field("Name", e->name);
	snprintf(buf, sizeof(buf), "%zu", index + 1);
	field("Index", buf);
	field("Time", local_time(e->time_usec, t));
	field("Device", e->device);
	field("Driver", e->driver);
	field("Devcd", e->devcd);
	snprintf(buf, sizeof(buf), "%s (%" PRIu64 " %s)", format_bytes(e->size, a), e->size,
		 plural(e->size, "byte", "bytes"));
	field("Size", buf);
	snprintf(buf, sizeof(buf), "%s (%.1f%%)", format_bytes(e->size_compressed, a),
		 e->size ? 100.0 * (double)e->size_compressed / (double)e->size : 0.0);
	field("Compressed", buf);
	field("Kernel", json_get_str(e->json, "kernel"));
	field("Boot ID", json_get_str(e->json, "boot_id"));
	field("Hostname", json_get_str(e->json, "hostname"));
	field("Content", json_get_str(e->json, "content"));
	snprintf(buf, sizeof(buf), "%s/%s.zst (%s)", s->path, e->name, state_of(e));
	field("Storage", buf);
}

/* What the collector read from the dump's notes, for when the dump itself
 * cannot be read. */
static void print_summary(const struct store_entry *e)
{
	struct json_object *sum;

	if (!json_object_object_get_ex(e->json, "summary", &sum) ||
	    !json_object_is_type(sum, json_type_object))
		return;
	json_object_object_foreach(sum, key, val) {
		bool str = json_object_is_type(val, json_type_string);

		field(key, str ? json_object_get_string(val) : json_object_to_json_string(val));
	}
}

struct mapping {
	uint8_t *p;
	size_t len;
};

static void unmapp(struct mapping *m)
{
	if (m->p)
		munmap(m->p, m->len);
}

/*
 * The dump in a sparse memfd of its full size, decompressed only as far as
 * its ELF headers and notes reach (the head ds_dump_open_head accepts):
 * what dump_info_print reads, without paying for the pages.  -EMEDIUMTYPE
 * for a dump devsnap cannot read, without a message.
 */
static int head_memfd(struct store *s, const struct store_entry *e)
{
	_cleanup_close_ int zfd = store_open_dump(s, e->name), mfd = -1;
	_cleanup_(unzstd_done) struct unzstd u = { 0 };
	_cleanup_(unmapp) struct mapping m = { .len = e->size };
	uint64_t pos = 0, want = 1 << 16;
	struct ds_dump_file f;
	struct stat st;
	const void *buf;
	size_t n;
	int r;

	if (zfd < 0)
		return zfd;
	if (e->size < 4 || e->size > SIZE_MAX)
		return -EMEDIUMTYPE;
	if (fstat(zfd, &st) < 0)
		return log_error_errno(-errno, "cannot read %s.zst", e->name);
	if (e->size / ZSTD_MAX_EXPANSION > (uint64_t)st.st_size) {
		log_error("%s.zst (%" PRIu64 " bytes) cannot hold the %" PRIu64
			  " bytes its metadata says", e->name, (uint64_t)st.st_size, e->size);
		return -EBADMSG;
	}
	mfd = memfd_create("devsnap-show", MFD_CLOEXEC);
	if (mfd < 0 || ftruncate(mfd, (off_t)e->size) < 0)
		return log_error_errno(-errno, "cannot make room to read %s", e->name);
	m.p = mmap(NULL, m.len, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	if (m.p == MAP_FAILED) {
		m.p = NULL;
		return log_error_errno(-errno, "cannot make room to read %s", e->name);
	}
	r = unzstd_init(&u, zfd, e->name);
	while (r >= 0 && (r = unzstd_next(&u, &buf, &n)) == 1) {
		if (n > e->size - pos) {
			log_error("%s.zst holds more than the %" PRIu64 " bytes its metadata says",
				  e->name, e->size);
			return -EBADMSG;
		}
		memcpy(m.p + pos, buf, n);
		pos += n;
		if (pos >= 4 && memcmp(m.p, "\177ELF", 4))
			return -EMEDIUMTYPE;
		if (pos < want && pos < e->size)
			continue;
		if (ds_dump_open_head(&f, m.p, pos, e->size) == 0)
			return TAKE_FD(mfd);
		want = pos * 2;
	}
	if (r < 0)
		return r;
	if (pos != e->size) {
		log_error("%s.zst holds %" PRIu64 " bytes, its metadata says %" PRIu64, e->name,
			  pos, e->size);
		return -EBADMSG;
	}
	return -EMEDIUMTYPE;
}

/* The dump behind e opened far enough for dump_info_print, or -EMEDIUMTYPE
 * (without a message) when it is not a dump devsnap reads. */
static int open_shown(struct store *s, const struct store_entry *e, struct dumpview *v)
{
	_cleanup_close_ int fd = e->present ? head_memfd(s, e) : -EMEDIUMTYPE;
	char path[32];
	int r;

	if (fd < 0)
		return fd;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	r = dumpview_open(v, path);
	v->path = e->name; /* what "File:" shows */
	return r;
}

static int show_text(struct store *s, const struct store_list *l, size_t i)
{
	const struct store_entry *e = &l->entries[i];
	struct dumpview v;
	int r;

	print_meta(s, e, i);
	r = open_shown(s, e, &v);
	if (r == -EMEDIUMTYPE) {
		print_summary(e);
		return 0;
	}
	if (r < 0)
		return r;
	putchar('\n');
	r = dump_info_print(&v, false);
	dumpview_close(&v);
	return r;
}

/* The metadata object, with the dump's info under "info" where devsnap
 * reads the dump. */
static int show_json(struct store *s, const struct store_entry *e, size_t index)
{
	_cleanup_json_ struct json_object *o = NULL;
	struct dumpview v;
	int r = json_object_deep_copy(e->json, &o, NULL) < 0 ? -ENOMEM : 0;

	if (r == 0) {
		json_add_u64(o, "index", index + 1);
		json_add_str(o, "state", state_of(e));
		json_add_time_ns(o, "time", e->time_usec * 1000);
		r = open_shown(s, e, &v);
	}
	if (r == 0) {
		json_object_object_add(o, "info", dump_info_json(&v));
		dumpview_close(&v);
	}
	if (r < 0 && r != -EMEDIUMTYPE)
		return r;
	return json_print(o);
}

int verb_show(int argc, char **argv)
{
	static const struct option options[] = {
		JSON_OPTION, STORE_OPTION, HELP_OPTION, {}
	};
	_cleanup_(cli_done) struct cli a = { 0 };
	_cleanup_store_ struct store s = { .dirfd = -1 };
	_cleanup_store_list_ struct store_list l = { 0 };
	size_t i;
	int r = parse_cli(argc, argv, "h", options, show_usage, &a);

	if (r)
		return r < 0 ? r : 0;
	if (a.nids != 1)
		return log_error("give one ID; see 'devsnap show --help'");
	r = open_entry(a.store, a.ids[0], &s, &l, &i);
	if (r < 0)
		return r;
	r = a.json ? show_json(&s, &l.entries[i], i) : show_text(&s, &l, i);
	if (fflush(stdout))
		return log_error_errno(-errno, "cannot write to standard output");
	return r;
}

/* --- export --- */

static const char export_usage[] =
	"Usage: devsnap export [--store DIR] ID -o FILE [--force]\n\n"
	"Writes a saved dump's original bytes to FILE, whole or not at all, mode\n"
	"0600.  ID: '#' or NAME (or a unique prefix) from 'devsnap list'; -1 is\n"
	"the newest.  A dump that holds more than its recorded size, or that is\n"
	"recorded as ELF and does not start as one, is refused.\n\n"
	"  -o, --output FILE  where to write it; '-': standard output; a FIFO or\n"
	"                     character device is written into, a symlink refused\n"
	"  --force            write to standard output even where it is a terminal\n"
	"  --store DIR        the store (default $DEVSNAP_STORE, else " STORE_DEFAULT_DIR ")\n";

/* Where export's bytes go, and what they must start with. */
struct export_sink {
	struct dumpfile *df;
	const struct store_entry *e;
	bool elf; /* the metadata says the dump is an ELF file */
};

/* The collector records an ELF dump's content as one of these. */
static bool recorded_as_elf(const struct store_entry *e)
{
	const char *content = json_get_str(e->json, "content");

	return !strcmp(content, "elf") || !strcmp(content, "devsnap") || !strcmp(content, "asahi");
}

static int export_chunk(void *ctx, const void *buf, size_t n)
{
	static const char magic[] = "\177ELF";
	struct export_sink *x = ctx;
	uint64_t pos = x->df->pos;
	const char *p = buf;
	int r;

	for (size_t i = 0; x->elf && pos + i < 4 && i < n; i++)
		if (p[i] != magic[pos + i]) {
			log_error("%s.zst does not start with the ELF header its metadata promises: "
				  "not exported", x->e->name);
			return -EBADMSG;
		}
	r = dumpfile_write(x->df, buf, n);
	if (r < 0)
		return log_error_errno(r, "cannot write %s", x->df->path);
	return 0;
}

/* Decompressed no further than the recorded size; a new file is left
 * only when whole. */
static int export_entry(struct store *s, const struct store_entry *e, const char *path)
{
	_cleanup_close_ int zfd = store_open_dump(s, e->name);
	struct dumpfile df;
	struct export_sink x = { .df = &df, .e = e, .elf = recorded_as_elf(e) };
	int r;

	if (zfd < 0)
		return zfd;
	r = dumpfile_create(&df, path, 0600);
	if (r < 0)
		return r;
	r = unzstd_bounded(zfd, e->name, e->size, export_chunk, &x);
	if (r < 0) {
		dumpfile_discard(&df);
		return r;
	}
	return dumpfile_commit(&df);
}

int verb_export(int argc, char **argv)
{
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, OPT_FORCE },
		STORE_OPTION,
		HELP_OPTION,
		{}
	};
	_cleanup_(cli_done) struct cli a = { 0 };
	_cleanup_store_ struct store s = { .dirfd = -1 };
	_cleanup_store_list_ struct store_list l = { 0 };
	size_t i;
	int r = parse_cli(argc, argv, "ho:", options, export_usage, &a);

	if (r)
		return r < 0 ? r : 0;
	if (a.nids != 1 || !a.output)
		return log_error("give one ID and -o FILE; see 'devsnap export --help'");
	r = open_entry(a.store, a.ids[0], &s, &l, &i);
	if (r < 0)
		return r;
	return export_entry(&s, &l.entries[i], a.output);
}

/* --- remove --- */

static const char remove_usage[] =
	"Usage: devsnap remove [--store DIR] ID...\n\n"
	"Removes saved dumps, their metadata first.  Every ID is resolved before\n"
	"anything is removed: one that names nothing, or more than one dump,\n"
	"removes nothing.  ID: '#' or NAME (or a unique prefix) from 'devsnap\n"
	"list'; -1 is the newest.\n\n"
	"  --store DIR   the store (default $DEVSNAP_STORE, else " STORE_DEFAULT_DIR ")\n";

int verb_remove(int argc, char **argv)
{
	static const struct option options[] = { STORE_OPTION, HELP_OPTION, {} };
	_cleanup_(cli_done) struct cli a = { 0 };
	_cleanup_store_ struct store s = { .dirfd = -1 };
	_cleanup_store_list_ struct store_list l = { 0 };
	_cleanup_free_ bool *chosen = NULL;
	int r = parse_cli(argc, argv, "h", options, remove_usage, &a);

	if (r)
		return r < 0 ? r : 0;
	if (!a.nids)
		return log_error("give the IDs to remove; see 'devsnap remove --help'");
	r = open_listed(a.store, &s, &l);
	if (r < 0)
		return r;
	chosen = calloc(l.n ? l.n : 1, sizeof(*chosen));
	if (!chosen)
		return log_error_errno(-ENOMEM, "cannot remove dumps");
	for (int k = 0; k < a.nids; k++) {
		size_t i;

		r = store_resolve(&l, a.ids[k], &i);
		if (r < 0)
			return r;
		chosen[i] = true;
	}
	for (size_t i = 0; i < l.n; i++) {
		int q = chosen[i] ? store_remove(&s, l.entries[i].name) : 0;

		if (chosen[i] && q == 0)
			log_info("removed %s", l.entries[i].name);
		r = r < 0 ? r : q;
	}
	return r;
}
