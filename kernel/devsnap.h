/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * devsnap: what a device's MMU maps, copied at crash time and handed to
 * devcoredump as a devsnap ELF core (docs/dump-format.md); userspace saves
 * it with `devsnap collect` and reads it with the devsnap verbs, gdb or drgn.
 *
 * Two steps, for the two contexts a crash path has:
 *
 * 1. devsnap_snapshot(), in the driver's crash path, atomic context allowed:
 *    walks the tables and copies the RAM they map, each physical page once
 *    however many VAs map it, into a pool of pages the driver reserved at
 *    probe (devsnap_pool_create()).  It never sleeps and never allocates,
 *    so it may run under the driver's VM spinlock, with interrupts
 *    disabled, or inside a dma-fence signalling section.
 * 2. delivery, by devsnap's worker in process context: dev_coredumpm(),
 *    which registers a device and sends a uevent (GFP_KERNEL allocations).
 *
 * Locking contract with the driver: devsnap reads the tables and the pages
 * they map, and nothing else of the driver's; it takes no driver lock and
 * calls nothing back.  The driver keeps the tables and the pages they map
 * from changing or being freed during devsnap_snapshot(): it holds the lock
 * that serialises its page-table updates (named in &devsnap_request.vm_lock
 * so lockdep checks it), or has halted the device and every updater.  After
 * devsnap_snapshot() returns the copy is devsnap's: the driver may unmap and
 * reuse everything at once.
 *
 * One dump per device: devcoredump keeps one pending dump per device and
 * drops later ones.  devsnap never loses one silently: a snapshot while the
 * pool's previous dump is still pending fails with -EBUSY and a log line,
 * and a dump devcoredump drops (another dump of the device pending) is
 * logged and reported by devsnap_flush().  A driver that already emits its
 * own devcoredump (amdgpu, xe, msm...) passes that state as blobs of the
 * devsnap dump (&devsnap_request.blobs; reserve their size in
 * devsnap_pool_create()) instead of calling dev_coredumpm() a second time.
 */
#ifndef DEVSNAP_H
#define DEVSNAP_H

#include <linux/device.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/io-pgtable.h>
#include <linux/lockdep_types.h>
#include <linux/types.h>

#define DEVSNAP_MAX_ROOTS 4 /* DART's TTBRs; every other format has one */
#define DEVSNAP_MAX_BLOBS 8
#define DEVSNAP_BLOB_NAME_MAX 32 /* bytes of a blob's name, its NUL included */
#define DEVSNAP_REASON_MAX 128

/**
 * enum devsnap_format - the page-table formats devsnap walks
 * @DEVSNAP_FMT_NONE: no format: a request left zeroed is refused
 * @DEVSNAP_FMT_X86_64: x86-64 4-level (Intel/AMD IOMMU first-level tables)
 * @DEVSNAP_FMT_X86_64_5L: x86-64 5-level
 * @DEVSNAP_FMT_ARM64_4K: Arm VMSAv8-64 stage 1, 4K granule
 * @DEVSNAP_FMT_ARM64_16K: Arm VMSAv8-64 stage 1, 16K granule
 * @DEVSNAP_FMT_ARM64_64K: Arm VMSAv8-64 stage 1, 64K granule
 * @DEVSNAP_FMT_APPLE_UAT: Apple AGX GPU UAT (drm/asahi)
 * @DEVSNAP_FMT_MALI: Arm Mali LPAE (io-pgtable ARM_MALI_LPAE)
 * @DEVSNAP_FMT_RISCV_SV39: RISC-V Sv39
 * @DEVSNAP_FMT_RISCV_SV48: RISC-V Sv48
 * @DEVSNAP_FMT_RISCV_SV57: RISC-V Sv57
 * @DEVSNAP_FMT_DART: Apple DART, 16K pages
 * @DEVSNAP_FMT_DART2: Apple DART2, 16K pages
 * @DEVSNAP_FMT_DART_4K: Apple DART, 4K pages
 * @DEVSNAP_FMT_VTD: Intel VT-d second-level tables (an IOMMU domain)
 * @DEVSNAP_FMT_AMD_V1: AMD IOMMU v1 page tables (an IOMMU domain)
 * @DEVSNAP_FMT_ARM64_S2_4K: Arm VMSAv8-64 stage 2, 4K granule
 * @DEVSNAP_FMT_ARM64_S2_16K: Arm VMSAv8-64 stage 2, 16K granule
 * @DEVSNAP_FMT_ARM64_S2_64K: Arm VMSAv8-64 stage 2, 64K granule
 */
