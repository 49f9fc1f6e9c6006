// SPDX-License-Identifier: MIT
/* devsnap capture: a device's address space from a memory source, as a dump. */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "basic/cleanup.h"
#include "basic/dumpfile.h"
#include "basic/log.h"
#include "basic/parse.h"
#include "capture/capture.h"
#include "capture/pci_domain.h"
#include "capture/qemu_cpu.h"
#include "capture/verbs.h"

static const char usage_text[] =
	"Usage: devsnap capture (--memory FILE[@BASE] | --kcore [PATH] | --vmcore FILE)\n"
	"                       (--format FMT --root PA[,PA...] |\n"
	"                        --pci [SEG:]BB:DD.F\n"
	"                        (--vtd-root-table RTADDR | --amd-dev-table PA))\n"
	"                       -o OUT [OPTIONS...]\n\n"
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
	"  --root cr3            with --vmcore of QEMU: CPU 0's CR3, x86_64 or x86_64-5l\n"
	"                        as its CR4.LA57 says\n"
	"  --va-bits N           VA width (default: the format's)\n"
	"  --upper-half          the tables map the sign-extended upper half (TTBR1)\n"
	"  --va-range START-END  capture only these device VAs: END exclusive (2^64 is\n"
	"                        0x10000000000000000), or START+LEN; rounded out to pages\n\n"
	"A PCI function's IOMMU domain (format, root, VA width found in its tables):\n"
	"  --pci [SEG:]BB:DD.F   the function, as lspci names it\n"
	"  --vtd-root-table RTADDR  Intel VT-d: the DMAR unit's RTADDR_REG value\n"
	"  --amd-dev-table PA    AMD-Vi: the device table's physical address\n\n"
	"Dump:\n"
	"  -o, --output OUT      the dump file (written whole or not at all, mode 0600);\n"
	"                        '-': standard output; a FIFO or character device is\n"
	"                        written into, a symlink refused\n"
	"  --force               write to standard output even where it is a terminal\n"
	"  --budget SIZE         most bytes to save (K/M/G suffixes); 0: no limit\n"
	"  --partial             past the budget, save what fits instead of failing\n"
	"  --device NAME, --driver NAME, --reason TEXT   recorded in the dump\n"
	"  --machine M           e_machine: none (default), x86_64, aarch64, riscv or a number,\n"
	"                        for tables a CPU walks (a GPU's firmware core, a kernel's)\n"
	"  -q, --quiet           no progress and no summary\n";

enum {
	OPT_MEMORY = 256, OPT_KCORE, OPT_IOMEM, OPT_KPAGEFLAGS, OPT_VMCORE, OPT_FORMAT, OPT_ROOT,
	OPT_VA_BITS, OPT_UPPER_HALF, OPT_VA_RANGE, OPT_BUDGET, OPT_PARTIAL, OPT_DEVICE,
	OPT_DRIVER, OPT_REASON, OPT_PCI, OPT_VTD_ROOT_TABLE, OPT_AMD_DEV_TABLE, OPT_MACHINE,
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
	{ "pci", required_argument, NULL, OPT_PCI },
	{ "vtd-root-table", required_argument, NULL, OPT_VTD_ROOT_TABLE },
	{ "amd-dev-table", required_argument, NULL, OPT_AMD_DEV_TABLE },
	{ "machine", required_argument, NULL, OPT_MACHINE },
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{}
};

#define CR4_PAE (1ULL << 5)
#define CR4_LA57 (1ULL << 12)
#define CR3_ADDR 0x000ffffffffff000ULL /* PCID and flags below, no-flush above */

enum source_kind { SOURCE_NONE, SOURCE_MEMORY, SOURCE_KCORE, SOURCE_VMCORE };

struct capture_args {
	struct capture_options opt;
	enum source_kind kind;
	const char *source_path;
	uint64_t base;
	struct kcore_paths kcore;
	const char *output;
	bool quiet;
	const char *pci_arg; /* --pci, with the IOMMU's table below */
	enum pci_iommu iommu;
	uint64_t iommu_table;
	bool root_cr3; /* --root cr3 */
	struct ds_pci_function pci_fn;
	struct ds_dump_pci dump_pci;
	char pci_name[13];
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
	return parse_range_option("--va-range", arg, &opt->va_first, &opt->va_last);
}

