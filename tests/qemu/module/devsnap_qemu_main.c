// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in device for devsnap's tests in a real kernel (tests/qemu/),
 * and the reference for a driver using kernel/devsnap.h.
 *
 * On load it builds an x86-64 4-level page table in kernel memory, the way a
 * device with an x86-format IOMMU would see memory, and maps into it pages
 * filled with known bytes, one 2 MiB block, a page that is not RAM, a page
 * the test may hwpoison and, given offline_pa=, a page of an offline memory
 * block.  userspace reads the root's physical address and the layout from
 * debugfs, captures through /proc/kcore and compares the bytes with the
 * blobs exposed here.
 *
 * Writing "main" to debugfs "crash" is this device's crash: it calls
 * devsnap_coredump() on those tables, as a driver's reset work would.
 * "huge" does the same on a second table that maps the block 512 times,
 * 1 GiB to copy in a smaller guest, for the allocation failure; "loop" on
 * a table that refers to itself, as a corrupted one might.  "partial" and
 * "over-budget" give "main" a 1 MiB budget, with and without partial, and
 * allocate with GFP_KERNEL where the others take the default, GFP_NOWAIT.
 *
 * Writing a file to debugfs "coredump" hands those bytes to dev_coredumpv()
 * when the file is closed, for the collector's tests.
 *
 * /sys/kernel/debug/devsnap_qemu_test/
 *   root       PA of the top table (PML4)
 *   layout     one line per mapping: name, device VA, PA, size (hex)
 *   <name>     the bytes of each RAM mapping, as the kernel sees them
 *   crash      write "main", "huge", "loop", "partial" or "over-budget":
 *              devsnap_coredump() of those tables
 *   scribble   write anything: page0's first line changes
 *   coredump   write a dump, close: a devcoredump of this device
 */
#include <linux/debugfs.h>
#include <linux/devcoredump.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "kernel/devsnap.h"

#define DRV_NAME "devsnap_qemu_test"

/* x86-64 PTE bits (SDM vol. 3, 4.5), written by hand: the device's tables,
 * not the CPU's, so no pgtable helpers. */
#define PTE_P BIT_ULL(0)
#define PTE_RW BIT_ULL(1)
#define PTE_PS BIT_ULL(7)

#define DEV_VA_BASE 0x100000000000ULL /* PML4 slot 32, PDPT and PD slot 0 */
#define DEV_VA_INDEX(va, level) (((va) >> (12 + 9 * (level))) & 511)

/* Outside RAM on a PC: the local APIC window.  Capture must not read it. */
#define NOT_RAM_PA 0xfee00000ULL

#define COREDUMP_MAX (16 << 20)

/* A PA in a memory block the guest keeps offline (run.sh adds a DIMM that
 * the kernel does not online); 0: no such mapping. */
static unsigned long offline_pa;
module_param(offline_pa, ulong, 0400);
MODULE_PARM_DESC(offline_pa, "physical address of a page in an offline memory block");

enum backing {
	BACKING_PAGE,    /* pages this module allocates and fills */
	BACKING_NOT_RAM, /* NOT_RAM_PA */
	BACKING_OFFLINE, /* offline_pa */
};

struct mapping {
	const char *name;
	u64 va;
	unsigned int order; /* 0: a 4K leaf in the PT; 9: a 2M leaf in the PD */
	enum backing backing;
	struct page *page;
	u64 pa;
	struct debugfs_blob_wrapper blob;
};

/*
 * The base pages' PAs fall as their VAs rise (see scatter_pages()): no two
 * pages are contiguous in both, and the walker must not merge them.
 */
static struct mapping maps[] = {
	{ "page0", DEV_VA_BASE + 0x3000, 0 },
	{ "page1", DEV_VA_BASE + 0x2000, 0 },
	{ "page2", DEV_VA_BASE + 0x1000, 0 },
	{ "page3", DEV_VA_BASE + 0x0000, 0 },
	{ "mmio", DEV_VA_BASE + 0x10000, 0, BACKING_NOT_RAM },
	{ "poison", DEV_VA_BASE + 0x20000, 0 },
	{ "offline", DEV_VA_BASE + 0x30000, 0, BACKING_OFFLINE },
	{ "block", DEV_VA_BASE + 0x200000, 9 },
};

/* Without offline_pa the offline mapping is left out, of the layout too. */
static bool mapped(const struct mapping *m)
{
	return m->backing != BACKING_OFFLINE || offline_pa;
}

