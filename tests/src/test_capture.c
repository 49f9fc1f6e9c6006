// SPDX-License-Identifier: MIT
/*
 * devsnap capture, end to end: tables built in memory, written as raw
 * images, ELF vmcores, QEMU dumps, kcore copies and kdump-compressed
 * files; the CLI run on them; every segment, reason and byte of the dump
 * it writes checked.  Bad input must end in one line, exit status 1 and
 * no output file.  Device memory and a failing source are checked in
 * process, through a source that watches every read.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "capture/capture.h"
#include "capture/source_file.h"
#include "capture_fixture.h"

#define K4 0x1000ULL
#define K16 0x4000ULL
#define M1 0x100000ULL
#define M2 0x200000ULL
#define G1 0x40000000ULL
#define NO_PA (~0ULL)
#define INFO_UPPER_HALF 1u /* DEVSNAP INFO flags: the tables map the upper half */

static struct cfx fx;

static int teardown(void **state)
{
	if (fx.dir[0])
		cfx_teardown(&fx);
	fx.dir[0] = '\0';
	return 0;
}

static uint64_t root(void)
{
	return fx.pt.cfg.roots[0];
}

/* devsnap capture SOURCE_OPT SOURCE --format FMT --root ROOTS [EXTRA] -o
 * out.core, the table's format and roots, EXTRA split at spaces: the exit
 * status. */
static int capture(const char *source_opt, const char *source, const char *extra)
{
	char roots[128] = "", words[512];
	char *args[32] = { "capture", (char *)source_opt, (char *)source, "--format",
			   (char *)fx.pt.fmt->name, "--root", roots };
	unsigned n = 7;

	for (unsigned i = 0; i < fx.pt.cfg.nroots; i++)
		snprintf(roots + strlen(roots), sizeof(roots) - strlen(roots), "%s%s", i ? "," : "",
			 cfx_hex(fx.pt.cfg.roots[i]));
	snprintf(words, sizeof(words), "%s", extra ? extra : "");
	for (char *save, *w = strtok_r(words, " ", &save); w; w = strtok_r(NULL, " ", &save))
		args[n++] = w;
	args[n++] = "-o";
	args[n++] = "out.core";
	args[n] = NULL;
	return cfx_runv(&fx, args);
}

/* A capture expected to work; opens its dump. */
static void capture_ok(const char *source_opt, const char *source, const char *extra)
{
	int r = capture(source_opt, source, extra);

	if (r != 0)
		fail_msg("capture exited %d:\n%s", r, fx.err);
	cfx_open_dump(&fx, "out.core");
}

/* A capture expected to fail with one line saying want, leaving nothing. */
static void capture_fails(const char *source_opt, const char *source, const char *extra,
			  const char *want)
{
	assert_int_equal(capture(source_opt, source, extra), 1);
	cfx_assert_one_error(&fx, want);
	cfx_assert_no_output(&fx, "out.core");
}

/* A sparse image at a base other than 0: 4K pages, 2M blocks over data
 * and over a hole, and a page past the end of the file. */
