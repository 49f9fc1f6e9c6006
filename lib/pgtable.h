/* SPDX-License-Identifier: MIT */
/*
 * Device page tables: describe one, then walk it as merged ranges.
 *
 * Physical memory is read only through the caller's read_phys callback,
 * which may fail; nothing here allocates.  A walk visits table entries,
 * never unmapped VA space, so its cost follows what is mapped.
 */
#ifndef DS_PGTABLE_H
#define DS_PGTABLE_H

#include "ds_base.h"

#define DS_MAX_LEVELS 6 /* page-table levels below the root pointers (AMD v1: 6) */
#define DS_MAX_ROOTS 4  /* DART's TTBRs; every other format has one */
#define DS_WALK_CHUNK 64 /* entries fetched per read_phys call */
#define DS_DEFAULT_MAX_TABLES 0x100000u /* 2^20 */

/* Permissions, for the privileged (firmware, kernel) and unprivileged
 * (user, GPU) accessor.  Formats without privilege levels set both.
 */
enum ds_prot {
	DS_PROT_PR = 1 << 0,
	DS_PROT_PW = 1 << 1,
	DS_PROT_PX = 1 << 2,
	DS_PROT_UR = 1 << 3,
	DS_PROT_UW = 1 << 4,
	DS_PROT_UX = 1 << 5,
};

#define DS_PROT_ALL 0x3f

enum ds_mem_type {
	DS_MEM_UNKNOWN = 0, /* the format does not say */
	DS_MEM_CACHED,
	DS_MEM_UNCACHED,
	DS_MEM_DEVICE, /* MMIO: never read */
};

struct ds_attrs {
	u8 prot; /* enum ds_prot bits */
	u8 mem;  /* enum ds_mem_type */
};

/* What a table entry is, as its format's decoder sees it. */
enum ds_pte_kind {
	DS_PTE_INVALID = 0,
	DS_PTE_TABLE,
	DS_PTE_LEAF,
	DS_PTE_RESERVED, /* an encoding the format forbids: the walk fails */
};

struct ds_pte_info {
	enum ds_pte_kind kind;
	u64 pa; /* next table, or the page/block mapped */
	/* A leaf's attributes; for a table, attrs.prot is what it still
	 * allows below it (hierarchical permissions), DS_PROT_ALL if no limit.
	 */
	struct ds_attrs attrs;
	const char *reserved_why; /* for DS_PTE_RESERVED */
	/* A table whose format skips levels (AMD v1): levels between this
	 * entry's and the table's; the VA bits they would index are zero.
	 */
	u8 skip_levels;
	/* A leaf whose entry repeats over a naturally aligned run (AMD v1
	 * next level 7): log2 of the page it maps, pa being the page's
	 * start.  0: the leaf maps its entry's own size.
	 */
	u8 span_shift;
};

struct ds_pgtable;

/* A page-table format: one file in lib/formats/ defines each. */
struct ds_format {
	const char *name;
	const char *description;
	u8 page_shift;  /* base granule: 12, 14 or 16 */
	u8 min_va_bits, max_va_bits, default_va_bits;
	u8 fixed_levels; /* DART: 2, the TTBRs index above; 0: from va_bits */
	u8 max_roots;
	u8 leaf_heights; /* bit h: a leaf may sit h levels above the last */
	u8 oa_shift;     /* PTE output-address field = PA >> oa_shift */
	u32 flags;       /* DS_FMT_* */
	u64 oa_mask;     /* PTE bits holding the output address */
	int (*decode)(const struct ds_pgtable *pt, u64 pte, unsigned int height,
		      struct ds_pte_info *out);
	/* For the builder: kind TABLE or LEAF, pa and attrs in; 0 or -EINVAL. */
	int (*encode)(const struct ds_pgtable *pt, const struct ds_pte_info *in,
		      unsigned int height, u64 *pte);
};

enum ds_format_flags {
	DS_FMT_PRIV_LEVELS = 1 << 0, /* separate privileged/unprivileged perms */
	DS_FMT_UPPER_HALF = 1 << 1,  /* has a TTBR1-style sign-extended half */
	DS_FMT_MAIR = 1 << 2,        /* memory type via a MAIR index */
	DS_FMT_SIGN_EXTEND = 1 << 3, /* one table, top VA bit sign-extended (x86, RISC-V) */
	DS_FMT_WHOLE_LEVELS = 1 << 4, /* va_bits only as whole levels reach (VT-d, AMD v1) */
	DS_FMT_CONCAT = 1 << 5,      /* up to 16 top tables concatenated (Arm stage 2) */
};

/* Arm stage 2: at most 16 tables concatenated at the start level. */
#define DS_MAX_CONCAT_BITS 4

/* Whether the format can have a VA width of va_bits. */
bool ds_format_va_bits_ok(const struct ds_format *f, unsigned int va_bits);

/* The formats devsnap knows, in a stable order; NULL past the end. */
const struct ds_format *ds_format_at(unsigned int i);
const struct ds_format *ds_format_find(const char *name);

/* Reads len bytes of physical memory at pa; 0 or a negative errno. */
typedef int (*ds_read_phys_fn)(void *opaque, u64 pa, void *buf, size_t len);

/* Where a failure happened and what it was, for a message the user can act on. */
struct ds_error {
	const char *what; /* static text, NULL when there was no error */
	u64 va;      /* device VA, or DS_NO_ADDR */
	u64 pa;      /* table or entry PA, or DS_NO_ADDR */
	int height;       /* level above the last, or -1 */
};

