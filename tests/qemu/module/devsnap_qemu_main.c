// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in device for devsnap's tests in a real kernel (tests/qemu/),
 * and the reference for a driver using kernel/devsnap.h.
 *
 * On load it builds page tables in the format= it is given (lib/build.c,
 * default x86_64), the way the device's MMU would see memory, and maps into
 * them pages filled with known bytes, a 2 MiB run, a page that is not RAM, a
 * page the test may hwpoison and, given offline_pa=, a page of an offline
 * memory block.  userspace reads the root's physical address and the layout
 * from debugfs, captures through /proc/kcore and compares the bytes with the
 * blobs exposed here.  At probe it reserves a devsnap pool of 8 MiB, as a
 * driver would.
 *
 * Writing to debugfs "crash" is this device's crash: devsnap_snapshot() of
 * its tables under the device's VM spinlock with interrupts disabled, then
 * devsnap_flush(); the write fails with the first errno.
 *   main         the tables above, the firmware log as a blob
 *   iopgtable    the same tables through an io_pgtable_cfg filled as
 *                io-pgtable would for the format (mali, arm64-4k, arm64-16k,
 *                dart, dart2, arm64-s2-4k)
 *   huge         x86_64 tables mapping PA 0-1 GiB in 2 MiB blocks: the
 *                guest's RAM, more than the pool
 *   loop         an x86_64 table that refers to itself
 *   alias        x86_64 tables mapping page0 at ALIASES pages from X86_VA_BASE:
 *                copied once, stored once, within a budget of that one page
 *   partial, over-budget   main with a 1 MiB budget, with and without partial
 *   irq          main from a hard interrupt (an hrtimer): refused
 *   off-by-one   main for [base, base + 4 pages] (va_last one byte too far)
 *   unaligned    main for [base + 0x800, base + 3 pages - 0x801]
 *   reversed     main for [base + 1 page, base]: refused
 *   balloon, race-poison, race-offline, race-alias   main (alias) while a
 *                page changes state (see page_crashes[])
 *   twins        main of this device and of the twin=1 device at once
 *
 * /sys/kernel/debug/devsnap_qemu_test/
 *   root       PA of the top table
 *   alias_root PA of the "alias" tables' top table
 *   layout     one line per mapping: name, device VA, PA, size (hex)
 *   <name>     the bytes of each RAM mapping, as the kernel sees them
 *   crash      write one of the crashes above
 *   context    the last crash's snapshot: "irqs_off=1 switches=0"
 *   pool       write a size: a second pool of that size is made and given back
 *   scribble   write anything: page0's first line changes
 *   coredump   write a dump, close: a devcoredump of this device
 *   layouts    how often the last page-state crash laid its dump out
 */
#include <linux/debugfs.h>
#include <linux/devcoredump.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/hrtimer.h>
#include <linux/io.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/page-flags.h>
#include <linux/platform_device.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "kernel/devsnap.h"
#include "lib/build.h"

#define DRV_NAME "devsnap_qemu_test"

/* x86-64 PTE bits (SDM vol. 3, 4.5), for the hand-made huge and loop tables. */
#define PTE_P BIT_ULL(0)
#define PTE_RW BIT_ULL(1)
#define PTE_PS BIT_ULL(7)
#define X86_VA_BASE 0x100000000000ULL /* PML4 slot 32, PDPT and PD slot 0 */
#define X86_VA_INDEX(va, level) (((va) >> (12 + 9 * (level))) & 511)
#define ALIASES 64

/* Outside RAM on a PC: the local APIC window.  Capture must not read it. */
#define NOT_RAM_PA 0xfee00000ULL

/* What "coredump" takes at most: tests/systemd cuts a save of a large one short. */
static unsigned int coredump_mib = 16;
module_param(coredump_mib, uint, 0400);
MODULE_PARM_DESC(coredump_mib, "largest dump written to debugfs coredump, in MiB (16)");
#define COREDUMP_MAX ((size_t)coredump_mib << 20)
#define POOL_BUDGET SZ_8M
#define MAX_TABLES 64

/* A PA in a memory block the guest keeps offline (run.sh adds a DIMM that
 * the kernel does not online); 0: no such mapping.
 */
static unsigned long offline_pa;
module_param(offline_pa, ulong, 0400);
MODULE_PARM_DESC(offline_pa, "physical address of a page in an offline memory block");

static char *format = "x86_64";
module_param(format, charp, 0400);
MODULE_PARM_DESC(format, "page-table format of the device: x86_64, arm64-4k, arm64-16k, apple-uat, mali, dart, dart2, riscv-sv48, arm64-s2-4k");

/* Each format: its devsnap name and enum, where its VAs start, how
 * io-pgtable would describe it, its VA width (0: the format's default).
 */
