// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in device for devsnap's tests in a real kernel (tests/qemu/).
 *
 * On load it builds an x86-64 4-level page table in kernel memory, the way a
 * device with an x86-format IOMMU would see memory, and maps into it pages
 * filled with known bytes, one 2 MiB block, a page that is not RAM, a page
 * the test may hwpoison and, given offline_pa=, a page of an offline memory
 * block.  userspace reads the root's physical address and the layout from
 * debugfs, captures through /proc/kcore and compares the bytes with the
 * blobs exposed here.
 *
 * devsnap's lib/ is compiled into this module (see Kbuild), so the same
 * walker and dump writer run here, in the kernel, over the same tables: the
 * guest checks that "walk" matches what devsnap found through /proc/kcore,
 * and that "selfdump", written at load by lib/snapshot.c and
 * lib/dump_write.c, is a dump devsnap verifies and reads.
 *
 * Writing a file to debugfs "coredump" hands those bytes to dev_coredumpv()
 * when the file is closed, as a driver would after a firmware crash.
 *
 * /sys/kernel/debug/devsnap_qemu_test/
 *   root       PA of the top table (PML4)
 *   layout     one line per mapping: name, device VA, PA, size (hex)
 *   <name>     the bytes of each RAM mapping, as the kernel sees them
 *   walk       lib's walk of the tables, done on each read: one line per
 *              range: device VA, PA, size, ds_prot bits (hex)
 *   selfdump   the devsnap dump of the tables the module wrote at load
 *   coredump   write a dump, close: a devcoredump of this device
 */
#include <linux/debugfs.h>
#include <linux/devcoredump.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/page-flags.h>
#include <linux/platform_device.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>

#include "lib/dump.h"
#include "lib/pgtable.h"
#include "lib/snapshot.h"

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
static struct dentry *dir;
static struct platform_device *pdev;
static struct debugfs_blob_wrapper selfdump;

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
	vfree(selfdump.data);
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

/*
 * What the page at pa is, the way a driver's crash-time copy must decide
 * it: a PTE may point anywhere, MMIO included, where a read can have side
 * effects; an offline block's memmap is not initialised, so its struct
 * page is not looked at (pfn_to_online_page()); a hwpoisoned page's read
 * would machine-check.
 */
static enum ds_skip_reason ram_state(u64 pa, struct page **page)
{
	unsigned long pfn = PHYS_PFN(pa);

	*page = NULL;
	if (!page_is_ram(pfn))
		return DS_SKIP_NOT_RAM;
	*page = pfn_to_online_page(pfn);
	if (!*page || PageOffline(*page))
		return DS_SKIP_OFFLINE;
	return PageHWPoison(*page) ? DS_SKIP_HWPOISON : DS_SAVED;
}

/* lib's view of physical memory: saved-class RAM only, read through its
 * page (kmap, as highmem would need). */
static struct page *ram_page(u64 pa)
{
	struct page *page;

	return ram_state(pa, &page) == DS_SAVED ? page : NULL;
}

static int read_ram(void *opaque, uint64_t pa, void *buf, size_t len)
{
	char *to = buf;

	if (pa + len < pa)
		return -EFAULT;
	while (len) {
		size_t off = offset_in_page(pa);
		size_t n = min_t(size_t, len, PAGE_SIZE - off);
		struct page *page = ram_page(pa);

		if (!page)
			return -EFAULT;
		memcpy_from_page(to, page, off, n);
		to += n;
		pa += n;
		len -= n;
	}
	return 0;
}

/* The device's tables as lib describes them: x86-64, 4 levels, one root. */
static int device_pgtable(struct ds_pgtable *pt)
{
	struct ds_pgtable_config cfg = {
		.format = ds_format_find("x86_64"),
		.roots = { root_pa },
		.nroots = 1,
		.read_phys = read_ram,
	};
	struct ds_error err;
	int ret = ds_pgtable_init(pt, &cfg, &err);

	if (ret)
		pr_err(DRV_NAME ": ds_pgtable_init: %s\n", err.what);
	return ret;
}

static void walk_error(const char *who, const struct ds_error *e, int ret)
{
	pr_err(DRV_NAME ": %s: %d, %s (va %#llx, pa %#llx, height %d)\n", who, ret,
	       e->what ? e->what : "", e->va, e->pa, e->height);
}

