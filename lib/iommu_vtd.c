// SPDX-License-Identifier: MIT
/*
 * VT-d: root table -> context entry (-> PASID directory -> PASID entry in
 * scalable mode) -> the function's page table (VT-d spec 3.x, 9.1-9.6;
 * Linux drivers/iommu/intel/iommu.h and pasid.h).
 *
 * Legacy mode: 256 root entries of 16 bytes, one per bus, pointing to 256
 * context entries of 16 bytes, one per devfn.  Scalable mode: each root
 * entry holds two context-table pointers (devfn 0-127 and 128-255), the
 * context entries are 32 bytes and point to a PASID directory; requests
 * without a PASID use the context's RID_PASID entry, whose PGTT says
 * which table translates: second-level (vtd format) or first-level
 * (x86-64 paging, 4 or 5 levels).
 */
#include "iommu.h"
#include "formats/formats.h"

#define RTADDR_TTM(r) (((r) >> 10) & 3)
#define TTM_LEGACY 0
#define TTM_SCALABLE 1

#define ENTRY_PRESENT DS_BIT(0)
#define ENTRY_ADDR DS_GENMASK(63, 12)

#define CTX_TT(lo) (((lo) >> 2) & 3)
#define TT_PASS_THROUGH 2
#define TT_RESERVED 3
#define CTX_AW(hi) ((hi) & 7)
#define CTX_DID(hi) (((hi) >> 8) & 0xffff)

#define SM_CTX_PDTS(lo) (((lo) >> 9) & 7)
#define SM_CTX_RID_PASID(hi) ((hi) & 0xfffff)
#define PASID_AW(v0) (((v0) >> 2) & 7)
#define PASID_PGTT(v0) (((v0) >> 6) & 7)
#define PGTT_FIRST_LEVEL 1
#define PGTT_SECOND_LEVEL 2
#define PGTT_NESTED 3
#define PGTT_PASS_THROUGH 4
#define PASID_DID(v1) ((v1) & 0xffff)
#define PASID_FLPM(v2) (((v2) >> 2) & 3)

static int fail(struct ds_error *err, int code, const char *what, u64 pa)
{
	err->what = what;
	err->va = DS_NO_ADDR;
	err->pa = pa;
	err->height = -1;
	return code;
}

struct reader {
	ds_read_phys_fn read_phys;
	void *opaque;
	struct ds_error *err;
};

/* n little-endian u64s at pa. */
static int read_u64s(const struct reader *rd, u64 pa, u64 *v, unsigned int n,
		     const char *what)
{
	int r = rd->read_phys(rd->opaque, pa, v, n * 8);

	if (r < 0)
		return fail(rd->err, r, what, pa);
	for (unsigned int i = 0; i < n; i++)
		v[i] = ds_le64(v[i]);
	return 0;
}

/* Second-level address width: 39, 48 or 57 bits; 0 for reserved values. */
static unsigned int sl_va_bits(unsigned int aw)
{
	return aw >= 1 && aw <= 3 ? 30 + 9 * aw : 0;
}

static int legacy_context(const struct reader *rd, u64 ctp, unsigned int devfn,
			  struct ds_iommu_domain *out)
{
	u64 pa = ctp + devfn * 16, ce[2];
	int r = read_u64s(rd, pa, ce, 2, "cannot read the context entry");

	if (r < 0)
		return r;
	if (!(ce[0] & ENTRY_PRESENT))
		return fail(rd->err, -ENOENT, "no context entry for the function: its DMA is "
			    "blocked, or no driver has set it up", pa);
	if (CTX_TT(ce[0]) == TT_PASS_THROUGH)
		return fail(rd->err, -EOPNOTSUPP, "the function is in pass-through: its DMA "
			    "reaches physical memory untranslated", pa);
	if (CTX_TT(ce[0]) == TT_RESERVED || !sl_va_bits(CTX_AW(ce[1])))
		return fail(rd->err, -EINVAL, "reserved translation type or address width in "
			    "the context entry", pa);
	out->format = &ds_format_vtd;
	out->root = ce[0] & ENTRY_ADDR;
	out->va_bits = sl_va_bits(CTX_AW(ce[1]));
	out->domain_id = CTX_DID(ce[1]);
	return 0;
}