enum devsnap_format {
	DEVSNAP_FMT_NONE,
	DEVSNAP_FMT_X86_64,
	DEVSNAP_FMT_X86_64_5L,
	DEVSNAP_FMT_ARM64_4K,
	DEVSNAP_FMT_ARM64_16K,
	DEVSNAP_FMT_ARM64_64K,
	DEVSNAP_FMT_APPLE_UAT,
	DEVSNAP_FMT_MALI,
	DEVSNAP_FMT_RISCV_SV39,
	DEVSNAP_FMT_RISCV_SV48,
	DEVSNAP_FMT_RISCV_SV57,
	DEVSNAP_FMT_DART,
	DEVSNAP_FMT_DART2,
	DEVSNAP_FMT_DART_4K,
	DEVSNAP_FMT_VTD,
	DEVSNAP_FMT_AMD_V1,
	DEVSNAP_FMT_ARM64_S2_4K,
	DEVSNAP_FMT_ARM64_S2_16K,
	DEVSNAP_FMT_ARM64_S2_64K,
};

/**
 * struct devsnap_blob - bytes the driver keeps beside the memory
 * @name: what they are ("firmware-log", "registers"), at most
 *        DEVSNAP_BLOB_NAME_MAX - 1 bytes
 * @data: the bytes, copied during devsnap_snapshot()
 * @size: how many
 */
struct devsnap_blob {
	const char *name;
	const void *data;
	size_t size;
};

/**
 * struct devsnap_request - a device's page tables and what to keep of them
 * @format: the tables' format
 * @roots: physical address of each top table
 * @nroots: roots in use: 1, or for DART the TTBRs in use
 * @va_bits: VA width; 0: the format's default
 * @levels: stage 2 formats: table levels, 4 - the start level (VTCR_EL2.SL0),
 *          on up to 16 concatenated top tables; 0: io-pgtable's choice
 * @upper_half: sign-extended VAs (TTBR1, a firmware's kernel VM)
 * @mair: arm64 formats: the MAIR the device uses; 0: Linux io-pgtable's
 * @va_first: first device VA to walk
 * @va_last: last device VA to walk, inclusive (2^64 - 1 for the top); both 0:
 *           the whole space.  Bounds that are not page-aligned are rounded
 *           out to whole pages; @va_first > @va_last is -EINVAL
 * @budget: bytes of RAM that may be saved, a page mapped at several VAs
 *          counted once as it is copied once; 0: the pool's size
 * @partial: past the budget, keep what fits and mark the rest over-budget
 *           instead of failing with -E2BIG
 * @reason: why the dump was taken ("firmware assertion"); may be NULL
 * @e_machine: the device processor's EM_*, or EM_NONE
 * @blobs: driver state to keep beside the memory (firmware log, registers)
 * @nblobs: how many, at most DEVSNAP_MAX_BLOBS
 * @vm_lock: the driver's lock serialising updates of these tables, as
 *           DEVSNAP_VM_LOCK(&lock): asserted held under lockdep; NULL when
 *           the device is halted and nothing can update them
 */
struct devsnap_request {
	enum devsnap_format format;
	u64 roots[DEVSNAP_MAX_ROOTS];
	u32 nroots;
	u32 va_bits;
	u32 levels;
	bool upper_half;
	u64 mair;
	u64 va_first;
	u64 va_last;
	u64 budget;
	bool partial;
	const char *reason;
	u16 e_machine;
	const struct devsnap_blob *blobs;
	u32 nblobs;
	struct lockdep_map *vm_lock;
};

/* &devsnap_request.vm_lock for a spinlock or mutex: its lockdep map, if any. */
#ifdef CONFIG_DEBUG_LOCK_ALLOC
#define DEVSNAP_VM_LOCK(lock) (&(lock)->dep_map)
#else
#define DEVSNAP_VM_LOCK(lock) NULL
#endif

struct devsnap_pool;

#if IS_ENABLED(CONFIG_DEVSNAP)

struct devsnap_pool *devsnap_pool_create(struct device *dev, u64 budget, size_t blob_bytes,
					 gfp_t gfp);
void devsnap_pool_destroy(struct devsnap_pool *pool);
int devsnap_snapshot(struct devsnap_pool *pool, const struct devsnap_request *req);
int devsnap_snapshot_iopgtable(struct devsnap_pool *pool, enum io_pgtable_fmt fmt,
			       const struct io_pgtable_cfg *cfg,
			       const struct devsnap_request *req);
int devsnap_flush(struct devsnap_pool *pool);

#else /* without devsnap a driver calls the same functions, and they do nothing */

static inline struct devsnap_pool *devsnap_pool_create(struct device *dev, u64 budget,
						       size_t blob_bytes, gfp_t gfp)
{
	return ERR_PTR(-EOPNOTSUPP);
}

static inline void devsnap_pool_destroy(struct devsnap_pool *pool)
{
}

static inline int devsnap_snapshot(struct devsnap_pool *pool, const struct devsnap_request *req)
{
	return -EOPNOTSUPP;
}

static inline int devsnap_snapshot_iopgtable(struct devsnap_pool *pool, enum io_pgtable_fmt fmt,
					     const struct io_pgtable_cfg *cfg,
					     const struct devsnap_request *req)
{
	return -EOPNOTSUPP;
}

static inline int devsnap_flush(struct devsnap_pool *pool)
{
	return -EOPNOTSUPP;
}

#endif

#endif /* DEVSNAP_H */
