// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Drivers whose MMU the kernel's io-pgtable drives (panfrost and panthor
 * with ARM_MALI_LPAE, arm-smmu with ARM_64_LPAE_S1 and S2, apple-dart with
 * APPLE_DART and APPLE_DART2) hold their tables as an io_pgtable_cfg: this
 * reads devsnap's format and roots out of it, as io-pgtable-arm.c and
 * io-pgtable-dart.c filled it in.
 */
#define dev_fmt(fmt) "devsnap: " fmt

#include <linux/bits.h>
#include <linux/io-pgtable.h>
#include <linux/sizes.h>

#include "devsnap_pool.h"

/* io-pgtable-arm.c: Mali's TRANSTAB holds the table address and mode bits. */
#define MALI_TRANSTAB_ADDR GENMASK_ULL(47, 12)
/* io-pgtable-arm.c builds Mali tables with all four levels, whatever ias. */
#define MALI_VA_BITS 48
/* VTTBR_EL2.BADDR; bit 0 is CnP, the VMID is above. */
#define VTTBR_BADDR GENMASK_ULL(47, 1)

/* The smallest page io-pgtable maps is the granule. */
static u64 granule(const struct io_pgtable_cfg *cfg)
{
	return cfg->pgsize_bitmap & -cfg->pgsize_bitmap;
}

static int from_arm_s1(const struct io_pgtable_cfg *cfg, struct devsnap_request *req)
{
	switch (granule(cfg)) {
	case SZ_4K:
		req->format = DEVSNAP_FMT_ARM64_4K;
		break;
	case SZ_16K:
		req->format = DEVSNAP_FMT_ARM64_16K;
		break;
	case SZ_64K:
		req->format = DEVSNAP_FMT_ARM64_64K;
		break;
	default:
		return -EINVAL;
	}
	req->roots[0] = cfg->arm_lpae_s1_cfg.ttbr;
	req->nroots = 1;
	req->va_bits = cfg->ias;
	req->upper_half = cfg->quirks & IO_PGTABLE_QUIRK_ARM_TTBR1;
	req->mair = cfg->arm_lpae_s1_cfg.mair;
	return 0;
}

/*
 * Stage 2: the IPA width and start level are in VTCR's fields as
 * io-pgtable-arm.c set them (T0SZ, SL0, whose encoding differs for 4K);
 * VTTBR holds the (concatenated) top table.
 */
static int from_arm_s2(const struct io_pgtable_cfg *cfg, struct devsnap_request *req)
{
	u32 sl0 = cfg->arm_lpae_s2_cfg.vtcr.sl;
	int start;

	switch (granule(cfg)) {
	case SZ_4K:
		req->format = DEVSNAP_FMT_ARM64_S2_4K;
		start = 2 - sl0;
		break;
	case SZ_16K:
		req->format = DEVSNAP_FMT_ARM64_S2_16K;
		start = 3 - sl0;
		break;
	case SZ_64K:
		req->format = DEVSNAP_FMT_ARM64_S2_64K;
		start = 3 - sl0;
		break;
	default:
		return -EINVAL;
	}
	if (start < 0 || cfg->arm_lpae_s2_cfg.vtcr.tsz > 64)
		return -EINVAL;
	req->roots[0] = cfg->arm_lpae_s2_cfg.vttbr & VTTBR_BADDR;
	req->nroots = 1;
	req->va_bits = 64 - cfg->arm_lpae_s2_cfg.vtcr.tsz;
	req->levels = 4 - start;
	return 0;
}

static int from_mali(const struct io_pgtable_cfg *cfg, struct devsnap_request *req)
{
	if (granule(cfg) != SZ_4K)
		return -EINVAL;
	req->format = DEVSNAP_FMT_MALI;
	req->roots[0] = cfg->arm_mali_lpae_cfg.transtab & MALI_TRANSTAB_ADDR;
	req->nroots = 1;
	req->va_bits = MALI_VA_BITS;
	return 0;
}