static void raw_x86_64_pages_and_2m_blocks(void **state)
{
	const uint64_t base = 0x80000000;
	struct stat st;

	cfx_setup(&fx, "x86_64", base, 8 * M1, 1, 0, false);
	cfx_map(&fx, 0x10000000, base + 0x10000, 4 * K4, 0, DS_MEM_CACHED);
	cfx_map(&fx, 0x10010000, base + 0x3000, K4, 0, DS_MEM_CACHED);
	cfx_map(&fx, 0x40000000, base + M2, M2, 1, DS_MEM_CACHED);
	cfx_map(&fx, 0x40200000, base + 32 * M1, M2, 1, DS_MEM_UNCACHED);
	cfx_map(&fx, 0x50000000, 0x90000000, K4, 0, DS_MEM_CACHED);
	cfx_write_raw(&fx, "mem.img", base, 64 * M1);
	capture_ok("--memory", cfx_at("mem.img", base), NULL);

	assert_int_equal(fx.file.nloads, 5);
	cfx_assert_load(&fx, 0, 0x10000000, base + 0x10000, 4 * K4, DS_SAVED);
	cfx_assert_load(&fx, 1, 0x10010000, base + 0x3000, K4, DS_SAVED);
	cfx_assert_load(&fx, 2, 0x40000000, base + M2, M2, DS_SAVED);
	cfx_assert_load(&fx, 3, 0x40200000, base + 32 * M1, M2, DS_SAVED); /* the hole: zeros */
	cfx_assert_load(&fx, 4, 0x50000000, 0x90000000, K4, DS_SKIP_NOT_RAM);
	assert_non_null(strstr(fx.out, "out.core: x86_64 tables, 5 segments"));
	assert_int_equal(stat(cfx_path(&fx, "out.core"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
}

/* A 1G page of which only the last MiB lies in the image: saved there,
 * not RAM below; the file stays 2 MiB. */
static void raw_x86_64_1g_page_straddles_the_image(void **state)
{
	const uint64_t base = 0x7ff00000;
	struct ds_dump_load l;

	cfx_setup(&fx, "x86_64", base, 2 * M1, 1, 0, false);
	cfx_map(&fx, G1, G1, G1, 2, DS_MEM_CACHED);
	cfx_write_raw(&fx, "mem.img", base, 2 * M1);
	capture_ok("--memory", cfx_at("mem.img", base), NULL);

	assert_int_equal(fx.file.nloads, 2);
	cfx_assert_load(&fx, 0, G1, G1, base - G1, DS_SKIP_NOT_RAM);
	cfx_assert_load(&fx, 1, base, base, M1, DS_SAVED);
	assert_int_equal(ds_dump_load(&fx.file, 1, &l), 0);
	assert_int_equal(l.align, G1);
}

/* A 1G page over a 1 GiB sparse image: the budget fails the capture, or
 * with --partial saves what fits and marks the rest over budget. */
static void raw_x86_64_1g_page_and_budgets(void **state)
{
	cfx_setup(&fx, "x86_64", 0, 4 * M1, 1, 0, false);
	cfx_map(&fx, G1, 0, G1, 2, DS_MEM_CACHED);
	cfx_write_raw(&fx, "mem.img", 0, G1);

	capture_fails("--memory", "mem.img", "--budget 64K", "1073741824 bytes), over --budget");

	capture_ok("--memory", "mem.img", "--budget=0x10000 --partial");
	assert_int_equal(fx.file.nloads, 2);
	cfx_assert_load(&fx, 0, G1, 0, 0x10000, DS_SAVED);
	cfx_assert_load(&fx, 1, G1 + 0x10000, 0x10000, G1 - 0x10000, DS_SKIP_BUDGET);
	assert_non_null(strstr(fx.out, "over-budget"));

	/* Under the budget once the VA range leaves out most of the page. */
	capture_ok("--memory", "mem.img", "--budget=1M --partial --va-range=0x40000000+512K");
	assert_int_equal(fx.file.nloads, 1);
	cfx_assert_load(&fx, 0, G1, 0, 512 << 10, DS_SAVED);
	assert_int_equal(unlink(cfx_path(&fx, "out.core")), 0);

	/* A page of the block mapped again costs nothing: stored once. */
	cfx_map(&fx, 2 * G1, M1, K4, 0, DS_MEM_CACHED);
	cfx_write_raw(&fx, "mem.img", 0, G1);
	capture_ok("--memory", "mem.img", "--budget 1G");
	assert_int_equal(fx.file.nloads, 2);
	cfx_assert_load(&fx, 1, 2 * G1, M1, K4, DS_SAVED);
	assert_int_equal(unlink(cfx_path(&fx, "out.core")), 0);

	/* One page more than a 1G budget. */
	cfx_map(&fx, 2 * G1 + K4, G1, K4, 0, DS_MEM_CACHED);
	cfx_write_raw(&fx, "mem.img", 0, G1 + K4);
	capture_fails("--memory", "mem.img", "--budget 1G", "(1073745920 bytes), over --budget");
}

/* An image starting half way into a page: that page is not all RAM, so
 * none of it is saved. */
static void raw_image_starting_inside_a_page(void **state)
{
	cfx_setup(&fx, "x86_64", 0, M1, 1, 0, false);
	cfx_map(&fx, 0x1000, 0, 2 * K4, 0, DS_MEM_CACHED);
	cfx_write_raw(&fx, "mem.img", 0x800, M1 - 0x800);
	capture_ok("--memory", "mem.img@0x800", NULL);

	assert_int_equal(fx.file.nloads, 2);
	cfx_assert_load(&fx, 0, 0x1000, 0, K4, DS_SKIP_NOT_RAM);
	cfx_assert_load(&fx, 1, 0x2000, K4, K4, DS_SAVED);
}

/* The firmware's kernel VM of an Apple GPU: upper half, 16K pages; the
 * MMIO mapping (MemAttr 1) is kept as device memory, never as RAM. */
static void raw_apple_uat_upper_half(void **state)
{
	const uint64_t base = 0x800000000, va = 0xffffffa000000000;
	struct ds_note_info info;

	cfx_setup(&fx, "apple-uat", base, 8 * M1, 1, 0, true);
	cfx_map(&fx, va, base + M1, 3 * K16, 0, DS_MEM_CACHED);
	cfx_map(&fx, va + M1, base + M2, K16, 0, DS_MEM_UNCACHED);
	cfx_map(&fx, va + M2, 0x23b000000, 2 * K16, 0, DS_MEM_DEVICE);
	cfx_map(&fx, va + 3 * M1, base + 3 * M1, K16, 0, DS_MEM_DEVICE);
	cfx_write_raw(&fx, "mem.img", base, 8 * M1);
	capture_ok("--memory", cfx_at("mem.img", base), "--upper-half");

	assert_int_equal(fx.file.nloads, 4);
	cfx_assert_load(&fx, 0, va, base + M1, 3 * K16, DS_SAVED);
	cfx_assert_load(&fx, 1, va + M1, base + M2, K16, DS_SAVED);
	cfx_assert_load(&fx, 2, va + M2, 0x23b000000, 2 * K16, DS_SKIP_DEVICE);
	cfx_assert_load(&fx, 3, va + 3 * M1, base + 3 * M1, K16, DS_SKIP_DEVICE);
	cfx_info(&fx, &info);
	assert_string_equal(info.format, "apple-uat");
	assert_int_equal(info.page_size, K16);
	assert_int_equal(info.va_bits, 39);
	assert_int_equal(info.flags & INFO_UPPER_HALF, INFO_UPPER_HALF);
	assert_int_equal(info.roots[0], root());

	/* Upper-half VAs in --va-range select as the device sees them. */
	capture_ok("--memory", cfx_at("mem.img", base),
		   "--upper-half --va-range 0xffffffa000100000-0xffffffa000300000");
	assert_int_equal(fx.file.nloads, 2);
	cfx_assert_load(&fx, 0, va + M1, base + M2, K16, DS_SAVED);

	/* Without --upper-half the table is read as a lower-half one. */
	capture_ok("--memory", cfx_at("mem.img", base), NULL);
	assert_int_equal(fx.file.nloads, 4);
	cfx_assert_load(&fx, 0, va & ((1ULL << 39) - 1), base + M1, 3 * K16, DS_SAVED);
}

/* arm64 with a 4K granule: a 2M block, a page, and a device page (MAIR
 * AttrIndx of a Device-nGnRE attribute) outside the image. */
static void raw_arm64_4k(void **state)
{
	const uint64_t base = 0x40000000;

	cfx_setup(&fx, "arm64-4k", base, 4 * M1, 1, 0, false);
	cfx_map(&fx, 0x1000, base + 3 * M1, K4, 0, DS_MEM_CACHED);
	cfx_map(&fx, M2, base, M2, 1, DS_MEM_UNCACHED);
	cfx_map(&fx, 2 * M2, 0x9000000, K4, 0, DS_MEM_DEVICE);
	cfx_write_raw(&fx, "mem.img", base, 4 * M1);
	capture_ok("--memory", cfx_at("mem.img", base), NULL);

	assert_int_equal(fx.file.nloads, 3);
	cfx_assert_load(&fx, 0, 0x1000, base + 3 * M1, K4, DS_SAVED);
	cfx_assert_load(&fx, 1, M2, base, M2, DS_SAVED);
	cfx_assert_load(&fx, 2, 2 * M2, 0x9000000, K4, DS_SKIP_DEVICE);
}

/* RISC-V Sv39: a megapage, pages, and a Svpbmt IO page. */
static void raw_riscv_sv39(void **state)
{
	const uint64_t base = 0x80000000;

	cfx_setup(&fx, "riscv-sv39", base, 4 * M1, 1, 0, false);
	fx.prot = DS_PROT_UR | DS_PROT_UW; /* a RISC-V page has one accessor */
	cfx_map(&fx, 0x1000, base + M2 + 0x1000, 2 * K4, 0, DS_MEM_CACHED);
	cfx_map(&fx, M2, base, M2, 1, DS_MEM_CACHED);
	cfx_map(&fx, 2 * M2, 0x10000000, K4, 0, DS_MEM_DEVICE);
	cfx_map(&fx, 0xffffffffc0000000, base + M2, K4, 0, DS_MEM_UNCACHED); /* top half */
	cfx_write_raw(&fx, "mem.img", base, 4 * M1);
	capture_ok("--memory", cfx_at("mem.img", base), NULL);

	assert_int_equal(fx.file.nloads, 4);
	cfx_assert_load(&fx, 0, 0x1000, base + M2 + 0x1000, 2 * K4, DS_SAVED);
	cfx_assert_load(&fx, 1, M2, base, M2, DS_SAVED);
	cfx_assert_load(&fx, 2, 2 * M2, 0x10000000, K4, DS_SKIP_DEVICE);
	cfx_assert_load(&fx, 3, 0xffffffffc0000000, base + M2, K4, DS_SAVED);
}

/* A DART with two TTBRs: with 37 VA bits each root serves one half of
 * the space, and both are walked. */
static void raw_dart_two_ttbrs(void **state)
{
	const uint64_t base = 0x10000000, ttbr1 = 1ULL << 36;

	cfx_setup(&fx, "dart", base, 4 * M1, 2, 37, false);
	assert_int_not_equal(fx.pt.cfg.roots[0], fx.pt.cfg.roots[1]);
	cfx_map(&fx, M1, base + K16, K16, 0, DS_MEM_CACHED);
	cfx_map(&fx, ttbr1 + M2, base + 2 * K16, 2 * K16, 0, DS_MEM_CACHED);
	cfx_map(&fx, ttbr1 + 4 * M1, 0x300000000, K16, 0, DS_MEM_CACHED);
	cfx_write_raw(&fx, "mem.img", base, 4 * M1);
	capture_ok("--memory", cfx_at("mem.img", base), "--va-bits 37");

	assert_int_equal(fx.file.nloads, 3);
	cfx_assert_load(&fx, 0, M1, base + K16, K16, DS_SAVED);
	cfx_assert_load(&fx, 1, ttbr1 + M2, base + 2 * K16, 2 * K16, DS_SAVED);
	cfx_assert_load(&fx, 2, ttbr1 + 4 * M1, 0x300000000, K16, DS_SKIP_NOT_RAM);
}

#define DIRECT_MAP 0xffff888000000000ULL

/* A kdump ELF vmcore: PT_LOADs by p_paddr, a gap between them, and one
 * whose p_memsz runs past its p_filesz (pages left out of the file). */
static void elf_vmcore(void **state)
{
	static const struct cfx_load loads[] = {
		{ DIRECT_MAP, 0, 0x9f000, 0x9f000, 0 },
		{ DIRECT_MAP + M1, M1, M2, M1, 0 },
		{ DIRECT_MAP + 3 * M1, 3 * M1, 5 * M1, 5 * M1, 0 },
	};

	cfx_setup(&fx, "x86_64", 0, 8 * M1, 1, 0, false);
	cfx_map(&fx, 0x1000, 0x2000, K4, 0, DS_MEM_CACHED);
	cfx_map(&fx, 0x2000, 0x9f000, K4, 0, DS_MEM_CACHED);
	cfx_map(&fx, 0x3000, 0x180000, K4, 0, DS_MEM_CACHED);
	cfx_map(&fx, 0x4000, M2, K4, 0, DS_MEM_CACHED);
	cfx_map(&fx, 0x10000, M2 - K4, 2 * K4, 0, DS_MEM_CACHED);
	cfx_map(&fx, M2, 2 * M2, M2, 1, DS_MEM_CACHED);
	cfx_write_elf(&fx, "vmcore", EM_X86_64, loads, DS_ARRAY_SIZE(loads), false);
	capture_ok("--vmcore", "vmcore", NULL);

	assert_int_equal(fx.file.nloads, 7);
	cfx_assert_load(&fx, 0, 0x1000, 0x2000, K4, DS_SAVED);
	cfx_assert_load(&fx, 1, 0x2000, 0x9f000, K4, DS_SKIP_NOT_RAM);
	cfx_assert_load(&fx, 2, 0x3000, 0x180000, K4, DS_SAVED);
	cfx_assert_load(&fx, 3, 0x4000, M2, K4, DS_SKIP_READ_ERROR);
	cfx_assert_load(&fx, 4, 0x10000, M2 - K4, K4, DS_SAVED);
	cfx_assert_load(&fx, 5, 0x11000, M2, K4, DS_SKIP_READ_ERROR);
	cfx_assert_load(&fx, 6, M2, 2 * M2, M2, DS_SAVED);
}

/* QEMU dump-guest-memory: p_vaddr 0, p_paddr the guest PA, RAM split
 * around the VGA hole and above 4G where the tables live. */
static void qemu_dump_guest_memory(void **state)
{
	const uint64_t high = 0x100000000;
	static const struct cfx_load loads[] = {
		{ 0, 0, 0xa0000, 0xa0000, 0 },
		{ 0, M1, 7 * M1, 7 * M1, 0 },
		{ 0, 0x100000000, 4 * M1, 4 * M1, 0 },
	};
	struct ds_note_info info;

	cfx_setup(&fx, "x86_64", high, 4 * M1, 1, 0, false);
	cfx_map(&fx, 0x1000, 0x9f000, K4, 0, DS_MEM_CACHED);
	cfx_map(&fx, 0x2000, 0xa0000, K4, 0, DS_MEM_UNCACHED);
	cfx_map(&fx, 0x3000, 8 * M1 - K4, K4, 0, DS_MEM_CACHED);
	cfx_map(&fx, M2, high, M2, 1, DS_MEM_CACHED);
	cfx_map(&fx, 2 * M2, 0xfee00000, K4, 0, DS_MEM_UNCACHED);
	cfx_write_elf(&fx, "guest.dump", EM_X86_64, loads, DS_ARRAY_SIZE(loads), true);
	capture_ok("--vmcore", "guest.dump", "--device virtio-gpu --reason hang");

	assert_int_equal(fx.file.nloads, 5);
	cfx_assert_load(&fx, 0, 0x1000, 0x9f000, K4, DS_SAVED);
	cfx_assert_load(&fx, 1, 0x2000, 0xa0000, K4, DS_SKIP_NOT_RAM);
	cfx_assert_load(&fx, 2, 0x3000, 8 * M1 - K4, K4, DS_SAVED);
	cfx_assert_load(&fx, 3, M2, high, M2, DS_SAVED);
	cfx_assert_load(&fx, 4, 2 * M2, 0xfee00000, K4, DS_SKIP_NOT_RAM);
	cfx_info(&fx, &info);
	assert_string_equal(info.device, "virtio-gpu");
	assert_string_equal(info.reason, "hang");
}

/* /proc/kcore's shape: vmalloc and module segments without a physical
 * address, the kernel text again inside RAM (other bytes, to tell), and
 * the direct map by p_paddr. */
static const struct cfx_load kcore_loads[] = {
	{ 0xffffc90000000000, NO_PA, 0x4000, 0x4000, 0xee + 1 },
	{ 0xffffffff81000000, M2, M1, M1, 0xcc + 1 },
	{ DIRECT_MAP + 0x1000, 0x1000, 0x9e000, 0x9e000, 0 },
	{ DIRECT_MAP + M1, M1, 7 * M1, 7 * M1, 0 },
	{ 0xffffffffa0000000, NO_PA, 0x2000, 0x2000, 0xdd + 1 },
};

/* The kernel's own view: a reserved block inside a direct-map segment. */
static const char kcore_iomem[] = "00000000-00000fff : Reserved\n"
				  "00001000-0009efff : System RAM\n"
				  "0009f000-000fffff : Reserved\n"
				  "  000a0000-000bffff : PCI Bus 0000:00\n"
				  "00100000-003fffff : System RAM\n"
				  "  00200000-002fffff : Kernel code\n"
				  "00400000-004fffff : Reserved\n"
				  "00500000-007fffff : System RAM\n"
				  "fe000000-febfffff : PCI Bus 0000:00\n";

/* include/uapi/linux/kernel-page-flags.h */
#define KPF_UPTODATE 3
#define KPF_LRU 5
#define KPF_HWPOISON 19
#define KPF_NOPAGE 20
#define KPF_OFFLINE 23

/* /proc/kpageflags for the first npfns pfns: ordinary pages, but for a
 * hwpoisoned one, one logically offline and one without a page. */
static void write_kpageflags(uint64_t npfns)
{
	uint64_t *flags = calloc(npfns, sizeof(*flags));
	int fd = open(cfx_path(&fx, "kpageflags"), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	assert_non_null(flags);
	assert_true(fd >= 0);
	for (uint64_t pfn = 0; pfn < npfns; pfn++)
		flags[pfn] = 1ULL << KPF_UPTODATE | 1ULL << KPF_LRU;
	flags[0x121] |= 1ULL << KPF_HWPOISON;
	flags[0x300] = 1ULL << KPF_OFFLINE;
	flags[0x301] = 1ULL << KPF_NOPAGE;
	assert_int_equal(write(fd, flags, npfns * 8), (ssize_t)(npfns * 8));
	close(fd);
	free(flags);
}

/* kcore, iomem and kpageflags for the tables built so far. */
static void write_kcore(uint64_t npfns)
{
	cfx_write_elf(&fx, "kcore", EM_X86_64, kcore_loads, DS_ARRAY_SIZE(kcore_loads), false);
	cfx_write_text(&fx, "iomem", kcore_iomem);
	write_kpageflags(npfns);
}

/* Every reason the kernel's zero-filled pages can have, told apart. */
static void kcore_with_iomem_and_kpageflags(void **state)
{
	cfx_setup(&fx, "x86_64", 0, 8 * M1, 1, 0, false);
	cfx_map(&fx, 0x1000, 0x5000, K4, 0, DS_MEM_CACHED);
	cfx_map(&fx, 0x10000, 0x120000, 3 * K4, 0, DS_MEM_CACHED);
	cfx_map(&fx, 0x20000, 0x300000, 2 * K4, 0, DS_MEM_CACHED);
	cfx_map(&fx, 0x30000, 0x450000, K4, 0, DS_MEM_CACHED);
	cfx_map(&fx, 0x40000, 0xa0000, K4, 0, DS_MEM_CACHED);
	cfx_map(&fx, 0x50000, 0x210000, K4, 0, DS_MEM_CACHED);
	cfx_map(&fx, 0x60000, 0x600000, K4, 0, DS_MEM_CACHED);
	write_kcore(8 * M1 / K4);
	capture_ok("--kcore", "kcore", "--iomem iomem --kpageflags kpageflags");

	assert_int_equal(fx.file.nloads, 9);
	cfx_assert_load(&fx, 0, 0x1000, 0x5000, K4, DS_SAVED);
	cfx_assert_load(&fx, 1, 0x10000, 0x120000, K4, DS_SAVED);
	cfx_assert_load(&fx, 2, 0x11000, 0x121000, K4, DS_SKIP_HWPOISON);
	cfx_assert_load(&fx, 3, 0x12000, 0x122000, K4, DS_SAVED);
	cfx_assert_load(&fx, 4, 0x20000, 0x300000, 2 * K4, DS_SKIP_OFFLINE);
	cfx_assert_load(&fx, 5, 0x30000, 0x450000, K4, DS_SKIP_NOT_RAM);
	cfx_assert_load(&fx, 6, 0x40000, 0xa0000, K4, DS_SKIP_NOT_RAM);
	cfx_assert_load(&fx, 7, 0x50000, 0x210000, K4, DS_SAVED); /* RAM's bytes, not text's */
	cfx_assert_load(&fx, 8, 0x60000, 0x600000, K4, DS_SAVED);
	assert_int_equal(fx.file.nskipped_entries, 4);
	assert_non_null(strstr(fx.out, "hwpoison"));
	assert_non_null(strstr(fx.out, "offline"));
}

/* RAM that /proc/kcore leaves out: a memory block offline when the kernel
 * listed its segments (seen in the QEMU guest), and online RAM it does not
 * show, which is RAM all the same, not "not-ram". */
static void kcore_ram_outside_its_segments(void **state)
{
	const uint64_t npfns = 12 * M1 / K4, offline_pfn = 0x800;
	uint64_t nopage[0x200];
	int fd;

	cfx_setup(&fx, "x86_64", 0, 8 * M1, 1, 0, false);
	cfx_map(&fx, 0x1000, 0x5000, K4, 0, DS_MEM_CACHED);
	cfx_map(&fx, 0x70000, 0x800000, 2 * K4, 0, DS_MEM_CACHED);
	cfx_map(&fx, 0x80000, 0xa00000, K4, 0, DS_MEM_CACHED);
	write_kcore(npfns);
	cfx_write_text(&fx, "iomem", "00001000-0009efff : System RAM\n"
				     "00100000-003fffff : System RAM\n"
				     "00500000-007fffff : System RAM\n"
				     "00800000-00bfffff : System RAM\n");
	for (size_t i = 0; i < DS_ARRAY_SIZE(nopage); i++)
		nopage[i] = 1ULL << KPF_NOPAGE;
	fd = open(cfx_path(&fx, "kpageflags"), O_WRONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, nopage, sizeof(nopage), offline_pfn * 8), sizeof(nopage));
	close(fd);
	capture_ok("--kcore", "kcore", "--iomem iomem --kpageflags kpageflags");

	assert_int_equal(fx.file.nloads, 3);
	cfx_assert_load(&fx, 0, 0x1000, 0x5000, K4, DS_SAVED);
	cfx_assert_load(&fx, 1, 0x70000, 0x800000, 2 * K4, DS_SKIP_OFFLINE);
	cfx_assert_load(&fx, 2, 0x80000, 0xa00000, K4, DS_SKIP_READ_ERROR);
}

/* Flags are read for the pages mapped, not for all the RAM after them:
 * with 16 GiB of RAM, a kpageflags covering only the first 8 MiB holds
 * every flag this capture needs. */
static void kcore_reads_only_the_flags_it_needs(void **state)
{
	static const struct cfx_load loads[] = {
		{ DIRECT_MAP + M1, M1, 0x400000000 - M1, 0x400000000 - M1, CFX_SPARSE },
	};

	cfx_setup(&fx, "x86_64", 0, 8 * M1, 1, 0, false);
	cfx_map(&fx, 0x1000, 0x120000, K4, 0, DS_MEM_CACHED);
	cfx_map(&fx, 0x2000, 0x121000, K4, 0, DS_MEM_CACHED);
	cfx_write_elf(&fx, "kcore", EM_X86_64, loads, DS_ARRAY_SIZE(loads), false);
	cfx_write_text(&fx, "iomem", "00100000-3ffffffff : System RAM\n");
	write_kpageflags(8 * M1 / K4);
	capture_ok("--kcore", "kcore", "--iomem iomem --kpageflags kpageflags");

	assert_int_equal(fx.file.nloads, 2);
	cfx_assert_load(&fx, 0, 0x1000, 0x120000, K4, DS_SAVED);
	cfx_assert_load(&fx, 1, 0x2000, 0x121000, K4, DS_SKIP_HWPOISON);
}

/* 16K device pages over 4K host pages: one hwpoisoned pfn takes its
 * whole device page with it, and only that page. */
static void kcore_device_pages_larger_than_host_pages(void **state)
{
	cfx_setup(&fx, "apple-uat", 0, 8 * M1, 1, 0, false);
	cfx_map(&fx, 0x4000, 0x11c000, 2 * K16, 0, DS_MEM_CACHED);
	cfx_map(&fx, 0x10000, 0x2fc000, K16, 0, DS_MEM_CACHED);
	write_kcore(8 * M1 / K4);
	capture_ok("--kcore", "kcore", "--iomem iomem --kpageflags kpageflags");

	assert_int_equal(fx.file.nloads, 3);
	cfx_assert_load(&fx, 0, 0x4000, 0x11c000, K16, DS_SAVED);
	cfx_assert_load(&fx, 1, 0x8000, 0x120000, K16, DS_SKIP_HWPOISON);
	cfx_assert_load(&fx, 2, 0x10000, 0x2fc000, K16, DS_SAVED);
}

static void kcore_bad_inputs(void **state)
{
	cfx_setup(&fx, "x86_64", 0, 8 * M1, 1, 0, false);
	cfx_map(&fx, 0x1000, 0x5000, K4, 0, DS_MEM_CACHED);
	write_kcore(8 * M1 / K4);
	cfx_write_text(&fx, "iomem-user", "00000000-00000000 : Reserved\n"
					      "00000000-00000000 : System RAM\n");
	capture_fails("--kcore", "kcore", "--iomem iomem-user", "reading them needs root");
	capture_fails("--kcore", "kcore", "--iomem nowhere", "cannot open nowhere");
	capture_fails("--kcore", "kcore", "--iomem iomem --kpageflags nowhere",
		      "cannot open nowhere");
	capture_fails("--kcore", "iomem", "--iomem iomem", "iomem is not an ELF file");
}

/* makedumpfile's kdump-compressed format (zlib; -d 1 keeps one copy of
 * the zero page, which still reads as zeros), made from an ELF vmcore
 * without VMCOREINFO, read through libkdumpfile.  A hole between the
 * PT_LOADs is not in the file. */
static void kdump_compressed_vmcore(void **state)
{
	static const struct cfx_load loads[] = {
		{ DIRECT_MAP, 0, 0x9f000, 0x9f000, 0 },
		{ DIRECT_MAP + M1, M1, 7 * M1, 7 * M1, 0 },
	};
	char cmd[256];

	cfx_setup(&fx, "x86_64", 0, 8 * M1, 1, 0, false);
	memset(fx.mem.bytes + 0x5000, 0, K4);
	cfx_map(&fx, 0x1000, 0x2000, K4, 0, DS_MEM_CACHED);
	cfx_map(&fx, 0x2000, 0x5000, K4, 0, DS_MEM_CACHED);
	cfx_map(&fx, 0x3000, 0x9f000, K4, 0, DS_MEM_CACHED);
	cfx_map(&fx, 0x4000, 3 * M1, 2 * K4, 0, DS_MEM_CACHED);
	cfx_map(&fx, M2, 2 * M2, M2, 1, DS_MEM_CACHED);
	cfx_write_elf(&fx, "vmcore", EM_X86_64, loads, DS_ARRAY_SIZE(loads), false);
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && makedumpfile -c -d 1 vmcore vmcore.kdump >/dev/null 2>&1", fx.dir);
	assert_int_equal(system(cmd), 0);
	capture_ok("--vmcore", "vmcore.kdump", NULL);

	assert_int_equal(fx.file.nloads, 5);
	cfx_assert_load(&fx, 0, 0x1000, 0x2000, K4, DS_SAVED);
	cfx_assert_load(&fx, 1, 0x2000, 0x5000, K4, DS_SAVED);
	cfx_assert_load(&fx, 2, 0x3000, 0x9f000, K4, DS_SKIP_READ_ERROR);
	cfx_assert_load(&fx, 3, 0x4000, 3 * M1, 2 * K4, DS_SAVED);
	cfx_assert_load(&fx, 4, M2, 2 * M2, M2, DS_SAVED);
}

/* A memory image that counts what is asked of [lo, hi), and fails reads
 * of [bad_lo, bad_hi) as a dying disk would. */
struct watched {
	struct memimage *mem;
	uint64_t lo, hi, bad_lo, bad_hi;
	unsigned touched;
	bool upper_half;
};

static bool overlaps(uint64_t pa, uint64_t len, uint64_t lo, uint64_t hi)
{
	return pa < hi && pa + len > lo;
}

static int watched_read(void *priv, uint64_t pa, void *buf, size_t len)
{
	struct watched *w = priv;

	w->touched += overlaps(pa, len, w->lo, w->hi);
	if (overlaps(pa, len, w->bad_lo, w->bad_hi))
		return -EIO;
	return memimage_read(w->mem, pa, buf, len);
}

static int watched_classify(void *priv, uint64_t pa, uint64_t size, enum ds_skip_reason *reason,
			    uint64_t *run_len)
{
	struct watched *w = priv;

	w->touched += overlaps(pa, 1, w->lo, w->hi);
	classify_window(w->mem->base, w->mem->size, pa, size, reason, run_len);
	return 0;
}

/* capture_run and capture_write on the watched image, in this process. */
static int capture_watched(void *arg)
{
	struct watched *w = arg;
	struct capture_options opt = {
		.format = fx.pt.fmt->name, .roots = { root() }, .nroots = 1,
		.upper_half = w->upper_half, .va_last = ~0ULL,
	};
	struct source src = {
		.name = "the watched image", .read_phys = watched_read,
		.classify = watched_classify, .priv = w,
	};
	struct capture c;
	int r = capture_run(&c, &src, &opt);

	if (r == 0)
		r = capture_write(&c, cfx_path(&fx, "out.core"), false);
	capture_free(&c);
	return r;
}

/* capture_run with a memory allowance of 16 segments and the fixture's
 * directory to spill to; -EPROTO if the list never left memory. */
static int capture_spilling(void *arg)
{
	struct capture_options opt = {
		.format = fx.pt.fmt->name, .roots = { root() }, .nroots = 1, .va_last = ~0ULL,
		.spill_dir = fx.dir, .spill_after = 16,
	};
	struct source src;
	struct capture c;
	bool spilled;
	int r;

	source_open_memimage(&src, &fx.mem);
	r = capture_run(&c, &src, &opt);
	spilled = c.segs.fd >= 0;
	if (r == 0)
		r = capture_write(&c, cfx_path(&fx, "out.core"), false);
	capture_free(&c);
	source_close(&src);
	return r == 0 && !spilled ? -EPROTO : r;
}

/* 64 pages that cannot merge (a VA gap after each): a segment list past
 * the allowance moves to a file, and the dump is the same. */
static void long_segment_lists_spill_to_a_file(void **state)
{
	cfx_setup(&fx, "x86_64", 0, 4 * M1, 1, 0, false);
	for (uint64_t i = 0; i < 64; i++)
		cfx_map(&fx, 0x400000 + 2 * i * K4, M1 + i * K4, K4, 0, DS_MEM_CACHED);
	assert_int_equal(cfx_call(&fx, capture_spilling, NULL), 0);
	cfx_open_dump(&fx, "out.core");
	assert_int_equal(fx.file.nloads, 64);
	for (uint32_t i = 0; i < 64; i++)
		cfx_assert_load(&fx, i, 0x400000 + 2 * i * K4, M1 + i * K4, K4, DS_SAVED);
}

/* Two device pages inside RAM between two RAM pages: neither read nor
 * even classified, and kept as device memory. */
static void device_pages_are_never_touched(const char *format, uint64_t va, bool upper_half)
{
	const uint64_t base = 0x80000000;
	uint64_t page;
	struct watched w;

	cfx_setup(&fx, format, base, 4 * M1, 1, 0, upper_half);
	page = 1ULL << fx.pt.fmt->page_shift;
	w = (struct watched){ .mem = &fx.mem, .lo = base + M1, .hi = base + M1 + 2 * page,
			      .upper_half = upper_half };
	cfx_map(&fx, va, base, page, 0, DS_MEM_CACHED);
	cfx_map(&fx, va + page, base + M1, 2 * page, 0, DS_MEM_DEVICE);
	cfx_map(&fx, va + 3 * page, base + 2 * M1, page, 0, DS_MEM_UNCACHED);
	fx.holes_zero = true;
	assert_int_equal(cfx_call(&fx, capture_watched, &w), 0);
	assert_int_equal(w.touched, 0);

	cfx_open_dump(&fx, "out.core");
	assert_int_equal(fx.file.nloads, 3);
	cfx_assert_load(&fx, 0, va, base, page, DS_SAVED);
	cfx_assert_load(&fx, 1, va + page, base + M1, 2 * page, DS_SKIP_DEVICE);
	cfx_assert_load(&fx, 2, va + 3 * page, base + 2 * M1, page, DS_SAVED);
}

static void device_memory_arm64_mair(void **state)
{
	device_pages_are_never_touched("arm64-4k", 0x10000000, false);
}

static void device_memory_apple_uat_memattr(void **state)
{
	device_pages_are_never_touched("apple-uat", 0xffffffa000000000, true);
}

/* A source that fails while the dump is written: the error names the
 * address, the previous file stays as it was, no temporary file stays. */
static void failing_source_leaves_no_output(void **state)
{
	struct watched w;
	char old[8] = "";
	int fd;

	cfx_setup(&fx, "x86_64", 0, 4 * M1, 1, 0, false);
	w = (struct watched){ .mem = &fx.mem, .bad_lo = M1 + 2 * K4, .bad_hi = M1 + 3 * K4 };
	cfx_map(&fx, 0x1000, M1, 4 * K4, 0, DS_MEM_CACHED);
	assert_int_equal(cfx_call(&fx, capture_watched, &w), -EIO);
	cfx_assert_one_error(&fx, "cannot read physical address 0x100000 from the watched image: "
				  "Input/output error");
	cfx_assert_no_output(&fx, "out.core");

	cfx_write_text(&fx, "out.core", "old");
	assert_int_equal(cfx_call(&fx, capture_watched, &w), -EIO);
	fd = open(cfx_path(&fx, "out.core"), O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, old, sizeof(old)), 3);
	close(fd);
	assert_string_equal(old, "old");
	unlink(cfx_path(&fx, "out.core"));
	cfx_assert_no_output(&fx, "out.core");
}

/* A source whose tables cannot be read: its error, not a guess. */
static void failing_source_under_the_tables(void **state)
{
	struct watched w;

	cfx_setup(&fx, "x86_64", 0, 4 * M1, 1, 0, false);
	w = (struct watched){ .mem = &fx.mem, .bad_lo = root(), .bad_hi = root() + K4 };
	assert_int_equal(cfx_call(&fx, capture_watched, &w), -EIO);
	cfx_assert_one_error(&fx, "x86_64 tables in the watched image: cannot read a page table");
	assert_non_null(strstr(fx.err, ": Input/output error\n"));
	cfx_assert_no_output(&fx, "out.core");
}

/* A table that points back at the top table. */
static void hostile_table_loop(void **state)
{
	uint64_t pte;

	cfx_setup(&fx, "x86_64", 0, 4 * M1, 1, 0, false);
	cfx_map(&fx, 0x1000, M1, K4, 0, DS_MEM_CACHED);
	pte = ds_le64(root() | 0x7);
	assert_int_equal(memimage_write(&fx.mem, root() + 8, &pte, sizeof(pte)), 0);
	cfx_write_raw(&fx, "mem.img", 0, 4 * M1);
	capture_fails("--memory", "mem.img", NULL, "page-table loop");
	assert_non_null(strstr(fx.err, "at VA 0x8000000000"));
}

/* A root whose entries are mostly neither empty nor valid, as another
 * format's tables or a page of data read: captured, with a warning. */
static void implausible_tables_are_warned_about(void **state)
{
	uint64_t pte = ds_le64(0x2); /* writable, not present */

	cfx_setup(&fx, "x86_64", 0, 4 * M1, 1, 0, false);
	for (unsigned i = 0; i < 512; i++)
		assert_int_equal(memimage_write(&fx.mem, root() + 8 * i, &pte, sizeof(pte)), 0);
	cfx_write_raw(&fx, "mem.img", 0, 4 * M1);
	capture_ok("--memory", "mem.img", NULL);
	assert_non_null(strstr(fx.err, "warning: 512 of the 512 table entries read are neither "
					"empty nor valid x86_64 entries"));
	/* Real tables, sparse as they are, draw no warning. */
	cfx_teardown(&fx);
	cfx_setup(&fx, "x86_64", 0, 4 * M1, 1, 0, false);
	cfx_map(&fx, 0x1000, M1, K4, 0, DS_MEM_CACHED);
	cfx_write_raw(&fx, "mem.img", 0, 4 * M1);
	capture_ok("--memory", "mem.img", NULL);
	assert_null(strstr(fx.err, "warning"));
}

/* A table entry pointing past the end of the source. */
static void hostile_table_outside_the_source(void **state)
{
	uint64_t pte;

	cfx_setup(&fx, "x86_64", 0, 4 * M1, 1, 0, false);
	pte = ds_le64(0x40000000 | 0x7);
	assert_int_equal(memimage_write(&fx.mem, root(), &pte, sizeof(pte)), 0);
	cfx_write_raw(&fx, "mem.img", 0, 4 * M1);
	capture_fails("--memory", "mem.img", NULL, "cannot read a page table");
	assert_non_null(strstr(fx.err, "PA 0x40000000"));
}

/* The image's base forgotten: its root is no longer in it. */
static void hostile_root_outside_the_source(void **state)
{
	const uint64_t base = 0x80000000;

	cfx_setup(&fx, "x86_64", base, 4 * M1, 1, 0, false);
	cfx_write_raw(&fx, "mem.img", base, 4 * M1);
	capture_fails("--memory", "mem.img", NULL, "lies outside the RAM of mem.img");
	assert_non_null(strstr(fx.err, cfx_hex(root())));
	capture_fails("--memory", cfx_at("mem.img", 2 * base), NULL, "lies outside the RAM");
}

static void unknown_format_lists_the_formats(void **state)
{
	const struct ds_format *f;

	cfx_setup(&fx, "x86_64", 0, M1, 1, 0, false);
	cfx_write_raw(&fx, "mem.img", 0, M1);
	assert_int_equal(cfx_run(&fx, "capture", "--memory", "mem.img", "--format", "x86",
				 "--root", "0", "-o", "out.core", NULL), 1);
	cfx_assert_one_error(&fx, "unknown page-table format 'x86'; known: x86_64, ");
	for (unsigned i = 0; (f = ds_format_at(i)); i++)
		assert_non_null(strstr(fx.err, f->name));
	cfx_assert_no_output(&fx, "out.core");
}

static void unreadable_sources(void **state)
{
	cfx_setup(&fx, "x86_64", 0, M1, 1, 0, false);
	cfx_write_text(&fx, "empty", "");
	cfx_write_text(&fx, "junk", "this is no vmcore, nor an ELF file, nor anything else");
	assert_int_equal(mkdir(cfx_path(&fx, "dir"), 0700), 0);

	capture_fails("--memory", "missing.img", NULL,
		      "cannot open memory image missing.img: No such file or directory");
	capture_fails("--memory", "empty", NULL, "memory image empty is empty");
	capture_fails("--memory", "dir", NULL, "memory image dir is not a file");
	capture_fails("--vmcore", "missing", NULL, "cannot open vmcore missing");
	capture_fails("--vmcore", "junk", NULL, "cannot read junk as a vmcore");
	capture_fails("--vmcore", "empty", NULL, "empty is too short");
	capture_fails("--vmcore", "dir", NULL, "dir");
	capture_fails("--kcore", "junk", "--iomem empty", "junk is not an ELF file");
}

static void truncate_to(const char *name, uint64_t size)
{
	assert_int_equal(truncate(cfx_path(&fx, name), (off_t)size), 0);
}

/* A vmcore copied only in part: cut inside its program headers it is
 * refused; cut inside its data, what is missing is marked so. */
static void truncated_vmcore(void **state)
{
	/* The tables' half first in the file, the data's half last. */
	static const struct cfx_load loads[] = {
		{ 0, M2, M2, M2, 0 },
		{ 0, 0, M2, M2, 0 },
	};
	const uint64_t data = K4; /* the headers fit in the first page */

	cfx_setup(&fx, "x86_64", 0, 4 * M1, 1, 0, false);
	cfx_map(&fx, 0x1000, M1, 2 * K4, 0, DS_MEM_CACHED);
	cfx_map(&fx, 0x4000, 0x1000, K4, 0, DS_MEM_CACHED);
	cfx_write_elf(&fx, "vmcore", EM_X86_64, loads, 2, false);
	truncate_to("vmcore", data + M2 + M1 + K4);
	capture_ok("--vmcore", "vmcore", NULL);
	assert_int_equal(fx.file.nloads, 3);
	cfx_assert_load(&fx, 0, 0x1000, M1, K4, DS_SAVED);
	cfx_assert_load(&fx, 1, 0x2000, M1 + K4, K4, DS_SKIP_READ_ERROR);
	cfx_assert_load(&fx, 2, 0x4000, 0x1000, K4, DS_SAVED);
	assert_int_equal(unlink(cfx_path(&fx, "out.core")), 0);

	truncate_to("vmcore", data + M1);
	capture_fails("--vmcore", "vmcore", NULL, "lies outside the RAM of vmcore (read-error)");
	truncate_to("vmcore", 100);
	capture_fails("--vmcore", "vmcore", NULL,
		      "vmcore is cut short: it ends inside the program headers");
}

static void bad_options(void **state)
{
	cfx_setup(&fx, "x86_64", 0, M1, 1, 0, false);
	cfx_write_raw(&fx, "mem.img", 0, M1);
	capture_fails("--memory", "mem.img", "--budget 12X", "--budget: '12X' is not a size");
	capture_fails("--memory", "mem.img", "--partial", "--partial needs a --budget");
	capture_fails("--memory", "mem.img", "--va-bits 99",
		      "--va-bits: 99 is not between 1 and 64");
	capture_fails("--memory", "mem.img", "--va-range 0x5000-0x3000", "--va-range");
	capture_fails("--memory", "mem.img", "--va-bits 40",
		      "--va-bits 40: x86_64 tables have a VA width of 48 bits");
	capture_fails("--memory", "mem.img", "--upper-half", "no upper-half address space");
	capture_fails("--memory", "mem.img", "--kcore", "give one memory source");
	assert_int_equal(cfx_run(&fx, "capture", "--memory", "mem.img", "--format", "x86_64",
				 "--root", "zz", "-o", "out.core", NULL), 1);
	cfx_assert_one_error(&fx, "--root: 'zz' is not a physical address");
	assert_int_equal(cfx_run(&fx, "capture", "--memory", "mem.img", "--format", "x86_64",
				 "--root", "0", NULL), 1);
	cfx_assert_one_error(&fx, "no output file");
	assert_int_equal(cfx_run(&fx, "capture", "--memory", "mem.img", "--format", "x86_64",
				 "--root", cfx_hex(root()), "-o", "nowhere/out.core", NULL), 1);
	cfx_assert_one_error(&fx, "cannot open the directory of nowhere/out.core");
	cfx_assert_no_output(&fx, "out.core");
}

/* Issue 10: unaligned and sub-page --va-range bounds hung; they are
 * rounded out to whole pages, and said so. */
static void va_range_rounds_out_to_pages(void **state)
{
	cfx_setup(&fx, "x86_64", 0, M1, 1, 0, false);
	cfx_map(&fx, 0x1000, 0x10000, 4 * K4, 0, DS_MEM_CACHED);
	cfx_write_raw(&fx, "mem.img", 0, M1);

	capture_ok("--memory", "mem.img", "--va-range 0x1000+1");
	assert_int_equal(fx.file.nloads, 1);
	cfx_assert_load(&fx, 0, 0x1000, 0x10000, K4, DS_SAVED);
	cfx_assert_one_error(&fx, "--va-range rounded out to whole 4 KiB pages: 0x1000-0x2000");

	capture_ok("--memory", "mem.img", "--va-range 0x800-0x3000");
	assert_int_equal(fx.file.nloads, 1);
	cfx_assert_load(&fx, 0, 0x1000, 0x10000, 2 * K4, DS_SAVED);
	cfx_assert_one_error(&fx, "rounded out to whole 4 KiB pages: 0x0-0x3000");

	/* Aligned: nothing to say. */
	capture_ok("--memory", "mem.img", "--va-range 0x2000-0x4000 -q");
	cfx_assert_load(&fx, 0, 0x2000, 0x11000, 2 * K4, DS_SAVED);
	assert_string_equal(fx.err, "");
}

/* The top of the 64-bit space: END 2^64, START+LEN reaching it, upper-half
 * bounds inside a page, and what is refused. */
static void va_range_reaches_2_64(void **state)
{
	const uint64_t kva = 0xffffffffbbe00000, top = 0xfffffffffffff000;

	cfx_setup(&fx, "x86_64", 0, M1, 1, 0, false);
	cfx_map(&fx, kva, 0x20000, 2 * K4, 0, DS_MEM_CACHED);
	cfx_map(&fx, top, 0x30000, K4, 0, DS_MEM_CACHED);
	cfx_write_raw(&fx, "mem.img", 0, M1);

	capture_ok("--memory", "mem.img", "--va-range 0xffffffffbbe00000-0xffffffffbbe00800");
	assert_int_equal(fx.file.nloads, 1);
	cfx_assert_load(&fx, 0, kva, 0x20000, K4, DS_SAVED);

	capture_ok("--memory", "mem.img", "--va-range 0xfffffffffffff000-0x10000000000000000");
	assert_int_equal(fx.file.nloads, 1);
	cfx_assert_load(&fx, 0, top, 0x30000, K4, DS_SAVED);
	assert_string_equal(fx.err, "");

	capture_ok("--memory", "mem.img", "--va-range 0xfffffffffffff800+2K");
	assert_int_equal(fx.file.nloads, 1);
	cfx_assert_load(&fx, 0, top, 0x30000, K4, DS_SAVED);
	cfx_assert_one_error(&fx, "0xfffffffffffff000-0x10000000000000000");

	capture_ok("--memory", "mem.img", "--va-range 0xffffffffbbe00800-18446744073709551616");
	assert_int_equal(fx.file.nloads, 2);
	cfx_assert_load(&fx, 0, kva, 0x20000, 2 * K4, DS_SAVED);
	cfx_assert_load(&fx, 1, top, 0x30000, K4, DS_SAVED);

	assert_int_equal(unlink(cfx_path(&fx, "out.core")), 0);
	capture_fails("--memory", "mem.img", "--va-range 0xfffffffffffff000+8K",
		      "runs past the top of the 64-bit address space");
	capture_fails("--memory", "mem.img", "--va-range 0xfffffffffffff000-0",
		      "is empty: END is exclusive");
	capture_fails("--memory", "mem.img", "--va-range 0x1000+0", "is empty");
	capture_fails("--memory", "mem.img", "--va-range 0x1000-0x10000000000000001",
		      "runs past the top");
	capture_fails("--memory", "mem.img", "--va-range 0x1000..0x2000", "is not START-END");
	/* Wholly inside x86-64's non-canonical hole: one line, no rounding note. */
	capture_fails("--memory", "mem.img", "--va-range 0x800000000800+4K",
		      "--va-range 0x800000000800-0x800000001800: VA range lies outside the page "
		      "table's address space");
}

/* A 16K-page upper-half space: one byte at the very top selects its page. */
static void va_range_upper_half_last_byte(void **state)
{
	const uint64_t base = 0x800000000, top = 0xffffffffffffc000;

	cfx_setup(&fx, "apple-uat", base, M1, 1, 0, true);
	cfx_map(&fx, top, base + 2 * K16, K16, 0, DS_MEM_CACHED);
	cfx_map(&fx, top - K16, base + 4 * K16, K16, 0, DS_MEM_CACHED);
	cfx_write_raw(&fx, "mem.img", base, M1);
	capture_ok("--memory", cfx_at("mem.img", base), "--upper-half --va-range 0xffffffffffffffff+1");
	assert_int_equal(fx.file.nloads, 1);
	cfx_assert_load(&fx, 0, top, base + 2 * K16, K16, DS_SAVED);
	cfx_assert_one_error(&fx, "rounded out to whole 16 KiB pages: "
				  "0xffffffffffffc000-0x10000000000000000");
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test_teardown(raw_x86_64_pages_and_2m_blocks, teardown),
	cmocka_unit_test_teardown(raw_x86_64_1g_page_straddles_the_image, teardown),
	cmocka_unit_test_teardown(raw_x86_64_1g_page_and_budgets, teardown),
	cmocka_unit_test_teardown(raw_image_starting_inside_a_page, teardown),
	cmocka_unit_test_teardown(raw_apple_uat_upper_half, teardown),
	cmocka_unit_test_teardown(raw_arm64_4k, teardown),
	cmocka_unit_test_teardown(raw_riscv_sv39, teardown),
	cmocka_unit_test_teardown(raw_dart_two_ttbrs, teardown),
	cmocka_unit_test_teardown(elf_vmcore, teardown),
	cmocka_unit_test_teardown(qemu_dump_guest_memory, teardown),
	cmocka_unit_test_teardown(kcore_with_iomem_and_kpageflags, teardown),
	cmocka_unit_test_teardown(kcore_ram_outside_its_segments, teardown),
	cmocka_unit_test_teardown(kcore_reads_only_the_flags_it_needs, teardown),
	cmocka_unit_test_teardown(kcore_device_pages_larger_than_host_pages, teardown),
	cmocka_unit_test_teardown(kcore_bad_inputs, teardown),
	cmocka_unit_test_teardown(device_memory_arm64_mair, teardown),
	cmocka_unit_test_teardown(device_memory_apple_uat_memattr, teardown),
	cmocka_unit_test_teardown(failing_source_leaves_no_output, teardown),
	cmocka_unit_test_teardown(failing_source_under_the_tables, teardown),
	cmocka_unit_test_teardown(hostile_table_loop, teardown),
	cmocka_unit_test_teardown(implausible_tables_are_warned_about, teardown),
	cmocka_unit_test_teardown(hostile_table_outside_the_source, teardown),
	cmocka_unit_test_teardown(hostile_root_outside_the_source, teardown),
	cmocka_unit_test_teardown(unknown_format_lists_the_formats, teardown),
	cmocka_unit_test_teardown(unreadable_sources, teardown),
	cmocka_unit_test_teardown(truncated_vmcore, teardown),
	cmocka_unit_test_teardown(bad_options, teardown),
	cmocka_unit_test_teardown(va_range_rounds_out_to_pages, teardown),
	cmocka_unit_test_teardown(va_range_reaches_2_64, teardown),
	cmocka_unit_test_teardown(va_range_upper_half_last_byte, teardown),
	cmocka_unit_test_teardown(long_segment_lists_spill_to_a_file, teardown),
	cmocka_unit_test_teardown(kdump_compressed_vmcore, teardown), /* stays last */
};

int main(int argc, char **argv)
{
	static char devsnap[PATH_MAX];
	size_t n = DS_ARRAY_SIZE(tests);

	if (argc < 2 || !realpath(argv[1], devsnap)) {
		fprintf(stderr, "usage: %s PATH-TO-DEVSNAP\n", argv[0]);
		return 2;
	}
	cfx_devsnap = devsnap;
	/* Without Debian's makedumpfile the kdump-compressed test is left out:
	 * cmocka reports skip() as "not ok # SKIP", which TAP readers fail. */
	if (system("command -v makedumpfile >/dev/null 2>&1")) {
		puts("# makedumpfile is not installed: kdump-compressed vmcores untested");
		n--;
	}
	return _cmocka_run_group_tests("capture", tests, n, NULL, NULL);
}
