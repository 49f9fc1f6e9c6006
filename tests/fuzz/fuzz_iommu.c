// SPDX-License-Identifier: MIT
/*
 * From a PCI function to its table over arbitrary memory: the first bytes
 * choose VT-d or AMD-Vi, the table register's value and the requester id;
 * the rest is physical memory from PA 0.  Any input must end in a domain
 * whose tables walk to ranges or a clean error, or in a clean error.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "iommu.h"

#define HEADER 8

struct fuzz_mem {
	const uint8_t *bytes;
	size_t size;
};

static int fuzz_read(void *opaque, uint64_t pa, void *buf, size_t len)
{
	const struct fuzz_mem *m = opaque;

	if (pa > m->size || len > m->size - pa)
		return -EFAULT;
	memcpy(buf, m->bytes + pa, len);
	return 0;
}

static void walk_domain(const struct ds_iommu_domain *d, struct fuzz_mem *mem)
{
	struct ds_pgtable_config cfg = {
		.format = d->format, .roots = { d->root }, .nroots = 1, .va_bits = d->va_bits,
		.max_tables = 64, .read_phys = fuzz_read, .opaque = mem,
	};
	struct ds_pgtable pt;
	struct ds_walk w;
	struct ds_range r;
	int ret;

	if (ds_pgtable_init(&pt, &cfg, NULL) < 0 || ds_walk_begin(&w, &pt, 0, ~0ULL) < 0)
		return;
	while ((ret = ds_walk_next(&w, &r)) == 1)
		if (r.size == 0 || r.va + (r.size - 1) < r.va)
			__builtin_trap();
	if (ret < 0 && !w.error.what)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_mem mem = { data + HEADER, size - HEADER };
	struct ds_pci_function fn = { 0 };
	struct ds_iommu_domain d;
	struct ds_error err = { 0 };
	uint64_t table;
	int r;

	if (size < HEADER)
		return 0;
	fn.rid = (uint16_t)(data[1] | data[2] << 8);
	/* a register value: PA bits from the header, its low bits as they come */
	table = (uint64_t)(data[3] | data[4] << 8) << 12 | ((data[5] | data[6] << 8) & 0xfff);
	r = data[0] & 1 ? ds_amd_find_domain(table, &fn, fuzz_read, &mem, &d, &err)
			: ds_vtd_find_domain(table, &fn, fuzz_read, &mem, &d, &err);
	if (r < 0 && !err.what)
		__builtin_trap();
	if (r == 0)
		walk_domain(&d, &mem);
	return 0;
}
