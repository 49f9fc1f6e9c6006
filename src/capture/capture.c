// SPDX-License-Identifier: MIT
/*
 * src/capture/ -- walking a device's page tables in a physical-memory
 * source and writing what it could see as a dump: the sources (source.h:
 * a raw image, /proc/kcore, a vmcore, a QEMU dump's CPU state, an image
 * in process memory), PCI domains found through the IOMMU (pci_domain.h),
 * the segment list and the pipeline that streams it out (this file).  It
 * includes lib/, basic/ and capture/ only.  Entry points: capture_run()
 * (capture.h) and the verb, verb_capture (capture_cli.c).
 *
 * This file: the capture pipeline, snapshot into a segment list, then
 * stream.
 */
#define _GNU_SOURCE /* sync_file_range */
#include "capture/capture.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "basic/cleanup.h"
#include "basic/dumpfile.h"
#include "basic/fdio.h"
#include "basic/log.h"
#include "basic/progress.h"
#include "basic/units.h"
#include "basic/va_widths.h"

static int add_segment(void *opaque, const struct ds_segment *seg)
{
	struct capture *c = opaque;

	return seglist_add(&c->segs, seg);
}

/* The snapshot has one opaque, ours; the source keeps its own. */
static int classify(void *opaque, uint64_t pa, uint64_t size, enum ds_skip_reason *reason,
		    uint64_t *run_len)
{
	const struct capture *c = opaque;

	return c->src->classify(c->src->priv, pa, size, reason, run_len);
}

static int unknown_format(const char *name)
{
	char known[512] = "";
	const struct ds_format *f;

	for (unsigned i = 0; (f = ds_format_at(i)); i++)
		snprintf(known + strlen(known), sizeof(known) - strlen(known), "%s%s",
			 i ? ", " : "", f->name);
	return log_error("unknown page-table format '%s'; known: %s", name, known);
}

static int init_pgtable(struct capture *c, const struct capture_options *opt)
{
	struct ds_pgtable_config cfg = {
		.format = ds_format_find(opt->format),
		.nroots = opt->nroots,
		.va_bits = opt->va_bits,
		.upper_half = opt->upper_half,
		.read_phys = c->src->read_phys,
		.opaque = c->src->priv,
	};
	struct ds_error err = { 0 };
	char widths[64];

	if (!cfg.format)
		return unknown_format(opt->format);
	memcpy(cfg.roots, opt->roots, sizeof(cfg.roots));
	if (opt->va_bits && !ds_format_va_bits_ok(cfg.format, opt->va_bits))
		return log_error("--va-bits %u: %s tables have a VA width of %s bits", opt->va_bits,
				 opt->format,
				 format_va_widths(cfg.format, widths, sizeof(widths)));
	if (ds_pgtable_init(&c->pt, &cfg, &err) < 0)
		return log_error("cannot walk %s tables as given: %s", opt->format, err.what);
	return 0;
}

/* A root that is not RAM in the source would only fail later, less clearly. */
static int check_roots(const struct capture *c)
{
	for (unsigned i = 0; i < c->pt.cfg.nroots; i++) {
		uint64_t root = c->pt.cfg.roots[i], run;
		enum ds_skip_reason why;
		int r = c->src->classify(c->src->priv, root, 8, &why, &run);

		if (r < 0)
			return log_error_errno(r, "cannot check root table 0x%llx in %s",
					       (unsigned long long)root, c->src->name);
		if (why != DS_SAVED)
			return log_error("root table 0x%llx lies outside the RAM of %s (%s)",
					 (unsigned long long)root, c->src->name,
					 ds_skip_reason_name(why));
	}
	return 0;
}

/* The walker's own verdicts on the tables, and a PA the source does not
 * hold: e->what says it all.  Anything else is the source failing. */
static bool table_verdict(int err)
{
	return err == -EINVAL || err == -ELOOP || err == -E2BIG || err == -EFAULT;
}

/* An inclusive last address as --va-range's exclusive END, 2^64 included. */
static const char *range_end(uint64_t last, char buf[24])
{
	if (last == UINT64_MAX)
		return "0x10000000000000000";
	snprintf(buf, 24, "0x%llx", (unsigned long long)last + 1);
	return buf;
}

