/* SPDX-License-Identifier: MIT */
/*
 * Reading a dump: devsnap's own and Asahi drm/asahi GPU dumps, from a
 * caller's buffer (usually the mmapped file).  Every offset and size in
 * the file is checked before use: any input ends in data or an error
 * naming what is wrong and where.
 */
#ifndef DS_DUMP_PARSE_H
#define DS_DUMP_PARSE_H

#include "dump.h"

struct ds_dump_file {
	const u8 *buf;
	u64 size;        /* of the file */
	u64 len;         /* bytes at buf: size, or fewer after ds_dump_open_head */
	u16 e_machine;
	u64 phoff;
	u32 phnum;
	u32 nloads;
	u32 first_load;  /* phdr index of the first PT_LOAD */
	bool loads_contiguous; /* PT_LOADs are consecutive phdrs */
	bool sorted;          /* ... ascending by VA, none overlapping: ds_dump_find works */
	const u8 *skipped; /* DEVSNAP SKIPPED entries, or NULL */
	u32 nskipped_entries;
	const char *error;    /* what ds_dump_open found wrong */
	u64 error_offset;
};

struct ds_dump_load {
	u64 va, pa, memsz, filesz, offset, align;
	u32 flags; /* p_flags: PF_* in 2:0, PTE bits 11:0 in 19:8, 63:52 in 31:20 */
};

/* 0, or -EBADMSG with f->error and f->error_offset set. */
int ds_dump_open(struct ds_dump_file *f, const void *buf, u64 size);

/* ds_dump_open for the first head_len bytes of a file of file_size bytes
 * (a collector reading a stream): the head must hold the ELF header, the
 * program headers and every PT_NOTE, which are checked as ds_dump_open
 * does; segments are checked against file_size, their bytes are not at
 * buf.  Everything but segment data works as after ds_dump_open.
 */
int ds_dump_open_head(struct ds_dump_file *f, const void *head, u64 head_len,
		      u64 file_size);

/* Whether a file's first len bytes (any number, even fewer than an ELF
 * header) can start a dump: 0, or -EBADMSG with f->error set.  A stream
 * is refused by its first bytes, before the rest is read.
 */
int ds_dump_check_start(struct ds_dump_file *f, const void *head, u64 len);

/* How many bytes of a file its dump reaches: the ELF header, the header
 * tables, every note and every segment's data, as the headers in the
 * first len bytes say (clamped to 2^64 - 1 where a sum would wrap).  0 and
 * *end; or 1 and in *end how many bytes it takes to tell.  A stream past
 * *end holds nothing a reader looks at.
 */
int ds_dump_extent(const void *head, u64 len, u64 *end);

/* ds_dump_extent without the segments' data: the head ds_dump_open_head
 * needs (header tables and notes), for a collector that keeps a stream's
 * start to read its notes.
 */
int ds_dump_head_extent(const void *head, u64 len, u64 *end);

/* The first n PT_LOADs in file order into out, in one pass over the
 * program headers: the count.  Readers index a file's segments with it.
 */
u32 ds_dump_loads(const struct ds_dump_file *f, struct ds_dump_load *out, u32 n);

/* The i-th PT_LOAD (0 <= i < f->nloads); -ERANGE past the end.  O(1) when
 * the PT_LOADs are contiguous, else a scan of the program headers: to see
 * every segment of such a file, take them all with ds_dump_loads.
 */
int ds_dump_load(const struct ds_dump_file *f, u32 i, struct ds_dump_load *out);

/* The i-th of a file's segments in VA order, for ds_dump_bisect. */
typedef void (*ds_dump_load_at_fn)(const void *ctx, u32 i, struct ds_dump_load *out);

/* How many of n segments sorted by VA start at or below va, in
 * O(log n) calls of at: ds_dump_find's search, for a reader that indexes
 * a file's segments in its own order.
 */
u32 ds_dump_bisect(u32 n, ds_dump_load_at_fn at, const void *ctx, u64 va);

/* The PT_LOAD holding va, in O(log n): 0, -ENOENT (not mapped), or
 * -EOPNOTSUPP for files whose PT_LOADs are not sorted (index them yourself).
 */
int ds_dump_find(const struct ds_dump_file *f, u64 va, u32 *index);

/* Why an unsaved segment starting at va was not saved, from the DEVSNAP
 * SKIPPED note; DS_SKIP_REASON_COUNT when the file does not say.
 */
enum ds_skip_reason ds_dump_skip_reason(const struct ds_dump_file *f, u64 va);

/* The original PTE bits a segment's p_flags keep (11:0 and 63:52). */
static inline u64 ds_dump_load_pte_bits(const struct ds_dump_load *l)
{
	return (u64)(l->flags >> 8 & 0xfff) | (u64)(l->flags >> 20) << 52;
}

struct ds_note {
	const char *name; /* NUL-terminated inside the file */
	u32 type;
	const u8 *desc;
	u32 desc_size;
	u64 offset; /* of the note header */
};

struct ds_note_iter {
	u32 phdr;
	u64 pos, end;
};

/* Notes of every PT_NOTE in order: 1 and a note, 0 at the end, -EBADMSG
 * (error and offset in *f) for a malformed note.
 */
int ds_dump_next_note(struct ds_dump_file *f, struct ds_note_iter *it, struct ds_note *out);

struct ds_note_info {
	u32 version, page_size, nroots, va_bits, flags, nsegs;
	u64 time_ns, mapped, saved;
	u64 roots[DS_MAX_ROOTS];
	const char *format, *device, *driver, *reason;
	bool has_pci; /* the dump is of a PCI function's IOMMU domain: */
	struct ds_dump_pci pci;
};

struct ds_skipped_range {
	u64 va, pa, size;
	u32 reason;
};

struct ds_note_blob {
	const char *name; /* not NUL-terminated: name_len bytes */
	u32 name_len;
	const u8 *data;
	u64 size;
};

/* Asahi drm/asahi crashdump.rs AGXDumpInfo ("AGX" note type 1). */
struct ds_agx_info {
	u64 initdata_address;
	u32 chip_id, gpu_gen, gpu_variant, gpu_rev, total_active_cores;
	u32 firmware_version[6];
};

/* One section of an RTKit crash log ("RTKIT" note type 1). */
struct ds_rtkit_section {
	char fourcc[5]; /* "Cstr", "Cver", "Cmbx", "Ctim", "Crg8", ... */
	u64 offset; /* within the log */
	u32 size;
	const u8 *payload; /* after the 16-byte section header */
	u32 payload_size;
};

/* Decoders: 0, or -EBADMSG when the note is not what it claims. */
bool ds_note_is(const struct ds_note *n, const char *name, u32 type);
int ds_note_info_decode(const struct ds_note *n, struct ds_note_info *out);
int ds_note_skipped_count(const struct ds_note *n, u32 *count);
int ds_note_skipped_at(const struct ds_note *n, u32 i, struct ds_skipped_range *out);
int ds_note_blob_decode(const struct ds_note *n, struct ds_note_blob *out);
int ds_note_agx_decode(const struct ds_note *n, struct ds_agx_info *out);

/* Walks an RTKit crash log: *pos starts at 0; 1 and a section, 0 at the
 * end, -EBADMSG for a malformed log.
 */
int ds_rtkit_next_section(const u8 *log, u64 size, u64 *pos,
			  struct ds_rtkit_section *out);

#endif /* DS_DUMP_PARSE_H */