/* The four table levels, one page each: enough for the layout above. */
static u64 *pml4, *pdpt, *pd, *pt;
static u64 root_pa;
/* The "huge" tables: one PD of 512 entries, each the 2 MiB block. */
static u64 *huge_pml4, *huge_pdpt, *huge_pd;
/* The "loop" table: a PML4 whose entry points back at itself. */
static u64 *loop_pml4;
static struct dentry *dir;
static struct platform_device *pdev;

/*
 * Every page starts with a line naming it, so a hexdump shows where bytes
 * came from, then a pattern that differs per page and per offset, so a page
 * read from the wrong PA or at the wrong offset cannot match.
 */
static void fill(struct mapping *m, unsigned int idx)
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
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(maps); i++)
		if (maps[i].page)
			__free_pages(maps[i].page, maps[i].order);
	free_page((unsigned long)pt);
	free_page((unsigned long)pd);
	free_page((unsigned long)pdpt);
	free_page((unsigned long)pml4);
	free_page((unsigned long)huge_pd);
	free_page((unsigned long)huge_pdpt);
	free_page((unsigned long)huge_pml4);
	free_page((unsigned long)loop_pml4);
}

static int cmp_va(const void *a, const void *b)
{
	u64 x = (*(struct mapping *const *)a)->va, y = (*(struct mapping *const *)b)->va;

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
	unsigned int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(maps); i++) {
		if (maps[i].page && !maps[i].order) {
			by_va[n] = &maps[i];
			pages[n++] = maps[i].page;
		}
	}
	sort(by_va, n, sizeof(by_va[0]), cmp_va, NULL);
	sort(pages, n, sizeof(pages[0]), cmp_pa_down, NULL);
	for (i = 0; i < n; i++)
		by_va[i]->page = pages[i];
}

static int build_tables(void)
{
	unsigned int i;

	pml4 = (u64 *)get_zeroed_page(GFP_KERNEL);
	pdpt = (u64 *)get_zeroed_page(GFP_KERNEL);
	pd = (u64 *)get_zeroed_page(GFP_KERNEL);
	pt = (u64 *)get_zeroed_page(GFP_KERNEL);
	if (!pml4 || !pdpt || !pd || !pt)
		return -ENOMEM;

	pml4[DEV_VA_INDEX(DEV_VA_BASE, 3)] = virt_to_phys(pdpt) | PTE_P | PTE_RW;
	pdpt[DEV_VA_INDEX(DEV_VA_BASE, 2)] = virt_to_phys(pd) | PTE_P | PTE_RW;
	pd[DEV_VA_INDEX(DEV_VA_BASE, 1)] = virt_to_phys(pt) | PTE_P | PTE_RW;

	for (i = 0; i < ARRAY_SIZE(maps); i++) {
		if (maps[i].backing != BACKING_PAGE)
			continue;
		/* The buddy allocator aligns an order-9 block to 2 MiB, as a
		 * PD leaf requires. */
		maps[i].page = alloc_pages(GFP_KERNEL, maps[i].order);
		if (!maps[i].page)
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
			m->pa = offline_pa & PAGE_MASK;
		} else {
			m->pa = page_to_phys(m->page);
			fill(m, i);
			m->blob.data = page_address(m->page);
			m->blob.size = PAGE_SIZE << m->order;
		}
		if (m->order)
			pd[DEV_VA_INDEX(m->va, 1)] = m->pa | PTE_P | PTE_RW | PTE_PS;
		else
			pt[DEV_VA_INDEX(m->va, 0)] = m->pa | PTE_P | PTE_RW;
	}
	root_pa = virt_to_phys(pml4);
	return 0;
}

static struct mapping *mapping_named(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(maps); i++)
		if (!strcmp(maps[i].name, name))
			return &maps[i];
	return NULL;
}

/* DEV_VA_BASE on: 512 x the same 2 MiB block, 1 GiB of RAM to copy. */
static int build_huge_tables(void)
{
	u64 block_pa = mapping_named("block")->pa;
	unsigned int i;

	huge_pml4 = (u64 *)get_zeroed_page(GFP_KERNEL);
	huge_pdpt = (u64 *)get_zeroed_page(GFP_KERNEL);
	huge_pd = (u64 *)get_zeroed_page(GFP_KERNEL);
	if (!huge_pml4 || !huge_pdpt || !huge_pd)
		return -ENOMEM;
	huge_pml4[DEV_VA_INDEX(DEV_VA_BASE, 3)] = virt_to_phys(huge_pdpt) | PTE_P | PTE_RW;
	huge_pdpt[DEV_VA_INDEX(DEV_VA_BASE, 2)] = virt_to_phys(huge_pd) | PTE_P | PTE_RW;
	for (i = 0; i < 512; i++)
		huge_pd[i] = block_pa | PTE_P | PTE_RW | PTE_PS;
	return 0;
}

