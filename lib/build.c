// SPDX-License-Identifier: MIT
/* The page-table builder: the walker's inverse, one leaf at a time. */
#include "build.h"

static unsigned int entry_shift(const struct ds_pgtable *pt, unsigned int height)
{
	return pt->fmt->page_shift + height * pt->level_bits;
}

int ds_build_roots(struct ds_pgtable *pt, const struct ds_build_ops *ops, void *opaque)
{
	for (unsigned int i = 0; i < pt->cfg.nroots; i++) {
		int r = ops->alloc_table(opaque, 8ULL << pt->top_bits, &pt->cfg.roots[i]);

		if (r < 0)
			return r;
	}
	return 0;
}

DS_EXPORT_BUILDER(ds_build_roots);

static int read_entry(const struct ds_pgtable *pt, u64 pa, u64 *pte)
{
	int r = pt->cfg.read_phys(pt->cfg.opaque, pa, pte, sizeof(*pte));

	*pte = ds_le64(*pte);
	return r;
}

static int write_entry(const struct ds_build_ops *ops, void *opaque, u64 pa, u64 pte)
{
	pte = ds_le64(pte);
	return ops->write_phys(opaque, pa, &pte, sizeof(pte));
}

/* The table below the entry at pa, allocating it if the entry is empty. */
static int descend(const struct ds_pgtable *pt, const struct ds_build_ops *ops, void *opaque,
		   u64 entry_pa, unsigned int height, u64 *table)
{
	struct ds_pte_info info = { .kind = DS_PTE_TABLE, .attrs = { .prot = DS_PROT_ALL } };
	u64 pte;
	int r = read_entry(pt, entry_pa, &pte);

	if (r < 0)
		return r;
	if (pte) {
		r = pt->fmt->decode(pt, pte, height, &info);
		if (r < 0 || info.kind != DS_PTE_TABLE)
			return -EEXIST; /* a leaf already covers this VA */
		*table = info.pa;
		return 0;
	}
	r = ops->alloc_table(opaque, 8ULL << pt->level_bits, &info.pa);
	if (r < 0)
		return r;
	r = pt->fmt->encode(pt, &info, height, &pte);
	if (r < 0)
		return r;
	*table = info.pa;
	return write_entry(ops, opaque, entry_pa, pte);
}

static int map_one(const struct ds_pgtable *pt, const struct ds_build_ops *ops, void *opaque,
		   u64 raw_va, u64 pa, unsigned int height, const struct ds_attrs *attrs)
{
	unsigned int root_shift = ds_root_shift(pt);
	u64 root = root_shift >= 64 ? 0 : raw_va >> root_shift;
	struct ds_pte_info leaf = { .kind = DS_PTE_LEAF, .pa = pa, .attrs = *attrs };
	u64 table, entry_pa, pte;
	int r;

	if (root >= pt->cfg.nroots)
		return -EINVAL;
	table = pt->cfg.roots[root];
	for (unsigned int h = pt->levels - 1;; h--) {
		unsigned int bits = h == pt->levels - 1 ? pt->top_bits : pt->level_bits;

		entry_pa = table + ((raw_va >> entry_shift(pt, h)) & ((1ULL << bits) - 1)) * 8;
		if (h == height)
			break;
		r = descend(pt, ops, opaque, entry_pa, h, &table);
		if (r < 0)
			return r;
	}
	r = read_entry(pt, entry_pa, &pte);
	if (r < 0)
		return r;
	if (pte)
		return -EEXIST;
	r = pt->fmt->encode(pt, &leaf, height, &pte);
	if (r < 0)
		return r;
	return write_entry(ops, opaque, entry_pa, pte);
}

int ds_build_map(const struct ds_pgtable *pt, const struct ds_build_ops *ops, void *opaque,
		 u64 va, u64 pa, u64 size, unsigned int height,
		 const struct ds_attrs *attrs)
{
	u64 mask = pt->cfg.va_bits >= 64 ? ~0ULL : (1ULL << pt->cfg.va_bits) - 1;
	u64 raw = va & mask;
	u64 leaf;

	if (height >= pt->levels || !(pt->fmt->leaf_heights & (1u << height)))
		return -EINVAL;
	leaf = ds_leaf_size(pt, height);
	if (!size || ((va | pa | size) & (leaf - 1)))
		return -EINVAL;
	if (ds_pgtable_canonical_va(pt, raw) != va || size - 1 > mask - raw)
		return -EINVAL;
	for (u64 off = 0; off < size; off += leaf) {
		int r = map_one(pt, ops, opaque, raw + off, pa + off, height, attrs);

		if (r < 0)
			return r;
	}
	return 0;
}

DS_EXPORT_BUILDER(ds_build_map);