static int from_dart(enum io_pgtable_fmt fmt, const struct io_pgtable_cfg *cfg,
		     struct devsnap_request *req)
{
	u32 i;

	if (granule(cfg) == SZ_16K)
		req->format = fmt == APPLE_DART2 ? DEVSNAP_FMT_DART2 : DEVSNAP_FMT_DART;
	else if (granule(cfg) == SZ_4K && fmt == APPLE_DART)
		req->format = DEVSNAP_FMT_DART_4K;
	else
		return -EINVAL;
	if (!cfg->apple_dart_cfg.n_ttbrs || cfg->apple_dart_cfg.n_ttbrs > DEVSNAP_MAX_ROOTS)
		return -EINVAL;
	for (i = 0; i < cfg->apple_dart_cfg.n_ttbrs; i++)
		req->roots[i] = cfg->apple_dart_cfg.ttbr[i];
	req->nroots = cfg->apple_dart_cfg.n_ttbrs;
	req->va_bits = cfg->ias;
	return 0;
}

/* Fills req's format, roots, VA width, half and MAIR from fmt and cfg. */
static int from_iopgtable(enum io_pgtable_fmt fmt, const struct io_pgtable_cfg *cfg,
			  struct devsnap_request *req)
{
	switch (fmt) {
	case ARM_64_LPAE_S1:
		return from_arm_s1(cfg, req);
	case ARM_64_LPAE_S2:
		return from_arm_s2(cfg, req);
	case ARM_MALI_LPAE:
		return from_mali(cfg, req);
	case APPLE_DART:
	case APPLE_DART2:
		return from_dart(fmt, cfg, req);
	default: /* 32-bit, v7s, AMD: no devsnap format yet */
		return -EOPNOTSUPP;
	}
}

/**
 * devsnap_snapshot_iopgtable() - devsnap_snapshot() of io-pgtable's tables
 * @pool: the device's pool, from devsnap_pool_create()
 * @fmt: the format the driver passed to alloc_io_pgtable_ops()
 * @cfg: the cfg io-pgtable filled in: ttbr (transtab, vttbr, DART ttbrs), ias
 *       (stage 2: vtcr.tsz and vtcr.sl), pgsize_bitmap (the granule), quirks
 *       (ARM_TTBR1: the upper half), mair
 * @req: what else to keep: range, budget, reason, blobs, vm_lock; its
 *       format, roots, va_bits, levels, upper_half and mair are ignored
 *
 * ARM_64_LPAE_S1 and ARM_64_LPAE_S2 (4K, 16K and 64K granules; stage 2 with
 * its concatenated top tables), ARM_MALI_LPAE, APPLE_DART (16K and 4K) and
 * APPLE_DART2 are understood.
 *
 * Context: as devsnap_snapshot().
 *
 * Return: as devsnap_snapshot(); -EOPNOTSUPP for another io-pgtable format,
 * -EINVAL for a cfg devsnap cannot read.
 */
int devsnap_snapshot_iopgtable(struct devsnap_pool *pool, enum io_pgtable_fmt fmt,
			       const struct io_pgtable_cfg *cfg,
			       const struct devsnap_request *req)
{
	struct devsnap_request mapped = *req;
	int ret;

	mapped.upper_half = false;
	mapped.mair = 0;
	mapped.levels = 0;
	ret = from_iopgtable(fmt, cfg, &mapped);
	if (ret) {
		dev_err(pool->dev, "io-pgtable format %d with granule %#llx: %s\n", fmt,
			granule(cfg), ret == -EOPNOTSUPP ? "not a format devsnap walks"
							 : "a configuration devsnap cannot read");
		return ret;
	}
	return devsnap_snapshot(pool, &mapped);
}
EXPORT_SYMBOL_GPL(devsnap_snapshot_iopgtable);