static int build_loop_table(void)
{
	loop_pml4 = (u64 *)get_zeroed_page(GFP_KERNEL);
	if (!loop_pml4)
		return -ENOMEM;
	loop_pml4[DEV_VA_INDEX(DEV_VA_BASE, 3)] = virt_to_phys(loop_pml4) | PTE_P | PTE_RW;
	return 0;
}

/*
 * The device's crash, as a driver handles it: the device is halted, and
 * its reset work hands its page tables to devsnap before anything is
 * reused.  A write error is devsnap_coredump()'s errno.
 */
static ssize_t crash_write(struct file *file, const char __user *ubuf, size_t count,
			   loff_t *ppos)
{
	static const char fw_text[] = "fw: assertion failed at 0x1234\n";
	static const struct devsnap_blob fw_log = {
		.name = "firmware-log", .data = fw_text, .size = sizeof(fw_text) - 1,
	};
	struct devsnap_request req = {
		.format = "x86_64",
		.nroots = 1,
		.reason = "firmware assertion (test crash)",
		.blobs = &fw_log,
		.nblobs = 1,
	};
	char which[16];
	ssize_t n = simple_write_to_buffer(which, sizeof(which) - 1, ppos, ubuf, count);
	int ret;

	if (n < 0)
		return n;
	which[n] = '\0';
	if (sysfs_streq(which, "main"))
		req.roots[0] = root_pa;
	else if (sysfs_streq(which, "partial") || sysfs_streq(which, "over-budget"))
		req = (struct devsnap_request){ .format = "x86_64", .roots = { root_pa }, .nroots = 1,
						.budget = SZ_1M, .partial = which[0] == 'p',
						.gfp = GFP_KERNEL };
	else if (sysfs_streq(which, "huge"))
		req.roots[0] = virt_to_phys(huge_pml4);
	else if (sysfs_streq(which, "loop"))
		req.roots[0] = virt_to_phys(loop_pml4);
	else
		return -EINVAL;
	ret = devsnap_coredump(&pdev->dev, &req);
	return ret ? ret : n;
}

static const struct file_operations crash_fops = {
	.owner = THIS_MODULE,
	.write = crash_write,
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
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(maps); i++)
		if (mapped(&maps[i]))
			seq_printf(s, "%s %#llx %#llx %#lx\n", maps[i].name, maps[i].va,
				   maps[i].pa, PAGE_SIZE << maps[i].order);
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
	 * it keeps the buffer until userspace releases the dump. */
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

/* A bound driver, so that the dump's failing_device names DRIVER=. */
static int devsnap_qemu_probe(struct platform_device *p)
{
	return 0;
}

static struct platform_driver devsnap_qemu_driver = {
	.probe = devsnap_qemu_probe,
	.driver = { .name = DRV_NAME },
};

static int __init devsnap_qemu_init(void)
{
	unsigned int i;
	int ret;

	ret = build_tables();
	if (!ret)
		ret = build_huge_tables();
	if (!ret)
		ret = build_loop_table();
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

	dir = debugfs_create_dir(DRV_NAME, NULL);
	debugfs_create_x64("root", 0400, dir, &root_pa);
	debugfs_create_file("layout", 0400, dir, NULL, &layout_fops);
	debugfs_create_file("crash", 0200, dir, NULL, &crash_fops);
	debugfs_create_file("scribble", 0200, dir, NULL, &scribble_fops);
	debugfs_create_file("coredump", 0200, dir, NULL, &coredump_fops);
	for (i = 0; i < ARRAY_SIZE(maps); i++)
		if (maps[i].page)
			debugfs_create_blob(maps[i].name, 0400, dir, &maps[i].blob);

	pr_info(DRV_NAME ": device page tables at %#llx\n", root_pa);
	return 0;

err_driver:
	platform_driver_unregister(&devsnap_qemu_driver);
err_free:
	free_all();
	return ret;
}

static void __exit devsnap_qemu_exit(void)
{
	debugfs_remove_recursive(dir);
	platform_device_unregister(pdev);
	platform_driver_unregister(&devsnap_qemu_driver);
	free_all();
}

module_init(devsnap_qemu_init);
module_exit(devsnap_qemu_exit);
MODULE_DESCRIPTION("devsnap test device: x86-64 device page tables and devcoredumps");
MODULE_LICENSE("GPL");
