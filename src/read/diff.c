// SPDX-License-Identifier: MIT
/*
 * devsnap diff A B: how a device's address space changed between two
 * dumps.  Both segment lists are swept together in VA order, cut wherever
 * either changes, so dumps that split the same memory differently still
 * line up.  Exit status as diff(1): 0 same, 1 different, 2 trouble.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "basic/cleanup.h"
#include "basic/cli.h"
#include "basic/json_out.h"
#include "basic/log.h"
#include "basic/units.h"
#include "read/diff.h"
#include "read/verbs.h"

enum change {
	ADDED, REMOVED, REMAPPED, REATTRIBUTED, CHANGED, SAVED_ONLY_A, SAVED_ONLY_B, NCHANGES
};

static const char *const change_names[NCHANGES] = {
	"added", "removed", "remapped", "attributes", "changed", "saved-only-in-a",
	"saved-only-in-b",
};
/* The same as --json keys, snake_case as every key. */
static const char *const change_keys[NCHANGES] = {
	"added", "removed", "remapped", "attributes", "changed", "saved_only_in_a",
	"saved_only_in_b",
};

struct side {
	const struct dumpview *v;
	uint32_t i;
	struct devsnap_segment l;
	bool has;
};

/* A piece of VA space [va, last] and what each dump has there. */
struct piece {
	uint64_t va, last;
	const struct side *a, *b; /* NULL where that dump maps nothing */
};

struct diff {
	bool json;
	struct json_object *rows[NCHANGES];
	uint64_t counts[NCHANGES], identical;
};

static uint64_t seg_last(const struct devsnap_segment *l)
{
	return l->va + (l->size - 1);
}

/* Moves s to the first segment not wholly below pos. */
static void side_seek(struct side *s, uint64_t pos)
{
	while (s->has && seg_last(&s->l) < pos) {
		s->has = ++s->i < s->v->nsegs;
		if (s->has)
			dumpview_load(s->v, s->i, &s->l);
	}
}

static void side_init(struct side *s, const struct dumpview *v)
{
	*s = (struct side){ .v = v, .has = v->nsegs > 0 };
	if (s->has)
		dumpview_load(v, 0, &s->l);
}

static uint64_t pa_at(const struct devsnap_segment *l, uint64_t va)
{
	return l->pa + (va - l->va);
}

/* Saved data is a prefix of each segment. */
static bool saved_through(const struct devsnap_segment *l, uint64_t last)
{
	return last - l->va < l->file_size;
}

static const uint8_t *bytes_at(const struct side *s, uint64_t va)
{
	return s->v->bytes + s->l.file_offset + (va - s->l.va);
}

/* Differing bytes in the piece, and the first one's VA. */
static uint64_t count_changed(const struct piece *p, uint64_t *first)
{
	const uint8_t *a = bytes_at(p->a, p->va), *b = bytes_at(p->b, p->va);
	uint64_t len = p->last - p->va + 1, n = 0;

	for (uint64_t off = 0; off < len; off += 4096) {
		uint64_t chunk = len - off < 4096 ? len - off : 4096;

		if (!memcmp(a + off, b + off, chunk))
			continue;
		for (uint64_t i = off; i < off + chunk; i++)
			if (a[i] != b[i] && !n++)
				*first = p->va + i;
	}
	return n;
}

static void report(struct diff *d, enum change c, const struct piece *p, const char *detail,
		   struct json_object *row)
{
	char size[BYTES_BUF];

	d->counts[c]++;
	if (d->json) {
		json_add_hex(row, "va", p->va);
		json_add_u64(row, "size", p->last - p->va + 1);
		json_object_array_add(d->rows[c], row);
		return;
	}
	printf("%-15s  0x%016" PRIx64 "  %10s  %s\n", change_names[c], p->va,
	       format_bytes(p->last - p->va + 1, size), detail);
}

/* A piece only one dump maps. */
static void one_side(struct diff *d, const struct piece *p, enum change c)
{
	const struct devsnap_segment *l = c == ADDED ? &p->b->l : &p->a->l;
	struct json_object *row = d->json ? json_object_new_object() : NULL;
	char detail[64], perm[4];

	snprintf(detail, sizeof(detail), "PA 0x%" PRIx64 " %s", pa_at(l, p->va),
		 dump_perm_string(l->p_flags, perm));
	if (row) {
		json_add_hex(row, "pa", pa_at(l, p->va));
		json_add_str(row, "perm", perm);
	}
	report(d, c, p, detail, row);
}