static int snapshot_failed(const struct capture *c, int err, const struct capture_options *opt)
{
	const struct ds_error *e = &c->snap.error;
	char need[BYTES_BUF], budget[BYTES_BUF], end[24], where[128] = "";
	int n = 0;

	/* Refused before any table was read: only --va-range can be wrong. */
	if (err == -EINVAL && !c->snap.walk.tables_visited)
		return log_error("--va-range 0x%llx-%s: %s", (unsigned long long)opt->va_first,
				 range_end(opt->va_last, end), e->what), err;
	if (err == -E2BIG && !c->snap.walk.err)
		return log_error("the mapped RAM needs %s (%llu bytes), over --budget %s; raise "
				 "--budget or add --partial to save what fits",
				 format_bytes(c->snap.totals.needed, need),
				 (unsigned long long)c->snap.totals.needed,
				 format_bytes(opt->budget, budget)), err;
	if (e->va != DS_NO_ADDR)
		n += snprintf(where + n, sizeof(where) - (size_t)n, " at VA 0x%llx",
			      (unsigned long long)e->va);
	if (e->pa != DS_NO_ADDR)
		n += snprintf(where + n, sizeof(where) - (size_t)n, ", PA 0x%llx",
			      (unsigned long long)e->pa);
	if (e->height >= 0)
		snprintf(where + n, sizeof(where) - (size_t)n, ", level %d of %u (0: top)",
			 (int)c->pt.levels - 1 - e->height, c->pt.levels);
	if ((c->snap.walk.err || err == -EINVAL) && table_verdict(err))
		return log_error("%s tables in %s: %s%s", opt->format, c->src->name,
				 e->what ? e->what : "walk failed", where), err;
	if (c->snap.walk.err)
		return log_error_errno(err, "%s tables in %s: %s%s", opt->format, c->src->name,
				       e->what ? e->what : "walk failed", where);
	return log_error_errno(err, "%s%s", e->what ? e->what : "capture failed", where);
}

