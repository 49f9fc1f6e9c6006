// SPDX-License-Identifier: MIT
/*
 * devsnap demo: the built-in example.  Builds a small device address space
 * in memory (firmware log, command ring, framebuffer, a block mapping, an
 * MMIO window, a page outside RAM), captures it through the same pipeline
 * as `devsnap capture`, writes the dump and shows what it holds.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "basic/dumpfile.h"
#include "basic/log.h"
#include "basic/units.h"
#include "capture/capture.h"
#include "capture/memimage.h"
#include "read/dumpinfo.h"
#include "verbs.h"

#define DEMO_RAM_BASE 0x80000000ULL /* RAM starts at 2 GiB, as on many SoCs */
#define DEMO_RAM_SIZE (8ULL << 20)
#define DEMO_MMIO_PA 0xfe000000ULL   /* a register window: never read */
#define DEMO_HOLE_PA 0x100000000ULL  /* past the end of RAM */
#define DEMO_BLOCK_MAX (2ULL << 20)  /* larger blocks would bloat the example */
#define RW (DS_PROT_PR | DS_PROT_PW | DS_PROT_UR | DS_PROT_UW)

struct demo {
	struct memimage mem;
	struct ds_pgtable pt;
	uint64_t page, va_base;
	struct {
		const char *what;
		uint64_t va, size;
	} parts[16];
	unsigned nparts;
};

static int demo_map(struct demo *d, const char *what, uint64_t va, uint64_t pa, uint64_t size,
		    unsigned height, uint8_t mem)
{
	struct ds_attrs attrs = { .prot = RW, .mem = mem };
	int r = ds_build_map(&d->pt, &memimage_build_ops, &d->mem, va, pa, size, height, &attrs);

	if (r < 0)
		return log_error_errno(r, "cannot map the example's %s in %s tables", what,
				       d->pt.fmt->name);
	d->parts[d->nparts].what = what;
	d->parts[d->nparts].va = va;
	d->parts[d->nparts++].size = size;
	return 0;
}

static uint8_t *ram_at(struct demo *d, uint64_t pa)
{
	return d->mem.bytes + (pa - DEMO_RAM_BASE);
}

static void fill_firmware_log(struct demo *d, uint64_t pa, uint64_t size)
{
	static const char *const lines[] = {
		"[    0.000000] fw: boot, version 13.5.2",
		"[    0.000412] fw: power domains up",
		"[    1.203311] fw: job 4417 submitted on ring 0",
		"[    1.204007] fw: ASSERTION FAILED: ring 0 head 0x1a0 past tail 0x180",
		"[    1.204010] fw: halting",
	};
	char *p = (char *)ram_at(d, pa);
	size_t used = 0;

	for (unsigned i = 0; i < DS_ARRAY_SIZE(lines); i++)
		used += (size_t)snprintf(p + used, size - used, "%s\n", lines[i]);
}

/* 64-byte commands: "CMD" and a sequence number, then the job id. */
static void fill_ring_page(struct demo *d, uint64_t pa, uint64_t first_seq)
{
	for (uint64_t off = 0; off < d->page; off += 64) {
		uint8_t *cmd = ram_at(d, pa + off);

		snprintf((char *)cmd, 64, "CMD %06" PRIu64 " job 4417", first_seq + off / 64);
	}
}

/* A gradient: pixel (x, y) of a 256-wide 32-bit surface is 0xffRRGG00. */
static void fill_framebuffer(struct demo *d, uint64_t pa, uint64_t size)
{
	uint32_t *px = (uint32_t *)ram_at(d, pa);

	for (uint64_t i = 0; i < size / 4; i++)
		px[i] = 0xff000000u | (uint32_t)(i % 256) << 16 | (uint32_t)(i / 256 % 256) << 8;
}

static int build_buffers(struct demo *d)
{
	uint64_t P = d->page, va = d->va_base, pa = DEMO_RAM_BASE;
	int r;

	fill_firmware_log(d, pa, 2 * P);
	r = demo_map(d, "firmware log", va, pa, 2 * P, 0, DS_MEM_CACHED);
	/* The ring's pages are scattered in RAM, in reverse order. */
	for (unsigned i = 0; i < 4 && r == 0; i++) {
		uint64_t page_pa = pa + (14 - 2 * i) * P;

		fill_ring_page(d, page_pa, i * P / 64);
		r = demo_map(d, "command ring (pages scattered in RAM)", va + (16 + i) * P, page_pa,
			     P, 0, DS_MEM_CACHED);
	}
	if (r == 0) {
		fill_framebuffer(d, pa + 32 * P, 16 * P);
		r = demo_map(d, "framebuffer (uncached)", va + 32 * P, pa + 32 * P, 16 * P, 0, DS_MEM_UNCACHED);
	}
	if (r == 0)
		r = demo_map(d, "MMIO registers (device memory: never read)", va + 64 * P,
			     DEMO_MMIO_PA, P, 0, DS_MEM_DEVICE);
	if (r == 0)
		r = demo_map(d, "a page outside RAM", va + 66 * P, DEMO_HOLE_PA, P, 0, DS_MEM_CACHED);
	return r;
}

