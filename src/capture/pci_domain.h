/* SPDX-License-Identifier: MIT */
/* capture --pci: a PCI function's IOMMU domain, found in the memory source. */
#ifndef DS_PCI_DOMAIN_H
#define DS_PCI_DOMAIN_H

#include "capture/source.h"
#include "iommu.h"

enum pci_iommu { PCI_IOMMU_NONE, PCI_IOMMU_VTD, PCI_IOMMU_AMD };

/* "[SEG:]BB:DD.F" in hex, as lspci prints it; 0 or -EINVAL (printed). */
int parse_pci_function(const char *arg, struct ds_pci_function *fn);

/* "0000:00:03.0"; buf holds 13 bytes. */
char *format_pci_function(const struct ds_pci_function *fn, char buf[static 13]);

/* The page table fn's DMA goes through, from the VT-d root table (the
 * RTADDR_REG value) or AMD-Vi device table at table in src.  Prints one
 * line saying what is missing on failure. */
int pci_find_domain(const struct source *src, enum pci_iommu iommu, uint64_t table,
		    const struct ds_pci_function *fn, struct ds_iommu_domain *out);

#endif /* DS_PCI_DOMAIN_H */
