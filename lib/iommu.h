/* SPDX-License-Identifier: MIT */
/*
 * From a PCI function to the page table its IOMMU translates its DMA
 * with: the VT-d root and context entries (legacy and scalable mode), or
 * the AMD-Vi device table entry.  Memory is read through the caller's
 * read_phys, as the walker reads it; nothing here allocates.
 */
#ifndef DS_IOMMU_H
#define DS_IOMMU_H

#include "pgtable.h"

/* A PCI function: segment, and the requester id bus << 8 | device << 3 | function. */
struct ds_pci_function {
	u16 segment;
	u16 rid;
};

/* The page table of a function's domain. */
struct ds_iommu_domain {
	const struct ds_format *format;
	u64 root;      /* top table */
	unsigned int va_bits;
	u32 domain_id; /* VT-d DID, AMD-Vi DomainID */
};

/*
 * rtaddr: the VT-d unit's RTADDR_REG as read, its bits 11:10 (TTM) saying
 * legacy or scalable mode.  0 and the domain, or a negative errno with
 * err->what saying why, err->pa where: the read's own error, -ENOENT (no
 * context for the function), -EOPNOTSUPP (pass-through, nested or an
 * unknown mode: nothing to walk), -EINVAL (a reserved encoding).
 */
int ds_vtd_find_domain(u64 rtaddr, const struct ds_pci_function *fn,
		       ds_read_phys_fn read_phys, void *opaque, struct ds_iommu_domain *out,
		       struct ds_error *err);

/* dev_table: the AMD-Vi Device Table Base Address register as read (the
 * table's PA, and its size in bits 8:0), or the bare PA.  Errors as for
 * ds_vtd_find_domain.
 */
int ds_amd_find_domain(u64 dev_table, const struct ds_pci_function *fn,
		       ds_read_phys_fn read_phys, void *opaque, struct ds_iommu_domain *out,
		       struct ds_error *err);

#endif /* DS_IOMMU_H */