/* One block-sized leaf, where the format has blocks small enough. */
static int build_block(struct demo *d)
{
	uint64_t size = ds_leaf_size(&d->pt, 1), pa = DEMO_RAM_BASE + (4ULL << 20);

	if (!(d->pt.fmt->leaf_heights & 2) || size > DEMO_BLOCK_MAX)
		return 0;
	for (uint64_t off = 0; off < size; off += 16)
		snprintf((char *)ram_at(d, pa + off), 16, "heap %08" PRIx64, off);
	return demo_map(d, "heap (one block)", d->va_base + (64ULL << 20), pa, size, 1,
			DS_MEM_CACHED);
}

static int demo_build(struct demo *d, const char *format)
{
	struct ds_pgtable_config cfg = {
		.format = ds_format_find(format), .nroots = 1,
		.read_phys = memimage_read, .opaque = &d->mem,
	};
	struct ds_error err = { 0 };
	int r;

	if (!cfg.format)
		return log_error("unknown page-table format '%s'; 'devsnap formats' lists them",
				 format);
	if (memimage_init(&d->mem, DEMO_RAM_BASE, DEMO_RAM_SIZE) < 0)
		return log_error_errno(-ENOMEM, "cannot build the example");
	if (ds_pgtable_init(&d->pt, &cfg, &err) < 0)
		return log_error("cannot build %s tables: %s", format, err.what);
	r = ds_build_roots(&d->pt, &memimage_build_ops, &d->mem);
	if (r < 0)
		return log_error_errno(r, "cannot build %s tables", format);
	d->page = 1ULL << d->pt.fmt->page_shift;
	d->va_base = ds_pgtable_canonical_va(&d->pt, 1ULL << (d->pt.cfg.va_bits - 2));
	r = build_buffers(d);
	return r < 0 ? r : build_block(d);
}

static void print_parts(const struct demo *d)
{
	char size[BYTES_BUF];

	printf("An example device address space in %s tables, root at PA 0x%" PRIx64 ":\n",
	       d->pt.fmt->name, d->pt.cfg.roots[0]);
	for (unsigned i = 0; i < d->nparts; i++)
		printf("  0x%016" PRIx64 "  %10s  %s\n", d->parts[i].va,
		       format_bytes(d->parts[i].size, size), d->parts[i].what);
	putchar('\n');
}

/* What a user would run next: info and maps of the new dump. */
static int demo_show(const char *out)
{
	struct dumpview v;
	int r = dumpview_open(&v, out);

	if (r < 0)
		return r;
	printf("\n$ devsnap info %s\n", out);
	r = dump_info_print(&v, false);
	if (r == 0) {
		printf("\n$ devsnap maps %s\n", out);
		r = dump_maps_print(&v, false);
	}
	dumpview_close(&v);
	return r;
}

static int demo_capture(struct demo *d, const char *out, bool quiet, bool reread)
{
	struct capture_options opt = {
		.format = d->pt.fmt->name, .nroots = 1, .va_last = ~0ULL,
		.device = "demo-gpu", .driver = "devsnap-demo",
		.reason = "built-in example: firmware assertion",
	};
	struct source src;
	struct capture c;
	int r;

	opt.roots[0] = d->pt.cfg.roots[0];
	if (!quiet)
		print_parts(d);
	source_open_memimage(&src, &d->mem);
	r = capture_run(&c, &src, &opt);
	if (r == 0)
		r = capture_write(&c, out, !quiet);
	if (r == 0 && !quiet)
		capture_print_summary(&c, out);
	/* info and maps read the dump back: only a file can be. */
	if (r == 0 && !quiet && reread)
		r = demo_show(out);
	capture_free(&c);
	source_close(&src);
	return r;
}

int verb_demo(int argc, char **argv)
{
	static const struct option options[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'F' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	const char *format = "arm64-4k", *out = "devsnap-demo.core";
	struct demo d = { 0 };
	bool quiet = false;
	int c, r;

	optind = 1;
	while ((c = getopt_long(argc, argv, "f:o:qh", options, NULL)) != -1) {
		switch (c) {
		case 'f': format = optarg; break;
		case 'o': out = optarg; break;
		case 'F': dumpfile_terminal_ok = true; break;
		case 'q': quiet = true; break;
		case 'h':
			puts("Usage: devsnap demo [--format FMT] [-o OUT] [--force] [-q]\n\n"
			     "Builds an example device address space in memory, captures it into\n"
			     "OUT (default devsnap-demo.core) and shows what the dump holds.\n"
			     "OUT is written as capture's -o is: '-' is standard output (then\n"
			     "nothing else is printed there), a symlink is refused.");
			return 0;
		default:
			return log_error("see 'devsnap demo --help'");
		}
	}
	if (optind < argc)
		return log_error("demo takes no arguments; see 'devsnap demo --help'");
	quiet |= !strcmp(out, "-"); /* standard output holds the dump alone */
	r = demo_build(&d, format);
	if (r == 0)
		r = demo_capture(&d, out, quiet, dumpfile_is_new_file(out));
	memimage_free(&d.mem);
	return r;
}
