/* SPDX-License-Identifier: MIT */
/* VMSAv8-64 descriptor fields, shared by arm64-* (both stages), mali and apple-uat. */
#ifndef DS_VMSAV8_H
#define DS_VMSAV8_H

#include "formats.h"

#define V8_VALID DS_BIT(0)
#define V8_TYPE_MASK 3ULL
#define V8_TYPE_TABLE 3ULL /* also "page" at the last level */
#define V8_TYPE_BLOCK 1ULL
#define V8_ATTRINDX_SHIFT 2
#define V8_AP_SHIFT 6
#define V8_SH_INNER (3ULL << 8)
#define V8_AF DS_BIT(10)
#define V8_PXN DS_BIT(53)
#define V8_UXN DS_BIT(54)
#define V8_PXN_TABLE DS_BIT(59)
#define V8_UXN_TABLE DS_BIT(60)
#define V8_AP_TABLE_NO_EL0 DS_BIT(61)
#define V8_AP_TABLE_NO_WRITE DS_BIT(62)

/* Linux io-pgtable-arm's MAIR: 0 non-cacheable, 1 write-back, 2 device, 3 inner NC. */
#define V8_DEFAULT_MAIR 0xf404ff44ULL

/* Output address of an entry mapping (or pointing at) 1 << shift bytes. */
u64 ds_vmsav8_oa(const struct ds_pgtable *pt, u64 pte, unsigned int shift);

/* The inverse: the entry bits for pa; -EINVAL if pa does not fit. */
int ds_vmsav8_oa_bits(const struct ds_pgtable *pt, u64 pa, u64 *bits);

/* Which kind of descriptor pte is at height, and the PA it holds: the
 * shape both stages share; the caller decodes the attributes.
 */
void ds_vmsav8_decode_kind(const struct ds_pgtable *pt, u64 pte, unsigned int height,
			   struct ds_pte_info *out);

/* The memory type an AttrIndx selects in the table's MAIR. */
u8 ds_vmsav8_mem_type(const struct ds_pgtable *pt, unsigned int attr_index);

/* The AttrIndx whose MAIR byte gives mem (cached if none does). */
unsigned int ds_vmsav8_attr_index(const struct ds_pgtable *pt, u8 mem);

#endif /* DS_VMSAV8_H */