/* Another physical address: other memory, so its bytes are not compared. */
static bool remapped(struct diff *d, const struct piece *p)
{
	uint64_t pa_a = pa_at(&p->a->l, p->va), pa_b = pa_at(&p->b->l, p->va);
	struct json_object *row;
	char detail[64];

	if (pa_a == pa_b)
		return false;
	snprintf(detail, sizeof(detail), "PA 0x%" PRIx64 " -> 0x%" PRIx64, pa_a, pa_b);
	row = d->json ? json_object_new_object() : NULL;
	if (row) {
		json_add_hex(row, "old_pa", pa_a);
		json_add_hex(row, "new_pa", pa_b);
	}
	report(d, REMAPPED, p, detail, row);
	return true;
}

/* The same memory with other permissions or PTE bits. */
static void reattributed(struct diff *d, const struct piece *p)
{
	const struct devsnap_segment *a = &p->a->l, *b = &p->b->l;
	struct json_object *row;
	char detail[96], pa[4], pb[4];

	if (a->p_flags == b->p_flags)
		return;
	dump_perm_string(a->p_flags, pa);
	dump_perm_string(b->p_flags, pb);
	snprintf(detail, sizeof(detail), "%s -> %s, PTE bits 0x%" PRIx64 " -> 0x%" PRIx64, pa, pb,
		 a->pte_bits, b->pte_bits);
	row = d->json ? json_object_new_object() : NULL;
	if (row) {
		json_add_str(row, "old_perm", pa);
		json_add_str(row, "new_perm", pb);
		json_add_hex(row, "old_pte_bits", a->pte_bits);
		json_add_hex(row, "new_pte_bits", b->pte_bits);
	}
	report(d, REATTRIBUTED, p, detail, row);
}

/* Both map the piece the same way: compare what both saved. */
static void compare_bytes(struct diff *d, const struct piece *p)
{
	bool in_a = saved_through(&p->a->l, p->last), in_b = saved_through(&p->b->l, p->last);
	struct json_object *row;
	uint64_t first = 0, n;
	char detail[96];

	if (in_a != in_b) {
		report(d, in_a ? SAVED_ONLY_A : SAVED_ONLY_B, p, "",
		       d->json ? json_object_new_object() : NULL);
		return;
	}
	n = in_a ? count_changed(p, &first) : 0;
	if (!n) {
		d->identical += p->a->l.p_flags == p->b->l.p_flags;
		return;
	}
	snprintf(detail, sizeof(detail), "%" PRIu64 " %s, the first at 0x%" PRIx64, n,
		 plural(n, "byte differs", "bytes differ"), first);
	row = d->json ? json_object_new_object() : NULL;
	if (row) {
		json_add_u64(row, "bytes", n);
		json_add_hex(row, "first", first);
	}
	report(d, CHANGED, p, detail, row);
}

static void diff_piece(struct diff *d, const struct piece *p)
{
	if (!p->a)
		one_side(d, p, ADDED);
	else if (!p->b)
		one_side(d, p, REMOVED);
	else if (!remapped(d, p)) {
		reattributed(d, p);
		compare_bytes(d, p);
	}
}

/* The next piece at or after pos: where one dump's coverage starts or ends. */
static void next_piece(struct side *a, struct side *b, uint64_t pos, struct piece *p)
{
	uint64_t a_va = a->has ? (a->l.va > pos ? a->l.va : pos) : UINT64_MAX;
	uint64_t b_va = b->has ? (b->l.va > pos ? b->l.va : pos) : UINT64_MAX;
	uint64_t a_last = a->has ? seg_last(&a->l) : UINT64_MAX;
	uint64_t b_last = b->has ? seg_last(&b->l) : UINT64_MAX;

	*p = (struct piece){ .a = a, .b = b };
	if (a->has && (!b->has || a_va < b_va)) {
		p->va = a_va;
		p->last = b->has && b_va - 1 < a_last ? b_va - 1 : a_last;
		p->b = NULL;
	} else if (!a->has || b_va < a_va) {
		p->va = b_va;
		p->last = a->has && a_va - 1 < b_last ? a_va - 1 : b_last;
		p->a = NULL;
	} else {
		p->va = a_va;
		p->last = a_last < b_last ? a_last : b_last;
	}
}