struct test_format {
	const char *name;
	enum devsnap_format fmt;
	u64 va_base;
	bool upper_half;
	int iopgtable; /* enum io_pgtable_fmt, or -1 */
	u32 va_bits;
};

static const struct test_format test_formats[] = {
	{ "x86_64", DEVSNAP_FMT_X86_64, 0x100000000000ULL, false, -1 },
	{ "arm64-4k", DEVSNAP_FMT_ARM64_4K, 0x100000000000ULL, false, ARM_64_LPAE_S1 },
	{ "arm64-16k", DEVSNAP_FMT_ARM64_16K, 0x100000000000ULL, false, ARM_64_LPAE_S1 },
	{ "apple-uat", DEVSNAP_FMT_APPLE_UAT, 0xffffffa000000000ULL, true, -1 },
	{ "mali", DEVSNAP_FMT_MALI, 0x100000000000ULL, false, ARM_MALI_LPAE },
	{ "dart", DEVSNAP_FMT_DART, 0x100000000ULL, false, APPLE_DART },
	{ "dart2", DEVSNAP_FMT_DART2, 0x100000000ULL, false, APPLE_DART2 },
	{ "riscv-sv48", DEVSNAP_FMT_RISCV_SV48, 0x100000000000ULL, false, -1 },
	/* 40-bit IPA: level 1 on two concatenated tables; the VAs in the second. */
	{ "arm64-s2-4k", DEVSNAP_FMT_ARM64_S2_4K, 0x8000000000ULL, false, ARM_64_LPAE_S2, 40 },
};

static const struct test_format *tf;

enum backing {
	BACKING_PAGE,    /* pages this module allocates and fills */
	BACKING_NOT_RAM, /* NOT_RAM_PA */
	BACKING_OFFLINE, /* offline_pa */
};

struct mapping {
	const char *name;
	u64 slot; /* device VA - va_base, in pages of the format; the block: bytes */
	u32 order; /* of the kernel pages: a format page, or the 2 MiB block */
	enum backing backing;
	struct page *page;
	u64 va, pa, size;
	struct debugfs_blob_wrapper blob;
};

#define BLOCK_SLOT SZ_2M

/*
 * The base pages' PAs fall as their VAs rise (see scatter_pages()): no two
 * pages are contiguous in both, and the walker must not merge them.
 */
static struct mapping maps[] = {
	{ "page0", 3 },
	{ "page1", 2 },
	{ "page2", 1 },
	{ "page3", 0 },
	{ "mmio", 16, 0, BACKING_NOT_RAM },
	{ "poison", 32 },
	{ "offline", 48, 0, BACKING_OFFLINE },
	{ "block", BLOCK_SLOT },
};

/* Without offline_pa the offline mapping is left out, of the layout too. */
static bool mapped(const struct mapping *m)
{
	return m->backing != BACKING_OFFLINE || offline_pa;
}

static struct ds_pgtable pt;
static u64 root_pa;
static struct page *tables[MAX_TABLES];
static u32 ntables;
/* The "huge" tables: one PD of 512 entries, each the 2 MiB block. */
static u64 *huge_pml4, *huge_pdpt, *huge_pd;
/* The "loop" table: a PML4 whose entry points back at itself. */
static u64 *loop_pml4;
/* The "alias" tables: a PT of ALIASES entries, each page0. */
static u64 *alias_pml4, *alias_pdpt, *alias_pd, *alias_pt;
static u64 alias_root;
static struct dentry *dir;
static struct platform_device *pdev;
static struct devsnap_pool *pool;
/* The device's VM lock: its page-table updates take it. */
static DEFINE_SPINLOCK(vm_lock);

static const char fw_text[] = "fw: assertion failed at 0x1234\n";
static const struct devsnap_blob fw_log = {
	.name = "firmware-log", .data = fw_text, .size = sizeof(fw_text) - 1,
};

/*
 * Every page starts with a line naming it, so a hexdump shows where bytes
 * came from, then a pattern that differs per page and per offset, so a page
 * read from the wrong PA or at the wrong offset cannot match.
 */
static void fill(struct mapping *m, u32 idx)
{
	size_t size = PAGE_SIZE << m->order, i;
	u8 *p = page_address(m->page);

	for (i = 0; i < size; i++)
		p[i] = (u8)(i * 31 + (i >> PAGE_SHIFT) * 7 + idx * 101 + 1);
	for (i = 0; i < size; i += PAGE_SIZE)
		snprintf(p + i, 64, "devsnap-qemu %s page %zu\n", m->name, i >> PAGE_SHIFT);
}

