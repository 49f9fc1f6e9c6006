// SPDX-License-Identifier: MIT
/* devsnap capture: a device's address space from a memory source, as a dump. */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "cleanup.h"
#include "dumpfile.h"
#include "log.h"
#include "parse.h"
#include "verbs.h"

static const char usage_text[] =
	"Usage: devsnap capture (--memory FILE[@BASE] | --kcore [PATH] | --vmcore FILE)\n"
	"                       --format FMT --root PA[,PA...] -o OUT [OPTIONS...]\n\n"
	"Walks a device's page tables in a memory source and writes what they map\n"
	"as an ELF core dump.  Only RAM is read; MMIO, offline, hwpoisoned and\n"
	"over-budget pages are kept as empty segments with the reason.\n\n"
	"Sources:\n"
	"  --memory FILE[@BASE]  raw physical-memory image; byte 0 is PA BASE (default 0)\n"
	"  --kcore [PATH]        /proc/kcore, or a copy of it\n"
	"  --iomem FILE          with --kcore: System RAM list (default /proc/iomem)\n"
	"  --kpageflags FILE     with --kcore: page flags (default /proc/kpageflags)\n"
	"  --vmcore FILE         kdump vmcore (ELF or compressed) or QEMU dump-guest-memory\n\n"
	"Tables:\n"
	"  --format FMT          page-table format ('devsnap formats' lists them)\n"
	"  --root PA[,PA...]     physical address of the top table (DART: each TTBR)\n"
	"  --va-bits N           VA width (default: the format's)\n"
	"  --upper-half          the tables map the sign-extended upper half (TTBR1)\n"
	"  --va-range START-END  capture only these device VAs: END exclusive (2^64 is\n"
	"                        0x10000000000000000), or START+LEN; rounded out to pages\n\n"
	"Dump:\n"
	"  -o, --output OUT      the dump file (written whole or not at all, mode 0600);\n"
	"                        '-': standard output; a FIFO or character device is\n"
	"                        written into, a symlink refused\n"
	"  --force               write to standard output even where it is a terminal\n"
	"  --budget SIZE         most bytes to save (K/M/G suffixes); 0: no limit\n"
	"  --partial             past the budget, save what fits instead of failing\n"
	"  --device NAME, --driver NAME, --reason TEXT   recorded in the dump\n"
	"  -q, --quiet           no progress and no summary\n";

enum {
	OPT_MEMORY = 256, OPT_KCORE, OPT_IOMEM, OPT_KPAGEFLAGS, OPT_VMCORE, OPT_FORMAT, OPT_ROOT,
	OPT_VA_BITS, OPT_UPPER_HALF, OPT_VA_RANGE, OPT_BUDGET, OPT_PARTIAL, OPT_DEVICE,
	OPT_DRIVER, OPT_REASON,
	OPT_FORCE,
};

static const struct option long_options[] = {
	{ "memory", required_argument, NULL, OPT_MEMORY },
	{ "kcore", optional_argument, NULL, OPT_KCORE },
	{ "iomem", required_argument, NULL, OPT_IOMEM },
	{ "kpageflags", required_argument, NULL, OPT_KPAGEFLAGS },
	{ "vmcore", required_argument, NULL, OPT_VMCORE },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "root", required_argument, NULL, OPT_ROOT },
	{ "va-bits", required_argument, NULL, OPT_VA_BITS },
	{ "upper-half", no_argument, NULL, OPT_UPPER_HALF },
	{ "va-range", required_argument, NULL, OPT_VA_RANGE },
	{ "budget", required_argument, NULL, OPT_BUDGET },
	{ "partial", no_argument, NULL, OPT_PARTIAL },
	{ "device", required_argument, NULL, OPT_DEVICE },
	{ "driver", required_argument, NULL, OPT_DRIVER },
	{ "reason", required_argument, NULL, OPT_REASON },
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{}
};

enum source_kind { SOURCE_NONE, SOURCE_MEMORY, SOURCE_KCORE, SOURCE_VMCORE };

struct capture_args {
	struct capture_options opt;
	enum source_kind kind;
	const char *source_path;
	uint64_t base;
	struct kcore_paths kcore;
	const char *output;
	bool quiet;
};

/* "FILE@BASE": the last '@' starts BASE only if a number follows it. */
static int parse_memory(struct capture_args *a, char *arg)
{
	char *at = strrchr(arg, '@');

	a->source_path = arg;
	if (at && parse_u64(at + 1, &a->base) == 0)
		*at = '\0';
	return 0;
}

