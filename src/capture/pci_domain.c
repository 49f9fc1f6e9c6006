// SPDX-License-Identifier: MIT
/* capture --pci: parse the function's address, find its domain in the source. */
#include "capture/pci_domain.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "basic/log.h"

int parse_pci_function(const char *arg, struct ds_pci_function *fn)
{
	unsigned seg = 0, bus, dev, func;
	int end = 0;

	if (sscanf(arg, "%x:%x:%x.%x%n", &seg, &bus, &dev, &func, &end) != 4 || arg[end]) {
		seg = 0;
		end = 0;
		if (sscanf(arg, "%x:%x.%x%n", &bus, &dev, &func, &end) != 3 || arg[end])
			return log_error("--pci: '%s' is not [SEGMENT:]BUS:DEVICE.FUNCTION", arg);
	}
	if (seg > 0xffff || bus > 0xff || dev > 0x1f || func > 7)
		return log_error("--pci: '%s' is out of range (segment ffff, bus ff, device 1f, "
				 "function 7 at most)", arg);
	fn->segment = (uint16_t)seg;
	fn->rid = (uint16_t)(bus << 8 | dev << 3 | func);
	return 0;
}

char *format_pci_function(const struct ds_pci_function *fn, char buf[static 13])
{
	snprintf(buf, 13, "%04x:%02x:%02x.%u", fn->segment, fn->rid >> 8, fn->rid >> 3 & 0x1f,
		 fn->rid & 7);
	return buf;
}

int pci_find_domain(const struct source *src, enum pci_iommu iommu, uint64_t table,
		    const struct ds_pci_function *fn, struct ds_iommu_domain *out)
{
	struct ds_error err = { 0 };
	char bdf[13];
	int r = iommu == PCI_IOMMU_VTD
			? ds_vtd_find_domain(table, fn, src->read_phys, src->priv, out, &err)
			: ds_amd_find_domain(table, fn, src->read_phys, src->priv, out, &err);

	if (r == 0)
		return 0;
	format_pci_function(fn, bdf);
	if (r == -EINVAL || r == -ENOENT || r == -EOPNOTSUPP)
		return log_error("%s in %s: %s (PA 0x%" PRIx64 ")", bdf, src->name, err.what,
				 err.pa), r;
	return log_error_errno(r, "%s in %s: %s at PA 0x%" PRIx64, bdf, src->name, err.what,
			       err.pa);
}