static void free_all(void)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(maps); i++)
		if (maps[i].page)
			__free_pages(maps[i].page, maps[i].order);
	for (i = 0; i < ntables; i++)
		__free_pages(tables[i], compound_order(tables[i]));
	free_page((unsigned long)huge_pd);
	free_page((unsigned long)huge_pdpt);
	free_page((unsigned long)huge_pml4);
	free_page((unsigned long)loop_pml4);
	free_page((unsigned long)alias_pt);
	free_page((unsigned long)alias_pd);
	free_page((unsigned long)alias_pdpt);
	free_page((unsigned long)alias_pml4);
}

static int cmp_va(const void *a, const void *b)
{
	u64 x = (*(struct mapping *const *)a)->slot, y = (*(struct mapping *const *)b)->slot;

	return x < y ? -1 : x > y;
}

static int cmp_pa_down(const void *a, const void *b)
{
	phys_addr_t x = page_to_phys(*(struct page *const *)a);
	phys_addr_t y = page_to_phys(*(struct page *const *)b);

	return x > y ? -1 : x < y;
}

/*
 * The allocator's order is no promise (it changed with this module's own
 * size), so the base pages are handed out again: the lowest VA gets the
 * highest PA, and so on, so that no two are contiguous in VA and PA.
 */
static void scatter_pages(void)
{
	struct mapping *by_va[ARRAY_SIZE(maps)];
	struct page *pages[ARRAY_SIZE(maps)];
	u32 i, n = 0;

	for (i = 0; i < ARRAY_SIZE(maps); i++) {
		if (maps[i].page && maps[i].slot != BLOCK_SLOT) {
			by_va[n] = &maps[i];
			pages[n++] = maps[i].page;
		}
	}
	sort(by_va, n, sizeof(by_va[0]), cmp_va, NULL);
	sort(pages, n, sizeof(pages[0]), cmp_pa_down, NULL);
	for (i = 0; i < n; i++)
		by_va[i]->page = pages[i];
}

/* lib/build.c's memory: tables in this module's pages, aligned to their size. */
static int alloc_table(void *opaque, u64 size, u64 *pa)
{
	struct page *page;

	if (ntables == MAX_TABLES)
		return -ENOMEM;
	page = alloc_pages(GFP_KERNEL | __GFP_ZERO | __GFP_COMP, get_order(size));
	if (!page)
		return -ENOMEM;
	tables[ntables++] = page;
	*pa = page_to_phys(page);
	return 0;
}

static int write_phys(void *opaque, u64 pa, const void *buf, size_t len)
{
	memcpy(phys_to_virt(pa), buf, len);
	return 0;
}

static int read_phys(void *opaque, u64 pa, void *buf, size_t len)
{
	memcpy(buf, phys_to_virt(pa), len);
	return 0;
}

static const struct ds_build_ops build_ops = {
	.alloc_table = alloc_table,
	.write_phys = write_phys,
};

/* The 2 MiB run: one block where the format has 2 MiB leaves, else pages. */
static int map_mapping(const struct mapping *m)
{
	struct ds_attrs attrs = { .prot = DS_PROT_PR | DS_PROT_PW, .mem = DS_MEM_CACHED };
	u32 height = 0;

	if (m->size == SZ_2M && (pt.fmt->leaf_heights & 2) && ds_leaf_size(&pt, 1) == SZ_2M)
		height = 1;
	return ds_build_map(&pt, &build_ops, NULL, m->va, m->pa, m->size, height, &attrs);
}

static int build_tables(void)
{
	struct ds_pgtable_config cfg = {
		.format = ds_format_find(tf->name),
		.nroots = 1,
		.va_bits = tf->va_bits,
		.upper_half = tf->upper_half,
		.read_phys = read_phys,
	};
	u32 i, page_order;
	int ret;

	ret = ds_pgtable_init(&pt, &cfg, NULL);
	if (!ret)
		ret = ds_build_roots(&pt, &build_ops, NULL);
	if (ret)
		return ret;
	page_order = pt.fmt->page_shift - PAGE_SHIFT;
	for (i = 0; i < ARRAY_SIZE(maps); i++) {
		struct mapping *m = &maps[i];

		m->order = m->slot == BLOCK_SLOT ? get_order(SZ_2M) : page_order;
		m->size = PAGE_SIZE << m->order;
		m->va = tf->va_base +
			(m->slot == BLOCK_SLOT ? SZ_2M : m->slot << pt.fmt->page_shift);
		if (m->backing != BACKING_PAGE)
			continue;
		/* The buddy allocator aligns a block to its size, as leaves need. */
		m->page = alloc_pages(GFP_KERNEL, m->order);
		if (!m->page)
			return -ENOMEM;
	}
	scatter_pages();

	for (i = 0; i < ARRAY_SIZE(maps); i++) {
		struct mapping *m = &maps[i];

		if (!mapped(m))
			continue;
		if (m->backing == BACKING_NOT_RAM) {
			m->pa = NOT_RAM_PA;
		} else if (m->backing == BACKING_OFFLINE) {
			m->pa = offline_pa & ~(m->size - 1);
		} else {
			m->pa = page_to_phys(m->page);
			fill(m, i);
			m->blob.data = page_address(m->page);
			m->blob.size = m->size;
		}
		ret = map_mapping(m);
		if (ret) {
			pr_err(DRV_NAME ": cannot map %s in %s: %d\n", m->name, tf->name, ret);
			return ret;
		}
	}
	root_pa = pt.cfg.roots[0];
	return 0;
}

