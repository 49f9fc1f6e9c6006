// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * A page table entry may point anywhere.  MMIO reads can have side
 * effects; an offline block's memmap is not initialised, so its struct
 * page is not looked at (pfn_to_online_page()); reading a hwpoisoned page
 * machine-checks.  So a page is read only when it is System RAM, online,
 * not logically offline (ballooned) and not poisoned, through its struct
 * page (kmap, as highmem needs).  System RAM is looked up once per run in
 * the resource tree, the page flags once per page.
 */
#include <linux/highmem.h>
#include <linux/ioport.h>
#include <linux/memory_hotplug.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/page-flags.h>
#include <linux/uaccess.h>

#include "devsnap_ram.h"

/* The first System RAM at or above a PA: [first, last], clipped to the search. */
struct ram_extent {
	u64 first, last;
};

static int first_ram(struct resource *res, void *arg)
{
	struct ram_extent *e = arg;

	e->first = res->start;
	e->last = res->end;
	return 1; /* the first is enough: stop */
}

/* What walk_system_ram_range() walks; that one is not exported. */
static bool find_ram(u64 first, u64 last, struct ram_extent *e)
{
	return walk_iomem_res_desc(IORES_DESC_NONE, IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY, first,
				   last, e, first_ram) == 1;
}

enum ds_skip_reason devsnap_ram_state(unsigned long pfn, struct page **page)
{
	*page = pfn_to_online_page(pfn);
	if (!*page || PageOffline(*page))
		return DS_SKIP_OFFLINE;
	return PageHWPoison(*page) ? DS_SKIP_HWPOISON : DS_SAVED;
}

enum ds_skip_reason devsnap_ram_page(unsigned long pfn, struct page **page)
{
	struct ram_extent e;

	*page = NULL;
	if (!find_ram(PFN_PHYS(pfn), PFN_PHYS(pfn) + PAGE_SIZE - 1, &e) ||
	    e.first != PFN_PHYS(pfn) || e.last != PFN_PHYS(pfn) + PAGE_SIZE - 1)
		return DS_SKIP_NOT_RAM;
	return devsnap_ram_state(pfn, page);
}

int devsnap_ram_classify(void *opaque, u64 pa, u64 size, enum ds_skip_reason *reason,
			 u64 *run_len)
{
	u64 last = size - 1 > ~pa ? ~0ULL : pa + size - 1;
	unsigned long pfn = PHYS_PFN(pa), last_pfn;
	struct ram_extent e;
	struct page *page;

	if (!find_ram(pa, last, &e)) {
		*reason = DS_SKIP_NOT_RAM;
		*run_len = size;
		return 0;
	}
	if (e.first > pa) {
		*reason = DS_SKIP_NOT_RAM;
		*run_len = e.first - pa;
		return 0;
	}
	/* RAM from pa to e.last: runs of one page state in it. */
	last_pfn = PHYS_PFN(e.last);
	*reason = devsnap_ram_state(pfn, &page);
	while (pfn < last_pfn && devsnap_ram_state(pfn + 1, &page) == *reason)
		pfn++;
	*run_len = min(PFN_PHYS(pfn + 1), e.last + 1) - pa;
	return 0;
}

int devsnap_ram_read(void *opaque, u64 pa, void *buf, size_t len)
{
	char *to = buf;

	if (pa + len < pa)
		return -EFAULT;
	while (len) {
		size_t off = offset_in_page(pa);
		size_t n = min_t(size_t, len, PAGE_SIZE - off);
		struct page *page;
		void *from;
		unsigned long left;

		if (devsnap_ram_page(PHYS_PFN(pa), &page) != DS_SAVED)
			return -EFAULT;
		from = kmap_local_page(page);
		left = copy_mc_to_kernel(to, from + off, n);
		kunmap_local(from);
		if (left)
			return -EHWPOISON;
		to += n;
		pa += n;
		len -= n;
	}
	return 0;
}
