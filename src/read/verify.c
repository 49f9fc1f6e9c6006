// SPDX-License-Identifier: MIT
/*
 * devsnap verify: structural checks beyond what reading needs.  The parser
 * already refuses what cannot be read safely; verify also wants what a
 * sound producer writes: segments in VA order that do not overlap, aligned
 * to their page size, file data shared only by segments of the same
 * physical addresses, and DEVSNAP notes
 * whose totals and skipped ranges agree with the segments.  The library
 * hides the ELF layout (header order, file extents) that these checks are
 * about, so verify reads it with lib's parser over the library's bytes.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "basic/cleanup.h"
#include "basic/cli.h"
#include "basic/escape.h"
#include "basic/json_out.h"
#include "basic/log.h"
#include "basic/units.h"
#include "elf_layout.h"
#include "read/dumpinfo.h"
#include "read/dumpview.h"
#include "read/verbs.h"

#define MAX_REPORTED 20 /* a broken file can have a problem per segment */

struct verify {
	const struct dumpview *v;
	struct ds_dump_file f;      /* the file's ELF layout */
	struct ds_dump_load *loads; /* its PT_LOADs, in file order */
	bool json;
	struct json_object *problems;
	unsigned count;
};

/* "PATH: message": both may quote the file, so both are escaped. */
static void print_verdict(const struct verify *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void print_verdict(const struct verify *c, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	escape_puts(stdout, c->v->path);
	fputs(": ", stdout);
	escape_puts(stdout, msg);
	putchar('\n');
}

static void problem(struct verify *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(struct verify *c, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (c->count++ >= MAX_REPORTED)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->json)
		json_object_array_add(c->problems, json_object_new_string(msg));
	else
		print_verdict(c, "%s", msg);
}

static bool power_of_two(uint64_t x)
{
	return x && !(x & (x - 1));
}

/*
 * A segment is whole pages of the format (the INFO note's page size; the
 * granule itself without one).  A block split by what could be saved (a
 * poisoned page, the budget) keeps its granule in p_align, so a piece
 * need only sit at the same offset in the block in VA and in PA.
 */
static void check_load(struct verify *c, const struct devsnap_segment *l)
{
	uint64_t a = l->align, page = c->v->has_info ? c->v->info.page_size : a;

	if (!power_of_two(a))
		problem(c, "segment 0x%" PRIx64 ": p_align %" PRIu64 " is not a power of two",
			l->va, a);
	else if (power_of_two(page) && (l->va | l->pa | l->size) & (page - 1))
		problem(c, "segment 0x%" PRIx64 ": VA, PA or size not a multiple of the page size "
			"0x%" PRIx64, l->va, page);
	else if ((l->va ^ l->pa) & (a - 1))
		problem(c, "segment 0x%" PRIx64 ": VA and PA at different offsets in its 0x%" PRIx64
			" mapping", l->va, a);
	if (l->file_size && l->file_size != l->size)
		problem(c, "segment 0x%" PRIx64 ": only 0x%" PRIx64 " of 0x%" PRIx64 " bytes saved",
			l->va, l->file_size, l->size);
	if (!l->file_size && l->state == DEVSNAP_SEGMENT_NOT_SAVED &&
	    c->v->producer == PRODUCER_DEVSNAP)
		problem(c, "segment 0x%" PRIx64 ": not saved, and no skipped range says why", l->va);
}

static void check_order(struct verify *c)
{
	struct devsnap_segment l, widest;
	uint64_t reach = 0; /* the highest last address so far, in VA order */

	if (!c->f.loads_contiguous)
		problem(c, "PT_LOAD headers are interleaved with other headers");
	for (uint32_t i = 1; i < c->f.nloads; i++) {
		if (c->loads[i].va < c->loads[i - 1].va) {
			problem(c, "segments are not in VA order: 0x%" PRIx64 " follows 0x%" PRIx64,
				c->loads[i].va, c->loads[i - 1].va);
			break;
		}
	}
	for (uint32_t i = 0; i < c->v->nsegs; i++) {
		dumpview_load(c->v, i, &l);
		if (i && l.va <= reach)
			problem(c, "segments 0x%" PRIx64 " and 0x%" PRIx64 " overlap", widest.va, l.va);
		if (!i || l.va + (l.size - 1) > reach) {
			reach = l.va + (l.size - 1);
			widest = l;
		}
		check_load(c, &l);
	}
}

/* A stretch of the file and what it holds, for messages. */
struct extent {
	uint64_t start, end;
	const char *what;
	uint64_t va; /* of the segment whose data it is */
	uint64_t pa; /* of the first byte; headers and notes have none */
	bool has_pa;
};

/* Two segments may share file bytes only where those bytes are the same
 * physical addresses in both (docs/dump-format.md): the same p_offset -
 * p_paddr.  Headers share with nothing. */
static bool same_bytes(const struct extent *a, const struct extent *b)
{
	return a->has_pa && b->has_pa && a->pa - a->start == b->pa - b->start;
}

static int by_start(const void *a, const void *b)
{
	const struct extent *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static const char *extent_name(const struct extent *e, char buf[48])
{
	if (e->what)
		return e->what;
	snprintf(buf, 48, "the data of segment 0x%" PRIx64, e->va);
	return buf;
}

/* The section header table, where the file has one. */
static void add_shdrs(struct verify *c, struct extent *e, size_t *n)
{
	const uint8_t *h = c->v->bytes;
	uint64_t shoff = ds_get_le(h + EH_SHOFF, 8), entsize = ds_get_le(h + EH_SHENTSIZE, 2);
	uint64_t shnum = ds_get_le(h + EH_SHNUM, 2);

	if (!shoff)
		return;
	if (!shnum && shoff <= c->v->size - ELF_SHDR_SIZE)
		shnum = ds_get_le(h + shoff + 32, 8); /* sh_size of section 0 holds a large count */
	if (!shnum)
		shnum = 1;
	if (shoff > c->v->size || entsize > 0xffff || shnum > (c->v->size - shoff) / (entsize ?: 1) ||
	    shnum * entsize > c->v->size - shoff) {
		problem(c, "the section headers run past the end of the file");
		return;
	}
	e[(*n)++] = (struct extent){ .start = shoff, .end = shoff + shnum * entsize,
				      .what = "the section headers" };
}

/* File bytes claimed twice: the ELF header, the program and section header
 * tables, the notes and each segment's data need their own. */
static int check_file_extents(struct verify *c)
{
	const struct ds_dump_file *f = &c->f;
	_cleanup_free_ struct extent *e = calloc((size_t)f->nloads + f->phnum + 3, sizeof(*e));
	const struct extent *owner;
	uint64_t reach = 0;
	char a[48], b[48];
	size_t n = 0;

	if (!e)
		return log_error_errno(-ENOMEM, "cannot check %s", c->v->path);
	e[n++] = (struct extent){ .end = ELF_EHDR_SIZE, .what = "the ELF header" };
	e[n++] = (struct extent){ .start = f->phoff,
				  .end = f->phoff + (uint64_t)f->phnum * ELF_PHDR_SIZE,
				  .what = "the program headers" };
	add_shdrs(c, e, &n);
	for (uint32_t i = 0; i < f->phnum; i++) {
		const uint8_t *ph = c->v->bytes + f->phoff + (uint64_t)i * ELF_PHDR_SIZE;
		uint64_t off = ds_get_le(ph + PH_OFFSET, 8), size = ds_get_le(ph + PH_FILESZ, 8);

		if (ds_get_le(ph + PH_TYPE, 4) == PT_NOTE && size) /* inside the file: checked at open */
			e[n++] = (struct extent){ .start = off, .end = off + size, .what = "notes" };
	}
	for (uint32_t i = 0; i < f->nloads; i++) {
		const struct ds_dump_load *l = &c->loads[i];

		if (l->filesz)
			e[n++] = (struct extent){ .start = l->offset, .end = l->offset + l->filesz,
						  .va = l->va, .pa = l->pa, .has_pa = true };
	}
	qsort(e, n, sizeof(*e), by_start);
	owner = &e[0];
	for (size_t i = 0; i < n; i++) {
		/* Against the extent reaching furthest so far: any earlier one that
		 * overlaps e[i] overlaps it too, and was checked against it. */
		if (i && e[i].start < reach && !same_bytes(&e[i], owner))
			problem(c, "file bytes 0x%" PRIx64 "-0x%" PRIx64 " hold both %s and %s",
				e[i].start, reach < e[i].end ? reach : e[i].end, extent_name(owner, a),
				extent_name(&e[i], b));
		if (e[i].end > reach) {
			reach = e[i].end;
			owner = &e[i];
		}
	}
	return 0;
}

/* Skipped ranges: each known, sorted, none wrapping past the top. */
static void check_skipped(struct verify *c, const struct ds_note *n)
{
	struct ds_skipped_range sr;
	uint64_t prev_last = 0;
	uint32_t count = 0;

	ds_note_skipped_count(n, &count); /* checked at open */
	for (uint32_t i = 0; i < count && ds_note_skipped_at(n, i, &sr) == 0; i++) {
		if (!sr.reason || sr.reason >= DS_SKIP_REASON_COUNT)
			problem(c, "skipped range 0x%" PRIx64 ": unknown reason %u", sr.va, sr.reason);
		if (!sr.size || sr.va + (sr.size - 1) < sr.va) {
			problem(c, "skipped range 0x%" PRIx64 ": size 0x%" PRIx64 " is empty or wraps "
				"past the top of the address space", sr.va, sr.size);
			return;
		}
		if (i && sr.va <= prev_last) {
			problem(c, "skipped ranges are not sorted: 0x%" PRIx64 " follows one ending at "
				"0x%" PRIx64, sr.va, prev_last);
			return;
		}
		prev_last = sr.va + (sr.size - 1);
	}
}

static void check_devsnap_note(struct verify *c, const struct ds_note *n)
{
	struct ds_note_blob blob;

	if (ds_note_is(n, DS_NOTE_NAME, DS_NT_SKIPPED))
		check_skipped(c, n);
	else if (ds_note_is(n, DS_NOTE_NAME, DS_NT_BLOB) && ds_note_blob_decode(n, &blob) < 0)
		problem(c, "DEVSNAP blob note at file offset 0x%" PRIx64 ": its name runs past its "
			"end", n->offset);
}

static void check_info(struct verify *c, const struct dump_totals *t)
{
	const struct ds_note_info *in = &c->v->info;

	if (in->nsegs != t->segments)
		problem(c, "DEVSNAP INFO counts %u segments, the file has %" PRIu64, in->nsegs,
			t->segments);
	if (in->mapped != t->mapped || in->saved != t->saved)
		problem(c, "DEVSNAP INFO says %" PRIu64 " bytes mapped, %" PRIu64 " saved; the "
			"segments hold %" PRIu64 " and %" PRIu64, in->mapped, in->saved, t->mapped,
			t->saved);
	if (!power_of_two(in->page_size))
		problem(c, "DEVSNAP INFO page size %u is not a power of two", in->page_size);
	if (!ds_format_find(in->format))
		problem(c, "DEVSNAP INFO names an unknown page-table format \"%.32s\"", in->format);
}

static void check_notes(struct verify *c, const struct dump_totals *t)
{
	unsigned infos = 0;
	struct ds_note n;

	for (size_t i = 0; dumpview_note(c->v, i, &n) == 0; i++) {
		infos += ds_note_is(&n, DS_NOTE_NAME, DS_NT_INFO);
		check_devsnap_note(c, &n);
	}
	if (infos > 1)
		problem(c, "%u DEVSNAP INFO notes; a dump has one", infos);
	if (infos && !c->v->has_info)
		problem(c, "the DEVSNAP INFO note is malformed or of an unknown version");
	if (c->v->has_info)
		check_info(c, t);
	if (c->v->producer == PRODUCER_DEVSNAP && t->segments != t->saved_segments &&
	    !c->f.nskipped_entries)
		problem(c, "unsaved segments but no DEVSNAP SKIPPED note");
}

static int report(struct verify *c, const struct dump_totals *t)
{
	_cleanup_json_ struct json_object *o = NULL;

	if (!c->json) {
		if (c->count > MAX_REPORTED)
			print_verdict(c, "... and %u more problems", c->count - MAX_REPORTED);
		if (c->count)
			print_verdict(c, "%u %s", c->count, plural(c->count, "problem", "problems"));
		else
			print_verdict(c, "sound: %" PRIu64 " %s, %" PRIu64 " saved", t->segments,
				      plural(t->segments, "segment", "segments"), t->saved_segments);
		return 0;
	}
	o = json_object_new_object();
	json_add_str(o, "file", c->v->path);
	json_object_object_add(o, "sound", json_object_new_boolean(!c->count));
	json_add_u64(o, "problem_count", c->count);
	json_object_object_add(o, "problems", c->problems);
	c->problems = NULL;
	return json_print(o);
}

/* The ELF layout of the file the library accepted: it parses again. */
static int read_layout(struct verify *c)
{
	if (ds_dump_open(&c->f, c->v->bytes, c->v->size) < 0)
		return log_error_errno(-EBADMSG, "%s: %s (at file offset 0x%" PRIx64 ")", c->v->path,
				       c->f.error, c->f.error_offset);
	c->loads = calloc(c->f.nloads ? c->f.nloads : 1, sizeof(*c->loads));
	if (!c->loads)
		return log_error_errno(-ENOMEM, "cannot check %s", c->v->path);
	ds_dump_loads(&c->f, c->loads, c->f.nloads);
	return 0;
}

/* The parser's one-line verdict, as JSON. */
static int report_unreadable(const struct dumpview *v, int err)
{
	_cleanup_json_ struct json_object *o = json_object_new_object();
	struct json_object *problems = json_object_new_array();
	char msg[160];

	snprintf(msg, sizeof(msg), "%s (at file offset 0x%" PRIx64 ")",
		 v->error ? v->error : "not a dump", v->error_offset);
	json_object_array_add(problems, json_object_new_string(msg));
	json_add_str(o, "file", v->path);
	json_object_object_add(o, "sound", json_object_new_boolean(false));
	json_add_u64(o, "problem_count", 1);
	json_object_object_add(o, "problems", problems);
	return json_print(o) < 0 ? -EIO : err;
}

static int verify_file(const char *path, bool json)
{
	struct verify c = { .json = json };
	struct dump_totals t;
	struct dumpview v;
	int r = dumpview_open(&v, path);

	if (r < 0)
		return json && r == -EBADMSG ? report_unreadable(&v, r) : r;
	c.v = &v;
	r = read_layout(&c);
	if (r < 0) {
		dumpview_close(&v);
		return r;
	}
	c.problems = json_object_new_array();
	dump_totals(&v, &t);
	check_order(&c);
	r = check_file_extents(&c);
	if (r == 0) {
		check_notes(&c, &t);
		r = report(&c, &t);
	}
	json_putp(&c.problems);
	free(c.loads);
	dumpview_close(&v);
	return r < 0 ? r : c.count ? -EBADMSG : 0;
}

int verb_verify(int argc, char **argv)
{
	static const char usage[] =
		"Usage: devsnap verify [--json] DUMP...\n\n"
		"Checks each dump's structure: ELF headers, segments in VA order without\n"
		"overlaps and aligned to their page size, file data used once (or shared by\n"
		"segments of the same physical addresses), notes well formed, DEVSNAP totals\n"
		"and skipped ranges matching the segments.\n"
		"Exit status 0 only if every dump is sound.\n\n"
		"  --json[=pretty|short|off]   one object per dump\n"
		"  --store DIR                 where to look up store IDs\n";
	_cleanup_(cli_json_done) struct cli_json a;
	int r = cli_parse_json(&a, argc, argv, usage);

	if (r)
		return r < 0 ? r : 0;
	if (a.first == a.nargs)
		return log_error("no dump given; see 'devsnap verify --help'");
	for (int i = a.first; i < a.nargs; i++) {
		int q = verify_file(a.args[i], a.json);

		r = r < 0 ? r : q;
	}
	return r;
}