/* ELF's EM_* by the names users know, or as a number. */
static int parse_machine(struct capture_options *opt, const char *arg)
{
	static const struct {
		const char *name;
		uint16_t em;
	} names[] = { { "none", 0 }, { "x86_64", 62 }, { "aarch64", 183 }, { "riscv", 243 } };
	uint64_t n;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(arg, names[i].name))
			return opt->e_machine = names[i].em, 0;
	if (parse_u64(arg, &n) < 0 || n > 0xffff)
		return log_error("--machine: '%s' is not none, x86_64, aarch64, riscv or an "
				 "e_machine number", arg);
	opt->e_machine = (uint16_t)n;
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
		a->root_cr3 = !strcmp(arg, "cr3");
		return a->root_cr3 ? 0 : parse_roots(&a->opt, arg);
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
	case OPT_PCI:
		a->pci_arg = arg;
		return 0;
	case OPT_MACHINE:
		return parse_machine(&a->opt, arg);
	case OPT_VTD_ROOT_TABLE:
	case OPT_AMD_DEV_TABLE:
		if (a->iommu != PCI_IOMMU_NONE)
			return log_error("give one of --vtd-root-table and --amd-dev-table");
		a->iommu = c == OPT_VTD_ROOT_TABLE ? PCI_IOMMU_VTD : PCI_IOMMU_AMD;
		return parse_number_opt(c == OPT_VTD_ROOT_TABLE ? "vtd-root-table"
								: "amd-dev-table",
					arg, &a->iommu_table, false);
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

/* --pci finds the format, root and VA width; the rest as without it. */
static int check_pci_args(struct capture_args *a)
{
	if (!a->pci_arg)
		return log_error("--vtd-root-table and --amd-dev-table need --pci BB:DD.F");
	if (a->iommu == PCI_IOMMU_NONE)
		return log_error("--pci needs the IOMMU's table: --vtd-root-table RTADDR or "
				 "--amd-dev-table PA");
	if (a->opt.format || a->opt.nroots || a->root_cr3 || a->opt.va_bits || a->opt.upper_half)
		return log_error("--pci finds the format, root and VA width in the IOMMU's tables: "
				 "drop --format, --root, --va-bits and --upper-half");
	if (!a->output)
		return log_error("no output file: give -o OUT");
	if (a->opt.partial && !a->opt.budget)
		return log_error("--partial needs a --budget");
	return parse_pci_function(a->pci_arg, &a->pci_fn);
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
	if (a->pci_arg || a->iommu != PCI_IOMMU_NONE)
		return check_pci_args(a);
	if (a->root_cr3 && a->kind != SOURCE_VMCORE)
		return log_error("--root cr3 needs --vmcore: a QEMU dump-guest-memory file");
	if (!a->opt.format && !a->root_cr3)
		return log_error("no page-table format: give --format ('devsnap formats' lists them)");
	if (!a->opt.nroots && !a->root_cr3)
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

/* The function's domain becomes the tables to walk, and is recorded. */
static int use_pci_domain(struct capture_args *a, const struct source *src)
{
	struct ds_iommu_domain d;
	int r = pci_find_domain(src, a->iommu, a->iommu_table, &a->pci_fn, &d);

	if (r < 0)
		return r;
	a->opt.format = d.format->name;
	a->opt.roots[0] = d.root;
	a->opt.nroots = 1;
	a->opt.va_bits = d.va_bits;
	a->dump_pci.segment = a->pci_fn.segment;
	a->dump_pci.rid = a->pci_fn.rid;
	a->dump_pci.domain_id = d.domain_id;
	a->dump_pci.iommu_table = a->iommu_table & ~0xfffULL;
	a->opt.pci = &a->dump_pci;
	if (!a->opt.device)
		a->opt.device = format_pci_function(&a->pci_fn, a->pci_name);
	return 0;
}

/* CPU 0's tables: CR3, and 4 or 5 levels as CR4.LA57 says. */
static int use_cpu_root(struct capture_args *a)
{
	uint64_t cr3, cr4;
	const char *format;
	int r = qemu_dump_cpu_paging(a->source_path, &cr3, &cr4);

	if (r < 0)
		return r;
	if (!(cr4 & CR4_PAE))
		return log_error("CPU 0 in %s was not in 4- or 5-level paging (CR4 0x%llx)",
				 a->source_path, (unsigned long long)cr4);
	format = cr4 & CR4_LA57 ? "x86_64-5l" : "x86_64";
	if (a->opt.format && strcmp(a->opt.format, format))
		return log_error("--format %s, but CPU 0's CR4.LA57 says %s paging: give --format "
				 "%s, or none", a->opt.format,
				 cr4 & CR4_LA57 ? "5-level" : "4-level", format);
	a->opt.format = format;
	a->opt.roots[0] = cr3 & CR3_ADDR;
	a->opt.nroots = 1;
	return 0;
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
	if (r == 0 && a.pci_arg)
		r = use_pci_domain(&a, &src);
	if (r == 0 && a.root_cr3)
		r = use_cpu_root(&a);
	if (r < 0) {
		source_close(&src);
		return r;
	}
	r = capture_run(&c, &src, &a.opt);
	if (r == 0)
		r = capture_write(&c, a.output, !a.quiet);
	if (r == 0 && !a.quiet)
		capture_print_summary(&c, a.output);
	capture_free(&c);
	source_close(&src);
	return r;
}