/* Walks on every read, so the file shows the tables as they are now. */
static int walk_show(struct seq_file *s, void *unused)
{
	struct ds_pgtable pt;
	struct ds_walk *w;
	struct ds_range r;
	int ret;

	ret = device_pgtable(&pt);
	if (ret)
		return ret;
	/* About 2.8 KiB, over the kernel's 2 KiB frame limit. */
	w = kmalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	ret = ds_walk_begin(w, &pt, 0, ~0ULL);
	while (!ret) {
		ret = ds_walk_next(w, &r);
		if (ret <= 0)
			break;
		seq_printf(s, "%#llx %#llx %#llx %#x\n", r.va, r.pa, r.size, r.attrs.prot);
		ret = 0;
	}
	if (ret < 0)
		walk_error("walk", &w->error, ret);
	kfree(w);
	return ret;
}
DEFINE_SHOW_ATTRIBUTE(walk);

/* What lib/snapshot.c saves: RAM; the rest is skipped, and why. */
static int classify_ram(void *opaque, uint64_t pa, uint64_t size, enum ds_skip_reason *reason,
			uint64_t *run_len)
{
	struct page *page;

	*reason = ram_state(pa, &page);
	/* One page at a time: the layout is a handful of pages and a block. */
	*run_len = PAGE_SIZE - offset_in_page(pa);
	return 0;
}

/* Far more than the layout's 8 ranges can split into. */
#define SELFDUMP_MAX_SEGS 32

struct selfdump_ctx {
	struct ds_snapshot snap; /* holds a struct ds_walk: too big for the stack */
	struct ds_segment segs[SELFDUMP_MAX_SEGS];
	size_t nsegs;
};

static int add_segment(void *opaque, const struct ds_segment *seg)
{
	struct selfdump_ctx *c = opaque;

	if (c->nsegs == SELFDUMP_MAX_SEGS)
		return -ENOMEM;
	c->segs[c->nsegs++] = *seg;
	return 0;
}

static int read_segment(void *opaque, const struct ds_segment *seg, uint64_t off, void *buf,
			size_t len)
{
	return read_ram(opaque, seg->pa + off, buf, len);
}

/*
 * Read in pieces of an odd size, as devcoredump's read callback is called,
 * so that pieces start and end inside the headers, the notes and the data.
 */
#define SELFDUMP_PIECE 3000

/*
 * A devsnap dump of the device's tables, written by lib in the kernel
 * into a vmalloc buffer: snapshot, layout, then the file read out piece
 * by piece.  Done at load, before the test poisons a page.
 */
static int make_selfdump(void)
{
	struct ds_snapshot_config scfg = { .va_first = 0, .va_last = ~0ULL };
	struct ds_dump_info info = {
		.device = DRV_NAME,
		.driver = DRV_NAME,
		.reason = "in-kernel self-dump",
		.time_ns = ktime_get_real_ns(),
	};
	struct ds_dump_writer w = { .info = &info, .read_data = read_segment };
	struct selfdump_ctx *c;
	struct ds_pgtable pt;
	u8 *buf = NULL;
	u64 off;
	int ret;

	ret = device_pgtable(&pt);
	if (ret)
		return ret;
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	scfg.pt = &pt;
	scfg.classify = classify_ram;
	scfg.add_segment = add_segment;
	scfg.opaque = c;
	ret = ds_snapshot_run(&c->snap, &scfg);
	if (ret) {
		walk_error("snapshot", &c->snap.error, ret);
		goto out;
	}
	info.pt = &pt;
	w.segs = c->segs;
	w.nsegs = c->nsegs;
	ret = ds_dump_layout(&w);
	if (ret) {
		pr_err(DRV_NAME ": ds_dump_layout: %d\n", ret);
		goto out;
	}
	buf = vmalloc(w.size);
	if (!buf) {
		ret = -ENOMEM;
		goto out;
	}
	for (off = 0; off < w.size;) {
		s64 n = ds_dump_read(&w, off, buf + off, SELFDUMP_PIECE);

		if (n <= 0) {
			pr_err(DRV_NAME ": ds_dump_read at %llu: %lld\n", off, n);
			ret = n ? (int)n : -EIO;
			goto out;
		}
		off += n;
	}
	selfdump.data = buf;
	selfdump.size = w.size;
	buf = NULL;
	pr_info(DRV_NAME ": self-dump of %zu segments, %llu bytes\n", c->nsegs, w.size);
out:
	vfree(buf);
	kfree(c);
	return ret;
}

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
	.llseek = no_llseek,
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
	if (ret)
		goto err_free;
	/* Not fatal: the guest's other checks still run, and this one's
	 * failure shows as a missing "selfdump" and a line in the log. */
	if (make_selfdump())
		pr_err(DRV_NAME ": no self-dump\n");
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
	debugfs_create_file("walk", 0400, dir, NULL, &walk_fops);
	if (selfdump.data)
		debugfs_create_blob("selfdump", 0400, dir, &selfdump);
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