static int parse_roots(struct capture_options *opt, char *arg)
{
	char *save = NULL;

	opt->nroots = 0;
	for (char *tok = strtok_r(arg, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (opt->nroots == DS_MAX_ROOTS)
			return log_error("--root: at most %d tables", DS_MAX_ROOTS);
		if (parse_u64(tok, &opt->roots[opt->nroots++]) < 0)
			return log_error("--root: '%s' is not a physical address", tok);
	}
	return opt->nroots ? 0 : log_error("--root needs a physical address");
}

static int parse_va_range(struct capture_options *opt, const char *arg)
{
	int r = parse_range_last(arg, &opt->va_first, &opt->va_last);

	if (r == -EDOM)
		return log_error("--va-range: '%s' is empty: END is exclusive and must lie above "
				 "START, LEN above 0 (the top of the address space is "
				 "0x10000000000000000)", arg);
	if (r == -ERANGE)
		return log_error("--va-range: '%s' runs past the top of the 64-bit address space, "
				 "0x10000000000000000", arg);
	if (r < 0)
		return log_error("--va-range: '%s' is not START-END (END exclusive) or START+LEN",
				 arg);
	return 0;
}

static int set_source(struct capture_args *a, enum source_kind kind, char *path)
{
	if (a->kind != SOURCE_NONE)
		return log_error("give one memory source: --memory, --kcore or --vmcore");
	a->kind = kind;
	return kind == SOURCE_MEMORY ? parse_memory(a, path) : (a->source_path = path, 0);
}

static int parse_number_opt(const char *name, const char *arg, uint64_t *out, bool size)
{
	if ((size ? parse_size(arg, out) : parse_u64(arg, out)) < 0)
		return log_error("--%s: '%s' is not a %s", name, arg, size ? "size" : "number");
	return 0;
}

static int parse_one(struct capture_args *a, int c, char *arg, int argc, char **argv)
{
	uint64_t n;
	int r;

	switch (c) {
	case OPT_MEMORY:
		return set_source(a, SOURCE_MEMORY, arg);
	case OPT_KCORE:
		/* "--kcore PATH" as well as "--kcore=PATH" */
		if (!arg && optind < argc && argv[optind][0] != '-')
			arg = argv[optind++];
		return set_source(a, SOURCE_KCORE, arg);
	case OPT_VMCORE:
		return set_source(a, SOURCE_VMCORE, arg);
	case OPT_IOMEM:
		a->kcore.iomem = arg;
		return 0;
	case OPT_KPAGEFLAGS:
		a->kcore.kpageflags = arg;
		return 0;
	case OPT_FORMAT:
		a->opt.format = arg;
		return 0;
	case OPT_ROOT:
		return parse_roots(&a->opt, arg);
	case OPT_VA_BITS:
		r = parse_number_opt("va-bits", arg, &n, false);
		if (r == 0 && (n < 1 || n > 64))
			r = log_error("--va-bits: %s is not between 1 and 64", arg);
		a->opt.va_bits = (unsigned)n;
		return r;
	case OPT_UPPER_HALF:
		a->opt.upper_half = true;
		return 0;
	case OPT_VA_RANGE:
		return parse_va_range(&a->opt, arg);
	case OPT_BUDGET:
		return parse_number_opt("budget", arg, &a->opt.budget, true);
	case OPT_PARTIAL:
		a->opt.partial = true;
		return 0;
	case OPT_DEVICE:
		a->opt.device = arg;
		return 0;
	case OPT_DRIVER:
		a->opt.driver = arg;
		return 0;
	case OPT_REASON:
		a->opt.reason = arg;
		return 0;
	case 'o':
		a->output = arg;
		return 0;
	case OPT_FORCE:
		dumpfile_terminal_ok = true;
		return 0;
	case 'q':
		a->quiet = true;
		log_quiet = true; /* and no notes */
		return 0;
	default:
		return log_error("see 'devsnap capture --help'");
	}
}

static int parse_args(struct capture_args *a, int argc, char **argv)
{
	int c, r;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:qh", long_options, NULL)) != -1) {
		if (c == 'h') {
			fputs(usage_text, stdout);
			return 1;
		}
		r = parse_one(a, c, optarg, argc, argv);
		if (r < 0)
			return r;
	}
	if (optind < argc)
		return log_error("unexpected argument '%s'; see 'devsnap capture --help'",
				 argv[optind]);
	if (a->kind == SOURCE_NONE)
		return log_error("no memory source: give --memory, --kcore or --vmcore");
	if (!a->opt.format)
		return log_error("no page-table format: give --format ('devsnap formats' lists them)");
	if (!a->opt.nroots)
		return log_error("no root table: give --root PA");
	if (!a->output)
		return log_error("no output file: give -o OUT");
	if (a->opt.partial && !a->opt.budget)
		return log_error("--partial needs a --budget");
	return 0;
}

static int open_source(struct source *src, struct capture_args *a)
{
	switch (a->kind) {
	case SOURCE_MEMORY:
		return source_open_raw(src, a->source_path, a->base);
	case SOURCE_KCORE:
		a->kcore.kcore = a->source_path;
		return source_open_kcore(src, &a->kcore);
	default:
		return source_open_vmcore(src, a->source_path);
	}
}

/* Where the segment list spills when the output is no new file. */
static const char *spill_dir_default(void)
{
	const char *tmp = getenv("TMPDIR");

	return tmp && tmp[0] ? tmp : "/var/tmp";
}

int verb_capture(int argc, char **argv)
{
	struct capture_args a = { .opt = { .va_last = ~0ULL } };
	_cleanup_free_ char *out_dir = NULL;
	struct source src = { 0 };
	struct capture c;
	int r = parse_args(&a, argc, argv);

	if (r != 0)
		return r < 0 ? r : 0;
	out_dir = strdup(a.output);
	if (!out_dir)
		return log_error_errno(-ENOMEM, "cannot capture");
	/* Beside a new output file, on its filesystem; never in /dev beside a device. */
	a.opt.spill_dir = dumpfile_is_new_file(a.output) ? dirname(out_dir) : spill_dir_default();
	a.quiet |= !strcmp(a.output, "-"); /* standard output holds the dump alone */
	r = open_source(&src, &a);
	if (r < 0)
		return r;
	r = capture_run(&c, &src, &a.opt);
	if (r == 0)
		r = capture_write(&c, a.output, !a.quiet);
	if (r == 0 && !a.quiet)
		capture_print_summary(&c, a.output);
	capture_free(&c);
	source_close(&src);
	return r;
}
