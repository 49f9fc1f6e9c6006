// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * A page table entry may point anywhere.  MMIO reads can have side
 * effects; an offline block's memmap is not initialised, so its struct
 * page is not looked at (pfn_to_online_page()); reading a hwpoisoned page
 * machine-checks.  So a page is read only when it is System RAM, online,
 * not logically offline (ballooned) and not poisoned, through its struct
 * page (kmap, as highmem needs).
 */
#include <linux/highmem.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/page-flags.h>

#include "devsnap_ram.h"

static enum ds_skip_reason ram_state(unsigned long pfn, struct page **page)
{
	*page = NULL;
	if (!page_is_ram(pfn))
		return DS_SKIP_NOT_RAM;
	*page = pfn_to_online_page(pfn);
	if (!*page || PageOffline(*page))
		return DS_SKIP_OFFLINE;
	return PageHWPoison(*page) ? DS_SKIP_HWPOISON : DS_SAVED;
}

int devsnap_ram_classify(void *opaque, uint64_t pa, uint64_t size, enum ds_skip_reason *reason,
			 uint64_t *run_len)
{
	unsigned long pfn = PHYS_PFN(pa), last = PHYS_PFN(pa + size - 1);
	struct page *page;

	*reason = ram_state(pfn, &page);
	while (pfn < last && ram_state(pfn + 1, &page) == *reason) {
		pfn++;
		cond_resched(); /* a 1G block is 262144 pages */
	}
	*run_len = PFN_PHYS(pfn + 1) - pa;
	return 0;
}

int devsnap_ram_read(void *opaque, uint64_t pa, void *buf, size_t len)
{
	char *to = buf;

	if (pa + len < pa)
		return -EFAULT;
	while (len) {
		size_t off = offset_in_page(pa);
		size_t n = min_t(size_t, len, PAGE_SIZE - off);
		struct page *page;

		if (ram_state(PHYS_PFN(pa), &page) != DS_SAVED)
			return -EFAULT;
		memcpy_from_page(to, page, off, n);
		to += n;
		pa += n;
		len -= n;
	}
	return 0;
}
