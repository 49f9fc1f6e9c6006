/* SPDX-License-Identifier: MIT */
/*
 * The dump file: an ELF64 ET_CORE laid out from captured segments and
 * served by offset, never assembled in one buffer (devcoredump's read
 * callback and a streaming file writer both pull it piece by piece).
 * See docs/dump-format.md for the layout.
 */
#ifndef DS_DUMP_H
#define DS_DUMP_H

#include "ds_base.h"
#include "pgtable.h"

#define DS_NOTE_NAME "DEVSNAP"
#define DS_NOTE_VERSION 1

/* Note types: "DS" and a number, so that no reader mistakes them for the
 * core-file types 1, 2, 3 (NT_PRSTATUS, ...) that gdb's BFD parses under
 * any owner name.  Layouts in docs/dump-format.md.
 */
#define DS_NT_INFO 0x44530001u
#define DS_NT_SKIPPED 0x44530002u
#define DS_NT_BLOB 0x44530003u

/* Why a mapped range was not saved.  0 means it was. */
enum ds_skip_reason {
	DS_SAVED = 0,
	DS_SKIP_NOT_RAM,    /* no RAM at that PA (MMIO hole, beyond memory) */
	DS_SKIP_OFFLINE,    /* RAM, but offline or not accepted */
	DS_SKIP_HWPOISON,   /* RAM with a memory failure */
	DS_SKIP_DEVICE,     /* mapped with device-memory attributes */
	DS_SKIP_BUDGET,     /* past the byte budget */
	DS_SKIP_READ_ERROR, /* the source failed to give the bytes */
	DS_SKIP_REASON_COUNT
};

/* "not-ram", "offline", ...: stable names, used in notes' text and CLI. */
const char *ds_skip_reason_name(enum ds_skip_reason r);

/* One PT_LOAD: a walker range, or a piece of one split by what could be saved. */
struct ds_segment {
	u64 va, pa, size;
	u64 pte;
	u8 page_shift;
	struct ds_attrs attrs;
	u8 skip;         /* enum ds_skip_reason */
	u8 shared;       /* set by ds_dump_layout: the bytes are another segment's */
	u64 file_offset; /* set by ds_dump_layout; 0 when not saved */
};

/* ELF p_flags: R/W/X in 2:0, PTE bits 11:0 in 19:8, PTE bits 63:52 in 31:20. */
u32 ds_segment_p_flags(const struct ds_segment *seg);

/* Driver-supplied bytes kept in the dump: firmware log, registers. */
struct ds_blob {
	const char *name;
	const void *data;
	u64 size;
};

/* A PCI function's IOMMU domain, as a dump of it records it. */
struct ds_dump_pci {
	u16 segment, rid; /* rid: bus << 8 | device << 3 | function */
	u32 domain_id;
	u64 iommu_table; /* the VT-d root table or AMD-Vi device table */
};

struct ds_dump_info {
	const char *device;  /* e.g. "0000:03:00.0" or "agx" */
	const char *driver;
	const char *reason;  /* free text: "firmware assertion", ... */
	const struct ds_pgtable *pt; /* format, roots, va_bits, upper half */
	u64 time_ns;    /* capture time, ns since the Unix epoch */
	u16 e_machine;  /* the device processor's EM_*, or EM_NONE */
	const struct ds_dump_pci *pci; /* NULL: not a PCI function's IOMMU domain */
};

/* The writer's index: a saved segment's PA range while the layout is
 * computed, then (seg only) the segments holding bytes, in file order.
 */
struct ds_share_entry {
	u64 pa, last;
	u32 seg;
};

struct ds_dump_writer {
	/* Inputs, owned by the caller; segments sorted by VA. */
	const struct ds_dump_info *info;
	struct ds_segment *segs;
	size_t nsegs;
	const struct ds_blob *blobs;
	size_t nblobs;
	/* Bytes of a saved segment: off is within the segment. 0 or -errno. */
	int (*read_data)(void *opaque, const struct ds_segment *seg, u64 off,
			 void *buf, size_t len);
	void *opaque;
	/* Optional, room for nsegs entries, kept as long as the writer: with
	 * it, a saved segment whose PA range lies inside another saved
	 * segment's points at that one's file bytes instead of holding a copy
	 * (docs/dump-format.md).  NULL: every saved segment has its own.
	 * Room for 2 * nsegs makes finding them faster on many scattered
	 * pages: the second half is the sort's scratch.
	 */
	struct ds_share_entry *index;
	size_t index_cap;

	/* Layout, filled by ds_dump_layout. */
	u64 phdr_off, shdr_off, notes_off, notes_size, data_off, size;
	u64 mapped_bytes, saved_bytes;
	u64 file_bytes; /* page data in the file: saved_bytes less what is shared */
	u32 nphdrs;   /* including PT_NOTE */
	u32 nskipped; /* segments not saved */
	u32 nshared;  /* saved segments pointing at another's bytes */
	u32 nholders; /* with an index: segments holding bytes, listed in it */
	u32 info_size, skipped_size; /* note descs */
};

/* Computes the layout and each segment's file_offset; 0, -EINVAL
 * (unsorted or overlapping segments, sizes not 4K multiples, a segment
 * wrapping past 2^64; one may end exactly there; an index with room for
 * fewer than nsegs entries) or -EOVERFLOW (a note or
 * the segment count past what ELF can hold, or the file past 2^64 bytes).
 */
int ds_dump_layout(struct ds_dump_writer *w);

/* Copies up to len bytes at off; returns the count (0 at the end) or -errno
 * from read_data.
 */
s64 ds_dump_read(const struct ds_dump_writer *w, u64 off, void *buf, size_t len);

#endif /* DS_DUMP_H */