/* The PASID-table entry requests without a PASID go through. */
static int scalable_pasid_entry(const struct reader *rd, const u64 *ce, u64 *pe)
{
	u32 pasid = SM_CTX_RID_PASID(ce[1]);
	u64 dir = ce[0] & ENTRY_ADDR, pa = dir + (u64)(pasid >> 6) * 8, pde;
	int r;

	if (pasid >> 6 >= 1u << (SM_CTX_PDTS(ce[0]) + 7))
		return fail(rd->err, -EINVAL, "the context's RID_PASID lies beyond its PASID "
			    "directory", dir);
	r = read_u64s(rd, pa, &pde, 1, "cannot read the PASID directory entry");
	if (r < 0)
		return r;
	if (!(pde & ENTRY_PRESENT))
		return fail(rd->err, -ENOENT, "no PASID table for the function's RID_PASID", pa);
	pa = (pde & ENTRY_ADDR) + (pasid & 63) * 64;
	r = read_u64s(rd, pa, pe, 3, "cannot read the PASID table entry");
	if (r < 0)
		return r;
	if (!(pe[0] & ENTRY_PRESENT))
		return fail(rd->err, -ENOENT, "no PASID entry for the function's RID_PASID", pa);
	return 0;
}

static int scalable_context(const struct reader *rd, u64 ctp, unsigned int devfn,
			    struct ds_iommu_domain *out)
{
	u64 pa = ctp + (devfn & 0x7f) * 32, ce[2], pe[3];
	int r = read_u64s(rd, pa, ce, 2, "cannot read the scalable-mode context entry");

	if (r < 0)
		return r;
	if (!(ce[0] & ENTRY_PRESENT))
		return fail(rd->err, -ENOENT, "no context entry for the function: its DMA is "
			    "blocked, or no driver has set it up", pa);
	r = scalable_pasid_entry(rd, ce, pe);
	if (r < 0)
		return r;
	out->domain_id = PASID_DID(pe[1]);
	switch (PASID_PGTT(pe[0])) {
	case PGTT_SECOND_LEVEL:
		out->format = &ds_format_vtd;
		out->root = pe[0] & ENTRY_ADDR;
		out->va_bits = sl_va_bits(PASID_AW(pe[0]));
		if (!out->va_bits)
			break;
		return 0;
	case PGTT_FIRST_LEVEL:
		if (PASID_FLPM(pe[2]) > 1)
			break;
		out->format = PASID_FLPM(pe[2]) ? &ds_format_x86_64_5l : &ds_format_x86_64;
		out->root = pe[2] & ENTRY_ADDR;
		out->va_bits = PASID_FLPM(pe[2]) ? 57 : 48;
		return 0;
	case PGTT_NESTED:
		return fail(rd->err, -EOPNOTSUPP, "the function's PASID entry nests first-level "
			    "over second-level translation, which devsnap does not walk", pa);
	case PGTT_PASS_THROUGH:
		return fail(rd->err, -EOPNOTSUPP, "the function is in pass-through: its DMA "
			    "reaches physical memory untranslated", pa);
	}
	return fail(rd->err, -EINVAL, "reserved translation type or width in the PASID entry", pa);
}

int ds_vtd_find_domain(u64 rtaddr, const struct ds_pci_function *fn,
		       ds_read_phys_fn read_phys, void *opaque, struct ds_iommu_domain *out,
		       struct ds_error *err)
{
	const struct reader rd = { read_phys, opaque, err };
	unsigned int bus = fn->rid >> 8, devfn = fn->rid & 0xff;
	u64 pa = (rtaddr & ENTRY_ADDR) + bus * 16, re[2], ctp;
	bool scalable = RTADDR_TTM(rtaddr) == TTM_SCALABLE;
	int r;

	ds_memset(out, 0, sizeof(*out));
	if (!scalable && RTADDR_TTM(rtaddr) != TTM_LEGACY)
		return fail(err, -EOPNOTSUPP, "RTADDR_REG's translation table mode (bits 11:10) "
			    "is neither legacy nor scalable", rtaddr & ENTRY_ADDR);
	r = read_u64s(&rd, pa, re, 2, "cannot read the root entry");
	if (r < 0)
		return r;
	ctp = scalable && devfn >= 128 ? re[1] : re[0];
	if (!(ctp & ENTRY_PRESENT))
		return fail(err, -ENOENT, "no context table for the function's bus: the root "
			    "entry is not present", pa);
	ctp &= ENTRY_ADDR;
	return scalable ? scalable_context(&rd, ctp, devfn, out)
			: legacy_context(&rd, ctp, devfn, out);
}