static void sweep(struct diff *d, const struct dumpview *va, const struct dumpview *vb)
{
	struct side a, b;
	struct piece p;
	uint64_t pos = 0;

	side_init(&a, va);
	side_init(&b, vb);
	while (a.has || b.has) {
		next_piece(&a, &b, pos, &p);
		diff_piece(d, &p);
		if (p.last == UINT64_MAX)
			break;
		pos = p.last + 1;
		side_seek(&a, pos);
		side_seek(&b, pos);
	}
}

/* What diff --json prints; takes d's rows. */
static struct json_object *diff_json(struct diff *d)
{
	struct json_object *o = json_object_new_object();

	for (unsigned c = 0; c < NCHANGES; c++) {
		json_object_object_add(o, change_keys[c], d->rows[c]);
		d->rows[c] = NULL;
	}
	json_add_u64(o, "identical", d->identical);
	return o;
}

static int print_summary(struct diff *d)
{
	_cleanup_json_ struct json_object *o = NULL;

	if (!d->json) {
		printf("%" PRIu64 " added, %" PRIu64 " removed, %" PRIu64 " remapped, %" PRIu64
		       " with other attributes, %" PRIu64 " with changed bytes, %" PRIu64
		       " saved in one dump only, %" PRIu64 " identical\n",
		       d->counts[ADDED], d->counts[REMOVED], d->counts[REMAPPED],
		       d->counts[REATTRIBUTED], d->counts[CHANGED],
		       d->counts[SAVED_ONLY_A] + d->counts[SAVED_ONLY_B], d->identical);
		return fflush(stdout) ? -EIO : 0;
	}
	o = diff_json(d);
	return json_print(o);
}

struct json_object *dump_diff_json(const struct dumpview *a, const struct dumpview *b)
{
	struct diff d = { .json = true };

	for (unsigned c = 0; c < NCHANGES; c++)
		d.rows[c] = json_object_new_array();
	sweep(&d, a, b);
	return diff_json(&d);
}

static int run_diff(struct diff *d, const char *path_a, const char *path_b)
{
	struct dumpview a, b;
	int r = dumpview_open(&a, path_a);

	if (r < 0)
		return r;
	r = dumpview_disjoint(&a);
	if (r == 0)
		r = dumpview_open(&b, path_b);
	if (r < 0) {
		dumpview_close(&a);
		return r;
	}
	r = dumpview_disjoint(&b);
	if (r < 0) {
		dumpview_close(&a);
		dumpview_close(&b);
		return r;
	}
	for (unsigned c = 0; c < NCHANGES && d->json; c++)
		d->rows[c] = json_object_new_array();
	sweep(d, &a, &b);
	r = print_summary(d);
	dumpview_close(&a);
	dumpview_close(&b);
	return r;
}

int verb_diff(int argc, char **argv)
{
	static const char usage[] =
		"Usage: devsnap diff [--json] A B\n\n"
		"Compares two dumps by device VA: ranges added in B, removed from A,\n"
		"remapped to another PA, given other permissions or PTE bits, saved in\n"
		"one dump only, and how many bytes changed in each range.\n"
		"Exit status: 0 same, 1 different, 2 trouble.\n\n"
		"  --json[=pretty|short|off]   one object: an array per kind of change\n"
		"  --store DIR                 where to look up store IDs\n";
	_cleanup_(cli_json_done) struct cli_json a;
	struct diff d = { 0 };
	int r = cli_parse_json(&a, argc, argv, usage);

	if (r)
		return r < 0 ? 2 : 0;
	if (a.nargs - a.first != 2)
		return log_error("give two dumps; see 'devsnap diff --help'"), 2;
	d.json = a.json;
	r = run_diff(&d, a.args[a.first], a.args[a.first + 1]);
	for (unsigned i = 0; i < NCHANGES; i++)
		json_putp(&d.rows[i]);
	if (r < 0)
		return 2;
	for (unsigned i = 0; i < NCHANGES; i++)
		if (d.counts[i])
			return 1;
	return 0;
}
