// SPDX-License-Identifier: MIT
/*
 * devsnap extract: a device VA range as one flat image, saved bytes at
 * their offsets and everything else zero.  The holes are left as holes in
 * a sparse file, so a whole 48-bit space costs only what was saved.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "basic/cleanup.h"
#include "basic/cli.h"
#include "basic/dumpfile.h"
#include "basic/log.h"
#include "basic/parse.h"
#include "basic/units.h"
#include "read/dumpview.h"
#include "read/verbs.h"

static const char usage_text[] =
	"Usage: devsnap extract DUMP [--range START-END] -o FILE [-q]\n\n"
	"Writes the device addresses START to END (exclusive; or START+LEN) as a\n"
	"flat image: byte i of FILE is device VA START + i.  Unmapped and unsaved\n"
	"bytes read as zero (holes in a sparse file).  Without --range, from the\n"
	"lowest mapped VA to the end of the highest.  FILE is created whole or not\n"
	"at all, mode 0600; '-' is standard output, a FIFO or character device is\n"
	"written into (holes as zeros), a symlink is refused.\n\n"
	"  --force   write to standard output even where it is a terminal\n";

struct extract {
	uint64_t start, last; /* device VAs, last inclusive: a range may end at 2^64 */
	uint64_t copied;
};

/* Writes what segment l saved of [x->start, x->last]. */
static int copy_segment(const struct dumpview *v, struct extract *x, struct dumpfile *df,
			const struct devsnap_segment *l)
{
	uint64_t from, to; /* inclusive */
	int r;

	if (!l->file_size)
		return 0;
	from = l->va > x->start ? l->va : x->start;
	to = l->va + (l->file_size - 1) < x->last ? l->va + (l->file_size - 1) : x->last;
	if (from > to)
		return 0;
	r = dumpfile_pwrite(df, v->bytes + l->file_offset + (from - l->va), to - from + 1,
			    from - x->start);
	if (r < 0)
		return log_error_errno(r, "cannot write the bytes at 0x%" PRIx64 " to %s", from,
				       df->path);
	x->copied += to - from + 1;
	return 0;
}

static int copy_saved(const struct dumpview *v, struct extract *x, struct dumpfile *df)
{
	struct devsnap_segment l;
	int r;

	for (uint32_t i = dumpview_first_after(v, x->start); i < v->nsegs; i++) {
		dumpview_load(v, i, &l);
		if (l.va > x->last)
			break;
		r = copy_segment(v, x, df, &l);
		if (r < 0)
			return r;
	}
	r = dumpfile_set_size(df, x->last - x->start + 1);
	if (r < 0)
		return log_error_errno(r, "cannot make %s a %" PRIu64 "-byte image", df->path,
				       x->last - x->start + 1);
	return 0;
}

static int whole_span(const struct dumpview *v, struct extract *x)
{
	struct devsnap_segment first, last;

	if (!v->nsegs)
		return log_error("%s maps nothing", v->path);
	dumpview_load(v, 0, &first);
	dumpview_load(v, v->nsegs - 1, &last); /* segments are disjoint: it ends highest */
	x->start = first.va;
	x->last = last.va + (last.size - 1);
	return 0;
}

/* END of START-END, which is exclusive: "0x10000000000000000" for 2^64. */
static const char *end_string(uint64_t last, char buf[24])
{
	if (last == UINT64_MAX)
		return "0x10000000000000000";
	snprintf(buf, 24, "0x%" PRIx64, last + 1);
	return buf;
}

static int extract(const struct dumpview *v, struct extract *x, const char *out, bool quiet)
{
	char a[BYTES_BUF], b[BYTES_BUF], end[24];
	struct dumpfile df;
	int r;

	if (x->last - x->start >= (uint64_t)INT64_MAX)
		return log_error("0x%" PRIx64 "-%s is too large for one file; narrow --range",
				 x->start, end_string(x->last, end));
	r = dumpfile_create(&df, out, 0600);
	if (r < 0)
		return r;
	r = copy_saved(v, x, &df);
	if (r < 0) {
		dumpfile_discard(&df);
		return r;
	}
	r = dumpfile_commit(&df);
	if (r == 0 && !quiet)
		printf("%s: device VA 0x%" PRIx64 "-%s, %s, %s from the dump, the rest zero\n", out,
		       x->start, end_string(x->last, end), format_bytes(x->last - x->start + 1, a),
		       format_bytes(x->copied, b));
	return r;
}

int verb_extract(int argc, char **argv)
{
	static const struct option options[] = {
		{ "range", required_argument, NULL, 'r' },
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'F' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "store", required_argument, NULL, CLI_OPT_STORE },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	const char *out = NULL, *range = NULL;
	struct extract x = { 0 };
	struct dumpview v;
	bool quiet = false;
	int c, r;
	_cleanup_free_ char **args = cli_operands_last(&argc, argv, options);

	if (!args)
		return log_error_errno(-ENOMEM, "cannot parse the arguments");
	argv = args;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:qh", options, NULL)) != -1) {
		switch (c) {
		case 'r': range = optarg; break;
		case 'o': out = optarg; break;
		case 'F': dumpfile_terminal_ok = true; break;
		case 'q': quiet = true; break;
		case CLI_OPT_STORE: cli_set_store(optarg); break;
		case 'h': return fputs(usage_text, stdout), 0;
		default: return log_error("see 'devsnap extract --help'");
		}
	}
	if (argc - optind != 1 || !out)
		return log_error("give DUMP and -o FILE; see 'devsnap extract --help'");
	quiet |= !strcmp(out, "-"); /* standard output holds the image alone */
	r = range ? parse_range_option("--range", range, &x.start, &x.last) : 0;
	if (r < 0)
		return r;
	r = dumpview_open(&v, argv[optind]);
	if (r < 0)
		return r;
	r = dumpview_disjoint(&v);
	if (r == 0 && !range)
		r = whole_span(&v, &x);
	if (r == 0)
		r = extract(&v, &x, out, quiet);
	dumpview_close(&v);
	return r;
}