static void fill_info(struct capture *c, const struct capture_options *opt)
{
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	c->info = (struct ds_dump_info){
		.device = opt->device, .driver = opt->driver, .reason = opt->reason,
		.pt = &c->pt, .pci = opt->pci, .e_machine = opt->e_machine,
		.time_ns = (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec,
	};
}

static int read_data(void *opaque, const struct ds_segment *seg, uint64_t off, void *buf,
		     size_t len)
{
	struct capture *c = opaque;
	int r = c->src->read_phys(c->src->priv, seg->pa + off, buf, len);

	if (r < 0)
		c->bad_pa = seg->pa + off;
	return r;
}

/* The index lets the writer store each physical range once: a page
 * mapped at many VAs is read from the source and written only once.  One
 * entry a segment, no radix scratch: with it, capturing 1 GiB of scattered
 * 4K pages measured 3.5 GiB/s against 5.5 without (make bench). */
static int layout(struct capture *c)
{
	int r;

	c->index = reallocarray(NULL, c->segs.n ? c->segs.n : 1, sizeof(*c->index));
	if (!c->index)
		return log_error_errno(-ENOMEM, "cannot lay out a dump of %zu segments", c->segs.n);
	c->writer = (struct ds_dump_writer){
		.info = &c->info, .segs = c->segs.segs, .nsegs = c->segs.n,
		.read_data = read_data, .opaque = c,
		.index = c->index, .index_cap = c->segs.n,
	};
	r = ds_dump_layout(&c->writer);
	if (r < 0)
		return log_error_errno(r, "cannot lay out a dump of %zu segments", c->segs.n);
	return 0;
}

/* lib/ rounds a range out to whole pages: say so, in --va-range's own terms. */
#define IMPLAUSIBLE_MIN_ENTRIES 64 /* too few to judge below this */

static void note_rounded_range(const struct capture *c, const struct capture_options *opt)
{
	const struct ds_snapshot *s = &c->snap;
	char end[24];

	if (opt->va_first > opt->va_last ||
	    (s->va_first == opt->va_first && s->va_last == opt->va_last))
		return;
	log_info("--va-range rounded out to whole %u KiB pages: 0x%llx-%s",
		 1u << (c->pt.fmt->page_shift - 10), (unsigned long long)s->va_first,
		 range_end(s->va_last, end));
}

/* Tables of another format, or a root that is no table, read as entries
 * that are neither empty nor valid: warn where most are, since the capture
 * itself may look sound.  Real tables clear what they unmap. */
static void warn_implausible_tables(const struct capture *c)
{
	const struct ds_walk *w = &c->snap.walk;

	if (w->entries_visited < IMPLAUSIBLE_MIN_ENTRIES ||
	    w->entries_invalid * 2 <= w->entries_visited)
		return;
	log_warn("warning: %llu of the %llu table entries read are neither empty nor valid %s "
		 "entries: are --format, --va-bits and --root right?",
		 (unsigned long long)w->entries_invalid, (unsigned long long)w->entries_visited,
		 c->pt.fmt->name);
}

int capture_run(struct capture *c, struct source *src, const struct capture_options *opt)
{
	struct ds_snapshot_config cfg = {
		.va_first = opt->va_first, .va_last = opt->va_last,
		.budget = opt->budget, .partial = opt->partial,
		.classify = classify, .add_segment = add_segment, .opaque = c,
	};
	_cleanup_free_ struct ds_seen_page *seen = NULL;
	int r;

	memset(c, 0, sizeof(*c));
	c->src = src;
	seglist_init(&c->segs, opt->spill_dir, opt->spill_after);
	r = init_pgtable(c, opt);
	if (r == 0)
		r = check_roots(c);
	if (r < 0)
		return r;
	cfg.pt = &c->pt;
	/* A page at several VAs costs the budget once; at most 256 MiB, touched as used. */
	if (opt->budget) {
		cfg.seen_slots = ds_seen_slots(opt->budget, 1ULL << c->pt.fmt->page_shift);
		cfg.seen_slots = cfg.seen_slots < (1ULL << 24) ? cfg.seen_slots : 1ULL << 24;
		cfg.seen = seen = calloc(cfg.seen_slots, sizeof(*seen));
		if (!seen)
			return log_error_errno(-ENOMEM, "no memory for the set of pages saved");
	}
	r = ds_snapshot_run(&c->snap, &cfg);
	if (r < 0)
		return snapshot_failed(c, r, opt);
	note_rounded_range(c, opt);
	warn_implausible_tables(c);
	fill_info(c, opt);
	return layout(c);
}

/* With writeback, each chunk goes to disk as soon as it is written: the
 * disk works while the capture goes on, and the final fsync finds little
 * left (on a 1 GiB capture, the whole write took ~40% less). */
static int stream_chunks(struct capture *c, int fd, const char *out, uint8_t *buf,
			 struct progress *p, bool writeback)
{
	for (uint64_t off = 0; off < c->writer.size;) {
		int64_t n = ds_dump_read(&c->writer, off, buf, CAPTURE_CHUNK);
		int r;

		if (n < 0)
			return log_error_errno((int)n, "cannot read physical address 0x%llx from %s",
					       (unsigned long long)c->bad_pa, c->src->name);
		if (n == 0)
			return log_error_errno(-EIO, "the dump ended at %llu of %llu bytes",
					       (unsigned long long)off,
					       (unsigned long long)c->writer.size);
		r = write_all(fd, buf, (size_t)n);
		if (r < 0)
			return log_error_errno(r, "cannot write %s", out);
		if (writeback)
			sync_file_range(fd, (off_t)off, n, SYNC_FILE_RANGE_WRITE); /* a hint */
		off += (uint64_t)n;
		progress_update(p, off, progress_now());
	}
	return 0;
}

/* out names fd in messages. */
static int stream(struct capture *c, int fd, const char *out, bool progress, bool writeback)
{
	_cleanup_free_ uint8_t *buf = malloc(CAPTURE_CHUNK);
	struct progress p;
	int r;

	progress_begin(&p, progress && isatty(STDERR_FILENO) ? stderr : NULL, c->writer.size,
		       progress_now());
	if (!buf)
		return log_error_errno(-ENOMEM, "cannot write %s", out);
	r = stream_chunks(c, fd, out, buf, &p, writeback);
	progress_end(&p);
	return r;
}

int capture_stream(struct capture *c, int fd, bool progress)
{
	return stream(c, fd, "the output", progress, false);
}

int capture_write(struct capture *c, const char *path, bool progress)
{
	struct dumpfile df;
	int r = dumpfile_create(&df, path, 0600);

	if (r < 0)
		return r;
	r = stream(c, df.fd, df.path, progress, df.replace);
	if (r < 0) {
		dumpfile_discard(&df);
		return r;
	}
	return dumpfile_commit(&df);
}

void capture_free(struct capture *c)
{
	free(c->index);
	c->index = NULL;
	seglist_free(&c->segs);
}

void capture_print_summary(const struct capture *c, const char *path)
{
	const struct ds_snapshot_totals *t = &c->snap.totals;
	char a[BYTES_BUF], b[BYTES_BUF];

	printf("%s: %s tables, %llu %s, %s mapped, %s saved", path, c->pt.fmt->name,
	       (unsigned long long)c->segs.n, plural(c->segs.n, "segment", "segments"),
	       format_bytes(t->mapped, a), format_bytes(t->saved, b));
	if (c->writer.nshared)
		printf(" (%s in the file: %u %s share pages)", format_bytes(c->writer.file_bytes, a),
		       c->writer.nshared, plural(c->writer.nshared, "alias", "aliases"));
	putchar('\n');
	for (unsigned why = DS_SAVED + 1; why < DS_SKIP_REASON_COUNT; why++)
		if (t->skipped[why])
			printf("  skipped %s: %s\n", ds_skip_reason_name(why),
			       format_bytes(t->skipped[why], a));
}