static struct mapping *mapping_named(const char *name)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(maps); i++)
		if (!strcmp(maps[i].name, name))
			return &maps[i];
	return NULL;
}

/*
 * X86_VA_BASE on: the first 1 GiB of PA in 512 2 MiB blocks, all the
 * guest's RAM to copy (one block mapped 512 times would cost the budget
 * once: 2 MiB).
 */
static int build_huge_tables(void)
{
	u32 i;

	huge_pml4 = (u64 *)get_zeroed_page(GFP_KERNEL);
	huge_pdpt = (u64 *)get_zeroed_page(GFP_KERNEL);
	huge_pd = (u64 *)get_zeroed_page(GFP_KERNEL);
	if (!huge_pml4 || !huge_pdpt || !huge_pd)
		return -ENOMEM;
	huge_pml4[X86_VA_INDEX(X86_VA_BASE, 3)] = virt_to_phys(huge_pdpt) | PTE_P | PTE_RW;
	huge_pdpt[X86_VA_INDEX(X86_VA_BASE, 2)] = virt_to_phys(huge_pd) | PTE_P | PTE_RW;
	for (i = 0; i < 512; i++)
		huge_pd[i] = (u64)i << 21 | PTE_P | PTE_RW | PTE_PS;
	return 0;
}

static int build_alias_tables(void)
{
	u64 page_pa = mapping_named("page0")->pa;
	u32 i;

	alias_pml4 = (u64 *)get_zeroed_page(GFP_KERNEL);
	alias_pdpt = (u64 *)get_zeroed_page(GFP_KERNEL);
	alias_pd = (u64 *)get_zeroed_page(GFP_KERNEL);
	alias_pt = (u64 *)get_zeroed_page(GFP_KERNEL);
	if (!alias_pml4 || !alias_pdpt || !alias_pd || !alias_pt)
		return -ENOMEM;
	alias_pml4[X86_VA_INDEX(X86_VA_BASE, 3)] = virt_to_phys(alias_pdpt) | PTE_P | PTE_RW;
	alias_pdpt[X86_VA_INDEX(X86_VA_BASE, 2)] = virt_to_phys(alias_pd) | PTE_P | PTE_RW;
	alias_pd[X86_VA_INDEX(X86_VA_BASE, 1)] = virt_to_phys(alias_pt) | PTE_P | PTE_RW;
	for (i = 0; i < ALIASES; i++)
		alias_pt[i] = page_pa | PTE_P | PTE_RW;
	alias_root = virt_to_phys(alias_pml4);
	return 0;
}

static int build_loop_table(void)
{
	loop_pml4 = (u64 *)get_zeroed_page(GFP_KERNEL);
	if (!loop_pml4)
		return -ENOMEM;
	loop_pml4[X86_VA_INDEX(X86_VA_BASE, 3)] = virt_to_phys(loop_pml4) | PTE_P | PTE_RW;
	return 0;
}

