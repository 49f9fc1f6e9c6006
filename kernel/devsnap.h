/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * devsnap in the kernel: at crash time, walk a device's page tables, copy
 * every page they map that is online, healthy RAM into fresh memory, and
 * hand the copy to devcoredump as a devsnap ELF core (docs/dump-format.md).
 * userspace then saves it with `devsnap collect` and reads it with the
 * devsnap verbs, gdb or drgn.
 */
#ifndef DEVSNAP_H
#define DEVSNAP_H

#include <linux/device.h>
#include <linux/gfp.h>
#include <linux/types.h>

#define DEVSNAP_MAX_ROOTS 4 /* DART's TTBRs; every other format has one */

/* Bytes the driver wants kept beside the memory: firmware log, registers. */
struct devsnap_blob {
	const char *name;
	const void *data;
	size_t size;
};

struct devsnap_request {
	const char *format;            /* "arm64-4k", "apple-uat", ...: `devsnap formats` */
	u64 roots[DEVSNAP_MAX_ROOTS];  /* physical address of each top table */
	unsigned int nroots;
	unsigned int va_bits;          /* 0: the format's default */
	bool upper_half;               /* sign-extended VAs (TTBR1, kernel VM) */
	/* va_last inclusive (2^64 - 1 for the top); both 0: the whole space.
	 * Not page-aligned: rounded out to whole pages (lib/snapshot.h);
	 * va_first > va_last: -EINVAL. */
	u64 va_first, va_last;
	u64 budget;                    /* bytes that may be copied; 0: no limit */
	bool partial;                  /* past the budget, keep what fits */
	const char *reason;            /* "firmware assertion", ...; may be NULL */
	u16 e_machine;                 /* the device processor's EM_*, or EM_NONE */
	gfp_t gfp;                     /* 0: GFP_NOWAIT, see below */
	const struct devsnap_blob *blobs;
	unsigned int nblobs;
};

/**
 * devsnap_coredump() - snapshot what a device's MMU maps, as a devcoredump
 * @dev: the device that crashed; the dump appears as its devcoredump
 * @req: its page tables and what to keep; only read during the call
 *
 * Walks the tables, copies the RAM they map and hands the copy to
 * devcoredump, which owns it from then on (and drops it if @dev already
 * has a dump pending).  Only RAM that is online and not hwpoisoned is
 * read; MMIO never is.
 *
 * Memory is allocated with @req->gfp: by default GFP_NOWAIT, no reclaim,
 * so that a reset path that signals dma-fences (which must not enter
 * reclaim) may call it; GFP_KERNEL lets reclaim make room.  Never the OOM
 * killer, and never more than the allocator can spare: a copy that does
 * not fit fails.
 *
 * Context: process context (it sleeps), with the device halted so that its
 * tables and memory hold still, e.g. from the driver's reset work.
 *
 * Return: 0, or a negative errno with everything freed and a line in the
 * kernel log: -ENOMEM when the copy cannot be allocated, -E2BIG over the
 * budget without partial, -EINVAL for a bad request, -ELOOP and others for
 * tables the walker refuses.
 */
int devsnap_coredump(struct device *dev, const struct devsnap_request *req);

#endif /* DEVSNAP_H */