#define DS_NO_ADDR (~0ULL)

struct ds_pgtable_config {
	const struct ds_format *format;
	u64 roots[DS_MAX_ROOTS]; /* physical address of each top table */
	unsigned int nroots;              /* 1, or for DART the TTBRs in use */
	unsigned int va_bits;             /* 0: the format's default */
	/*
	 * DS_FMT_CONCAT formats: table levels, 4 - the start level
	 * (VTCR_EL2.SL0); the top table indexes what the levels below leave of
	 * va_bits, on up to 16 concatenated tables.  0: the fewest levels,
	 * and one fewer on 2-16 concatenated tables when that would start at
	 * level 0, as io-pgtable-arm.c chooses.
	 */
	unsigned int levels;
	bool upper_half;              /* VAs are sign-extended (TTBR1, kernel VM) */
	u64 mair;                /* DS_FMT_MAIR formats: MAIR value; 0: default */
	u32 max_tables;          /* bound on tables visited; 0: default */
	ds_read_phys_fn read_phys;
	void *opaque;
};

/* A described table: config plus what follows from it. */
struct ds_pgtable {
	struct ds_pgtable_config cfg;
	const struct ds_format *fmt;
	unsigned int levels;     /* table levels below the roots */
	unsigned int level_bits; /* index bits of a full level */
	unsigned int top_bits;   /* index bits of the top table */
	unsigned int root_bits;  /* VA bits choosing among the roots */
	u64 mair;
};

/* Validates cfg and fills pt; 0, or -EINVAL with err saying which field. */
int ds_pgtable_init(struct ds_pgtable *pt, const struct ds_pgtable_config *cfg,
		    struct ds_error *err);

/* The size a leaf maps at a given height (0: a base page). */
/* The VA bit choosing the root above the top table: the top table may
 * index more bits than a level (concatenated stage 2 tables).
 */
static inline unsigned int ds_root_shift(const struct ds_pgtable *pt)
{
	return pt->fmt->page_shift + (pt->levels - 1) * pt->level_bits + pt->top_bits;
}

static inline u64 ds_leaf_size(const struct ds_pgtable *pt, unsigned int height)
{
	return 1ULL << (pt->fmt->page_shift + height * pt->level_bits);
}

/* Device VA as the device sees it: sign-extended in the upper half. */
u64 ds_pgtable_canonical_va(const struct ds_pgtable *pt, u64 raw_va);

/* The walk-order ("raw") VA of the first address of the table's space at
 * or above va (round_up) or the last at or below it; false if there is none.
 */
bool ds_pgtable_raw_va(const struct ds_pgtable *pt, u64 va, bool round_up, u64 *raw);

/* A run of pages contiguous in VA and PA whose entries differ only in
 * their output address: one block, or many pages of one size.
 */
struct ds_range {
	u64 va;   /* canonical device VA; va + size may be 2^64, never more */
	u64 pa;
	u64 size;
	u64 pte;  /* raw leaf entry mapping va */
	u8 page_shift; /* log2 of each leaf's mapping size */
	struct ds_attrs attrs;
};

struct ds_walk_frame {
	u64 table_pa;
	u64 va_base;  /* raw VA of entry 0 */
	u32 idx, end; /* next entry, one past the last to visit */
	u32 buf_first, buf_count;
	u8 prot_mask; /* what the tables above allow (x86 U/S, R/W, NX...) */
	u8 height;    /* levels above the last; formats that skip levels skip frames */
	u64 buf[DS_WALK_CHUNK];
};

struct ds_walk {
	const struct ds_pgtable *pt;
	u64 va_first, va_last; /* raw VAs, inclusive */
	unsigned int root_idx, root_end;
	unsigned int depth; /* frames in use; frame[0] is the top table */
	struct ds_walk_frame frame[DS_MAX_LEVELS];
	struct ds_range pending;
	bool has_pending;
	u8 pending_prot_mask;
	u8 pending_entry_shift; /* size of the entries pending was built from */
	u64 pending_page_pte;   /* the entry of the page pending ends in */
	u64 next_pte; /* the entry that would extend pending */
	u64 next_va;  /* raw VA that would extend pending */
	u32 tables_visited;
	u64 entries_visited;
	u64 entries_invalid; /* not empty, yet neither table nor leaf */
	int err;
	struct ds_error error;
};

/*
 * Walks [va_first, va_last] (canonical VAs, last inclusive); the whole
 * space is 0, ~0ULL, and a range ending at 2^64 ends at ~0ULL.  The bounds
 * are byte-exact, aligned or not: the ranges yielded hold exactly the
 * mapped bytes of [va_first, va_last], a block or merged run cut at both
 * ends where the bounds fall inside it (ds_snapshot_run rounds its bounds
 * out to whole pages first, so its ranges are whole pages).  The range is
 * intersected with the table's VA space (a sign-extension hole, the other
 * half); 0, or -EINVAL if va_first > va_last or nothing of it is left.
 */
int ds_walk_begin(struct ds_walk *w, const struct ds_pgtable *pt,
		  u64 va_first, u64 va_last);

/* 1 and a range, 0 at the end, or a negative errno with w->error set:
 * read_phys's own error, -EINVAL (reserved encoding), -ELOOP (a table
 * refers to itself or an ancestor), -E2BIG (over max_tables).
 */
int ds_walk_next(struct ds_walk *w, struct ds_range *out);

#endif /* DS_PGTABLE_H */