/* The io_pgtable_cfg io-pgtable would have filled for these tables. */
static int iopgtable_cfg(struct io_pgtable_cfg *cfg)
{
	u64 granule = 1ULL << pt.fmt->page_shift;

	*cfg = (struct io_pgtable_cfg){
		.pgsize_bitmap = granule | (granule == SZ_4K ? SZ_2M | SZ_1G : 0),
		.ias = pt.cfg.va_bits,
		.oas = 40,
	};
	switch (tf->iopgtable) {
	case ARM_64_LPAE_S1:
		cfg->arm_lpae_s1_cfg.ttbr = root_pa;
		cfg->arm_lpae_s1_cfg.mair = 0xf404ff44; /* io-pgtable-arm's */
		return 0;
	case ARM_64_LPAE_S2:
		/* T0SZ; SL0 as io-pgtable-arm.c encodes the start level (4K: +1, inverted). */
		cfg->arm_lpae_s2_cfg.vttbr = root_pa;
		cfg->arm_lpae_s2_cfg.vtcr.tsz = 64 - pt.cfg.va_bits;
		cfg->arm_lpae_s2_cfg.vtcr.sl = ~(4 - pt.levels + (granule == SZ_4K)) & 3;
		return 0;
	case ARM_MALI_LPAE:
		/* ADRMODE_TABLE | READ_INNER, as io-pgtable-arm.c sets them */
		cfg->arm_mali_lpae_cfg.transtab = root_pa | 0x7;
		cfg->ias = 40; /* Mali's tables have four levels whatever ias says */
		return 0;
	case APPLE_DART:
	case APPLE_DART2:
		cfg->apple_dart_cfg.ttbr[0] = root_pa;
		cfg->apple_dart_cfg.n_ttbrs = 1;
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/* What the test checks of the context devsnap_snapshot() ran in. */
static struct {
	bool irqs_off;
	unsigned long switches;
} context;

static unsigned long context_switches(void)
{
	return current->nvcsw + current->nivcsw;
}

/* The crash path: under the device's VM lock, interrupts off. */
static int snapshot_locked(const struct devsnap_request *req, bool iopgtable)
{
	struct io_pgtable_cfg cfg;
	unsigned long flags, before = context_switches();
	int ret;

	if (iopgtable) {
		ret = iopgtable_cfg(&cfg);
		if (ret)
			return ret;
	}
	spin_lock_irqsave(&vm_lock, flags);
	context.irqs_off = irqs_disabled();
	if (iopgtable)
		ret = devsnap_snapshot_iopgtable(pool, tf->iopgtable, &cfg, req);
	else
		ret = devsnap_snapshot(pool, req);
	spin_unlock_irqrestore(&vm_lock, flags);
	context.switches = context_switches() - before;
	/* Before anything that may schedule: the log shows the worker's
	 * delivery after this line.
	 */
	dev_info(&pdev->dev, "snapshot returned %d\n", ret);
	return ret;
}

/* The same from a hard interrupt, which devsnap refuses. */
static struct {
	struct hrtimer timer;
	const struct devsnap_request *req;
	int ret;
	struct completion done;
} irq_crash;

static enum hrtimer_restart irq_crash_fn(struct hrtimer *t)
{
	irq_crash.ret = devsnap_snapshot(pool, irq_crash.req);
	complete(&irq_crash.done);
	return HRTIMER_NORESTART;
}

static int snapshot_in_irq(const struct devsnap_request *req)
{
	irq_crash.req = req;
	init_completion(&irq_crash.done);
	hrtimer_init(&irq_crash.timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	irq_crash.timer.function = irq_crash_fn;
	hrtimer_start(&irq_crash.timer, ms_to_ktime(1), HRTIMER_MODE_REL_HARD);
	if (!wait_for_completion_timeout(&irq_crash.done, 10 * HZ)) {
		hrtimer_cancel(&irq_crash.timer);
		return -ETIMEDOUT;
	}
	return irq_crash.ret;
}

/*
 * Crashes while a mapped page changes state the way the kernel changes it
 * on another CPU: memory_failure() marks a page hwpoisoned as its first
 * step, a balloon driver marks a page it took logically offline
 * (PageOffline).  Set before the snapshot, or by a kprobe when the copy
 * starts, after the walk classified the page as RAM to copy; cleared after.
 */
struct page_crash {
	const char *name;
	const char *mapping;
	u32 index; /* the kernel page within the mapping */
	bool poison; /* else logically offline */
	bool race; /* set when the copy starts, not before the snapshot */
	bool alias; /* of the "alias" tables: page0 at ALIASES VAs */
};

static const struct page_crash page_crashes[] = {
	{ "balloon", "page2", 0, false, false, false },
	{ "race-poison", "block", 5, true, true, false },
	{ "race-offline", "block", 5, false, true, false },
	{ "race-alias", "page0", 0, true, true, true },
};

/*
 * How often the last page-state crash laid the dump out: once, and once
 * more per page found poisoned during the copy.
 */
static u32 layouts;

static const struct page_crash *page_crash_named(const char *name)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(page_crashes); i++)
		if (sysfs_streq(name, page_crashes[i].name))
			return &page_crashes[i];
	return NULL;
}

static void page_crash_set(const struct page_crash *pc, bool on)
{
	struct page *page = nth_page(mapping_named(pc->mapping)->page, pc->index);

	if (pc->poison && on)
		SetPageHWPoison(page);
	else if (pc->poison)
		ClearPageHWPoison(page);
	else if (on) /* what the page-type helper for PageOffline does; page_type is inverted */
		page->page_type &= ~PG_offline;
	else
		page->page_type |= PG_offline;
}

static const struct page_crash *racing;
static struct kprobe race_probe;

static int race_pre(struct kprobe *kp, struct pt_regs *regs)
{
	page_crash_set(racing, true);
	return 0;
}

static struct kprobe layout_probe;

static int layout_pre(struct kprobe *kp, struct pt_regs *regs)
{
	layouts++;
	return 0;
}

static int page_state_crash(const struct page_crash *pc, const struct devsnap_request *req)
{
	struct devsnap_request alias = { .format = DEVSNAP_FMT_X86_64, .nroots = 1 };
	int ret;

	alias.roots[0] = alias_root;
	layouts = 0;
	layout_probe = (struct kprobe){
		.symbol_name = "devsnap_layout",
		.pre_handler = layout_pre,
	};
	ret = register_kprobe(&layout_probe);
	if (ret)
		return ret;
	if (pc->race) {
		/* devsnap.ko's copy, after lib/ walked and classified the pages */
		race_probe = (struct kprobe){
			.symbol_name = "devsnap_copy_holders",
			.pre_handler = race_pre,
		};
		racing = pc;
		ret = register_kprobe(&race_probe);
		if (ret)
			goto out;
	} else {
		page_crash_set(pc, true);
	}
	ret = snapshot_locked(pc->alias ? &alias : req, false);
	if (pc->race)
		unregister_kprobe(&race_probe);
	page_crash_set(pc, false);
out:
	unregister_kprobe(&layout_probe);
	return ret;
}

/*
 * A second device, with twin=1, of a driver of its own (devsnap_qemu_twin):
 * "twins" crashes both at once, for tests/systemd's two collectors at a time.
 */
static bool twin;
module_param(twin, bool, 0400);
MODULE_PARM_DESC(twin, "add a second device, devsnap_qemu_twin, for the crash \"twins\"");

#define TWIN_NAME "devsnap_qemu_twin"
static struct platform_device *twin_pdev;
static struct devsnap_pool *twin_pool;

static int twin_probe(struct platform_device *p)
{
	twin_pool = devsnap_pool_create(&p->dev, POOL_BUDGET, PAGE_SIZE, GFP_KERNEL);
	return PTR_ERR_OR_ZERO(twin_pool);
}

static int twin_remove(struct platform_device *p)
{
	devsnap_pool_destroy(twin_pool);
	twin_pool = NULL;
	return 0;
}

static struct platform_driver twin_driver = {
	.probe = twin_probe,
	.remove = twin_remove,
	.driver = { .name = TWIN_NAME },
};

static void twin_unregister(void)
{
	if (!twin)
		return;
	platform_device_unregister(twin_pdev);
	platform_driver_unregister(&twin_driver);
}

static int twin_register(void)
{
	int ret;

	if (!twin)
		return 0;
	ret = platform_driver_register(&twin_driver);
	if (ret)
		return ret;
	twin_pdev = platform_device_register_simple(TWIN_NAME, PLATFORM_DEVID_NONE, NULL, 0);
	if (IS_ERR(twin_pdev)) {
		platform_driver_unregister(&twin_driver);
		return PTR_ERR(twin_pdev);
	}
	if (!IS_ERR_OR_NULL(twin_pool))
		return 0;
	ret = twin_pool ? PTR_ERR(twin_pool) : -ENODEV;
	twin_unregister();
	return ret;
}

/*
 * Both devices' snapshots under the one VM lock, then both delivered: two
 * devcoredumps a moment apart.  The first errno.
 */
static int crash_twins(const struct devsnap_request *req)
{
	unsigned long flags;
	int ret, twin_ret;

	if (!twin_pool)
		return -ENODEV;
	spin_lock_irqsave(&vm_lock, flags);
	ret = devsnap_snapshot(pool, req);
	twin_ret = devsnap_snapshot(twin_pool, req);
	spin_unlock_irqrestore(&vm_lock, flags);
	if (!ret)
		ret = devsnap_flush(pool);
	if (!twin_ret)
		twin_ret = devsnap_flush(twin_pool);
	return ret ? ret : twin_ret;
}

/*
 * The device's crash, as a driver handles it: the snapshot in the crash
 * path, under the VM lock; then, where sleeping is allowed, the wait for
 * devcoredump to take it.  A write error is the first errno.
 */
static ssize_t crash_write(struct file *file, const char __user *ubuf, size_t count,
			   loff_t *ppos)
{
	struct devsnap_request req = {
		.format = tf->fmt,
		.roots = { root_pa },
		.nroots = 1,
		.va_bits = pt.cfg.va_bits,
		.upper_half = tf->upper_half,
		.reason = "firmware assertion (test crash)",
		.blobs = &fw_log,
		.nblobs = 1,
		.vm_lock = DEVSNAP_VM_LOCK(&vm_lock),
	};
	u64 fpage = 1ULL << pt.fmt->page_shift;
	bool iopgtable = false;
	char which[16];
	ssize_t n = simple_write_to_buffer(which, sizeof(which) - 1, ppos, ubuf, count);
	int ret;

	if (n < 0)
		return n;
	which[n] = '\0';
	if (sysfs_streq(which, "iopgtable")) {
		iopgtable = true;
	} else if (sysfs_streq(which, "partial") || sysfs_streq(which, "over-budget")) {
		req.budget = SZ_1M;
		req.partial = which[0] == 'p';
		req.nblobs = 0;
		req.reason = NULL;
	} else if (sysfs_streq(which, "huge") || sysfs_streq(which, "loop")) {
		req = (struct devsnap_request){ .format = DEVSNAP_FMT_X86_64, .nroots = 1 };
		req.roots[0] = virt_to_phys(which[0] == 'h' ? huge_pml4 : loop_pml4);
	} else if (sysfs_streq(which, "alias")) {
		req = (struct devsnap_request){ .format = DEVSNAP_FMT_X86_64, .nroots = 1 };
		req.roots[0] = alias_root;
		req.budget = PAGE_SIZE;
	} else if (sysfs_streq(which, "off-by-one")) {
		req.va_first = tf->va_base;
		req.va_last = tf->va_base + 4 * fpage;
	} else if (sysfs_streq(which, "unaligned")) {
		req.va_first = tf->va_base + 0x800;
		req.va_last = tf->va_base + 3 * fpage - 0x801;
	} else if (sysfs_streq(which, "reversed")) {
		req.va_first = tf->va_base + fpage;
		req.va_last = tf->va_base;
	} else if (sysfs_streq(which, "irq")) {
		ret = snapshot_in_irq(&req);
		return ret ? ret : n;
	} else if (page_crash_named(which)) {
		ret = page_state_crash(page_crash_named(which), &req);
		if (!ret)
			ret = devsnap_flush(pool);
		return ret ? ret : n;
	} else if (sysfs_streq(which, "twins")) {
		ret = crash_twins(&req);
		return ret ? ret : n;
	} else if (!sysfs_streq(which, "main")) {
		return -EINVAL;
	}
	ret = snapshot_locked(&req, iopgtable);
	if (!ret)
		ret = devsnap_flush(pool);
	return ret ? ret : n;
}

static const struct file_operations crash_fops = {
	.owner = THIS_MODULE,
	.write = crash_write,
};

static int context_show(struct seq_file *s, void *unused)
{
	seq_printf(s, "irqs_off=%d switches=%lu\n", context.irqs_off, context.switches);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(context);

/* A second pool of the size written, made and given back: its failure. */
static ssize_t pool_write(struct file *file, const char __user *ubuf, size_t count,
			  loff_t *ppos)
{
	struct devsnap_pool *p;
	u64 size;
	int ret = kstrtoull_from_user(ubuf, count, 0, &size);

	if (ret)
		return ret;
	p = devsnap_pool_create(&pdev->dev, size, 0, GFP_KERNEL);
	if (IS_ERR(p))
		return PTR_ERR(p);
	devsnap_pool_destroy(p);
	return count;
}

static const struct file_operations pool_fops = {
	.owner = THIS_MODULE,
	.write = pool_write,
};

/* Changes page0 after a crash: the dump must hold the bytes from before. */
static ssize_t scribble_write(struct file *file, const char __user *ubuf, size_t count,
			      loff_t *ppos)
{
	struct mapping *m = mapping_named("page0");

	snprintf(page_address(m->page), 64, "devsnap-qemu page0 scribbled\n");
	return count;
}

static const struct file_operations scribble_fops = {
	.owner = THIS_MODULE,
	.write = scribble_write,
};

static int layout_show(struct seq_file *s, void *unused)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(maps); i++)
		if (mapped(&maps[i]))
			seq_printf(s, "%s %#llx %#llx %#llx\n", maps[i].name, maps[i].va,
				   maps[i].pa, maps[i].size);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(layout);

/* The bytes written through one open of "coredump"; dumped on close. */
struct pending_dump {
	void *buf;
	size_t len;
};

static int coredump_open(struct inode *inode, struct file *file)
{
	struct pending_dump *d = kzalloc(sizeof(*d), GFP_KERNEL);

	if (!d)
		return -ENOMEM;
	file->private_data = d;
	return 0;
}

static ssize_t coredump_write(struct file *file, const char __user *ubuf, size_t count,
			      loff_t *ppos)
{
	struct pending_dump *d = file->private_data;
	ssize_t n;

	if (!d->buf) {
		d->buf = vzalloc(COREDUMP_MAX);
		if (!d->buf)
			return -ENOMEM;
	}
	n = simple_write_to_buffer(d->buf, COREDUMP_MAX, ppos, ubuf, count);
	if (n > 0)
		d->len = max_t(size_t, d->len, *ppos);
	return n;
}

static int coredump_release(struct inode *inode, struct file *file)
{
	struct pending_dump *d = file->private_data;
	void *data = NULL;

	/* Hand devcoredump a buffer of the dump's own size, not the maximum:
	 * it keeps the buffer until userspace releases the dump.
	 */
	if (d->len)
		data = vmalloc(d->len);
	if (data) {
		memcpy(data, d->buf, d->len);
		/* Takes ownership of data, and vfree()s it when released. */
		dev_coredumpv(&pdev->dev, data, d->len, GFP_KERNEL);
	}
	vfree(d->buf);
	kfree(d);
	return 0;
}

static const struct file_operations coredump_fops = {
	.owner = THIS_MODULE,
	.open = coredump_open,
	.write = coredump_write,
	.release = coredump_release,
};

/* As a driver does: the dump's memory is reserved when the device is bound. */
static int devsnap_qemu_probe(struct platform_device *p)
{
	pool = devsnap_pool_create(&p->dev, POOL_BUDGET, PAGE_SIZE, GFP_KERNEL);
	return PTR_ERR_OR_ZERO(pool);
}

static int devsnap_qemu_remove(struct platform_device *p)
{
	devsnap_pool_destroy(pool);
	return 0;
}

static struct platform_driver devsnap_qemu_driver = {
	.probe = devsnap_qemu_probe,
	.remove = devsnap_qemu_remove,
	.driver = { .name = DRV_NAME },
};

static const struct test_format *test_format_named(const char *name)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(test_formats); i++)
		if (!strcmp(test_formats[i].name, name))
			return &test_formats[i];
	return NULL;
}

