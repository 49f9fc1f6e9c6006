/* SPDX-License-Identifier: MIT */
/*
 * Device page tables: the formats devsnap knows, and a walk of any of
 * them that reads physical memory only through the caller's read_phys
 * (from /proc/kcore, a vmcore, a raw image, a live debugger...).  The walk
 * visits table entries, never unmapped VA space, and yields mapped ranges
 * merged where VA, PA and attributes run on.  It is bounded: depth by the
 * format, tables by max_tables, and a table that refers to itself or an
 * ancestor ends it with -ELOOP.
 */
#ifndef DEVSNAP_WALK_H
#define DEVSNAP_WALK_H

#include <devsnap/common.h>

DEVSNAP_BEGIN_DECLS

/* A page-table format: "x86_64", "arm64-4k", "apple-uat", "mali", "dart"... */
struct devsnap_format;

/* The index-th known format, in a stable order; NULL past the last. */
DEVSNAP_EXPORT const struct devsnap_format *devsnap_format_at(size_t index);

/* The format named name; NULL if unknown (or name is NULL). */
DEVSNAP_EXPORT const struct devsnap_format *devsnap_format_find(const char *name);

/* Its name, as in devsnap_format_find() and the dumps' info; NULL for NULL. */
DEVSNAP_EXPORT const char *devsnap_format_name(const struct devsnap_format *format);

/* One line saying what hardware uses it; NULL for NULL. */
DEVSNAP_EXPORT const char *devsnap_format_description(const struct devsnap_format *format);

/* Its base page (granule) size in bytes: 4096, 16384 or 65536; 0 for NULL. */
DEVSNAP_EXPORT uint32_t devsnap_format_page_size(const struct devsnap_format *format);

/* The VA widths it supports; each pointer may be NULL.  0 or -EINVAL. */
DEVSNAP_EXPORT int devsnap_format_va_bits(const struct devsnap_format *format,
					  unsigned int *min, unsigned int *max,
					  unsigned int *dflt);

/* How many root tables (TTBRs) it takes: 1, or 4 for DART; 0 for NULL. */
DEVSNAP_EXPORT unsigned int devsnap_format_max_roots(const struct devsnap_format *format);

/* Reads len bytes of physical memory at pa into buf: 0 or a negative
 * errno, which ends the walk and is returned by devsnap_walk(). */
typedef int (*devsnap_read_phys_fn)(void *opaque, uint64_t pa, void *buf, size_t len);

enum devsnap_prot {
	DEVSNAP_PROT_PR = 1 << 0, /* privileged (firmware, kernel) read */
	DEVSNAP_PROT_PW = 1 << 1,
	DEVSNAP_PROT_PX = 1 << 2,
	DEVSNAP_PROT_UR = 1 << 3, /* unprivileged (user, GPU job) read */
	DEVSNAP_PROT_UW = 1 << 4,
	DEVSNAP_PROT_UX = 1 << 5,
};

enum devsnap_mem_type {
	DEVSNAP_MEM_UNKNOWN = 0, /* the format does not say */
	DEVSNAP_MEM_CACHED,
	DEVSNAP_MEM_UNCACHED,
	DEVSNAP_MEM_DEVICE, /* MMIO: a reader must never touch it */
};

/* A run of pages contiguous in VA and PA with the same attributes. */
struct devsnap_range {
	uint64_t va;   /* canonical device VA (sign-extended in an upper half) */
	uint64_t pa;
	uint64_t size;
	uint64_t pte;  /* the raw leaf entry mapping va */
	unsigned int page_shift; /* log2 of each leaf's size */
	unsigned int prot;       /* enum devsnap_prot */
	enum devsnap_mem_type mem;
};

/* Called for each range in ascending VA order: 0 goes on, anything else
 * stops the walk and is what devsnap_walk() returns. */
typedef int (*devsnap_range_fn)(void *opaque, const struct devsnap_range *range);

/* Where a walk failed, for a message the user can act on. */
struct devsnap_walk_error {
	const char *message; /* static text; NULL when the walk did not fail */
	uint64_t va;         /* device VA, or UINT64_MAX */
	uint64_t pa;         /* table or entry PA, or UINT64_MAX */
	int height;          /* table level above the last, or -1 */
};

#define DEVSNAP_WALK_OPTIONS_VERSION 1

struct devsnap_walk_options {
	unsigned int version;              /* DEVSNAP_WALK_OPTIONS_VERSION */
	const struct devsnap_format *format;
	uint64_t roots[DEVSNAP_MAX_ROOTS]; /* PA of each top table */
	unsigned int nroots;               /* 0 or 1: one root; DART: the TTBRs in use */
	unsigned int va_bits;              /* 0: the format's default */
	int upper_half;                    /* nonzero: the TTBR1-style upper half */
	uint64_t mair;                     /* arm64 formats: MAIR value; 0: Linux's */
	uint32_t max_tables;               /* bound on tables visited; 0: 1 << 20 */
	uint64_t va_first, va_last;        /* canonical VAs, inclusive */
	devsnap_read_phys_fn read_phys;
	void *read_phys_opaque;
	/* Optional: filled when the walk fails in the tables or the options. */
	struct devsnap_walk_error *error;
};

/* The whole VA space, one root. */
#define DEVSNAP_WALK_OPTIONS_INIT                                                       \
	{ DEVSNAP_WALK_OPTIONS_VERSION, NULL, { 0 }, 0, 0, 0, 0, 0, 0, UINT64_MAX, NULL,      \
	  NULL, NULL }

/* Sets *opts to DEVSNAP_WALK_OPTIONS_INIT; 0, or -EINVAL for an unknown version. */
DEVSNAP_EXPORT int devsnap_walk_options_init(struct devsnap_walk_options *opts,
					     unsigned int version);

/*
 * Walks [opts->va_first, opts->va_last] of the tables opts describes,
 * calling fn for each mapped range.  Returns 0 when the walk is done, fn's
 * nonzero return if it stopped it, or: -EINVAL (bad options: no format,
 * no read_phys, an unknown version, a VA width or range the format cannot
 * have; or a reserved entry encoding in the tables), -ELOOP (a table loop),
 * -E2BIG (over max_tables), or read_phys's error.  opts->error, if set,
 * says where.
 */
DEVSNAP_EXPORT int devsnap_walk(const struct devsnap_walk_options *opts, devsnap_range_fn fn,
				void *fn_opaque);

DEVSNAP_END_DECLS

#endif /* DEVSNAP_WALK_H */