static int __init devsnap_qemu_init(void)
{
	u32 i;
	int ret;

	tf = test_format_named(format);
	if (!tf) {
		pr_err(DRV_NAME ": no test format \"%s\"\n", format);
		return -EINVAL;
	}
	ret = build_tables();
	if (!ret)
		ret = build_huge_tables();
	if (!ret)
		ret = build_loop_table();
	if (!ret)
		ret = build_alias_tables();
	if (ret)
		goto err_free;
	ret = platform_driver_register(&devsnap_qemu_driver);
	if (ret)
		goto err_free;
	pdev = platform_device_register_simple(DRV_NAME, PLATFORM_DEVID_NONE, NULL, 0);
	if (IS_ERR(pdev)) {
		ret = PTR_ERR(pdev);
		goto err_driver;
	}
	if (IS_ERR_OR_NULL(pool)) {
		ret = pool ? PTR_ERR(pool) : -ENODEV;
		goto err_device;
	}
	ret = twin_register();
	if (ret)
		goto err_device;

	dir = debugfs_create_dir(DRV_NAME, NULL);
	debugfs_create_x64("root", 0400, dir, &root_pa);
	debugfs_create_x64("alias_root", 0400, dir, &alias_root);
	debugfs_create_file("layout", 0400, dir, NULL, &layout_fops);
	debugfs_create_file("crash", 0200, dir, NULL, &crash_fops);
	debugfs_create_file("context", 0400, dir, NULL, &context_fops);
	debugfs_create_file("pool", 0200, dir, NULL, &pool_fops);
	debugfs_create_file("scribble", 0200, dir, NULL, &scribble_fops);
	debugfs_create_file("coredump", 0200, dir, NULL, &coredump_fops);
	debugfs_create_u32("layouts", 0400, dir, &layouts);
	for (i = 0; i < ARRAY_SIZE(maps); i++)
		if (maps[i].page)
			debugfs_create_blob(maps[i].name, 0400, dir, &maps[i].blob);

	pr_info(DRV_NAME ": %s device page tables at %#llx\n", tf->name, root_pa);
	return 0;

err_device:
	platform_device_unregister(pdev);
err_driver:
	platform_driver_unregister(&devsnap_qemu_driver);
err_free:
	free_all();
	return ret;
}

static void __exit devsnap_qemu_exit(void)
{
	debugfs_remove_recursive(dir);
	twin_unregister();
	platform_device_unregister(pdev);
	platform_driver_unregister(&devsnap_qemu_driver);
	free_all();
}

module_init(devsnap_qemu_init);
module_exit(devsnap_qemu_exit);
MODULE_DESCRIPTION("devsnap test device: device page tables in any format, and devcoredumps");
MODULE_LICENSE("GPL");
