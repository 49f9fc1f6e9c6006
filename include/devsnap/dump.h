/* SPDX-License-Identifier: MIT */
/*
 * A dump opened for reading: an ELF core whose PT_LOADs are device VA
 * ranges (p_vaddr the device VA, p_paddr the PA it maps).  The file is
 * mapped, not read whole, and checked before the open returns: every
 * offset and size, every note.  Any input, however hostile, ends in a
 * handle or in -EBADMSG with the reason and the file offset.
 *
 * Strings and bytes handed out point into the dump and stay valid until
 * devsnap_dump_close().  They are the dump's contents, as untrusted as the
 * file: escape them before printing them to a terminal.
 */
#ifndef DEVSNAP_DUMP_H
#define DEVSNAP_DUMP_H

#include <devsnap/common.h>

DEVSNAP_BEGIN_DECLS

struct devsnap_dump;

/* Why an open failed, when it was the file's fault (-EBADMSG). */
struct devsnap_open_error {
	const char *message; /* static text, e.g. "segment data runs past the end of the file" */
	uint64_t offset;     /* file offset of the field found wrong */
};

enum devsnap_open_flags {
	/* devsnap_dump_open_path(): fail with -ELOOP if path is a symbolic link. */
	DEVSNAP_OPEN_NOFOLLOW = 1 << 0,
	/* devsnap_dump_open_memory(): keep a copy, so the caller may free its buffer. */
	DEVSNAP_OPEN_COPY = 1 << 1,
};

#define DEVSNAP_OPEN_OPTIONS_VERSION 1

struct devsnap_open_options {
	unsigned int version; /* DEVSNAP_OPEN_OPTIONS_VERSION */
	unsigned int flags;   /* enum devsnap_open_flags */
	/* Optional: filled when an open fails with -EBADMSG. */
	struct devsnap_open_error *error;
};

#define DEVSNAP_OPEN_OPTIONS_INIT { DEVSNAP_OPEN_OPTIONS_VERSION, 0, NULL }

/* Sets *opts to DEVSNAP_OPEN_OPTIONS_INIT for callers that cannot use the
 * macro (bindings); 0, or -EINVAL for a version this library does not know. */
DEVSNAP_EXPORT int devsnap_open_options_init(struct devsnap_open_options *opts,
					     unsigned int version);

/*
 * Opens the dump at path (opened read-only, close-on-exec, and mapped).
 * opts may be NULL for the defaults.  0 and *out, or a negative errno and
 * *out NULL: -EINVAL (a NULL argument, an unknown options version or flag,
 * not a regular file), -EBADMSG (empty, or not a sound dump: see
 * opts->error), or open(2)'s and mmap(2)'s errors.  As with any mapped file, truncating the file
 * while it is open makes reads past the new end fault (SIGBUS).
 */
DEVSNAP_EXPORT int devsnap_dump_open_path(struct devsnap_dump **out, const char *path,
					  const struct devsnap_open_options *opts);

/* As devsnap_dump_open_path() for an open file descriptor, which must
 * refer to a regular file.  The handle maps the file and does not keep
 * fd: the caller may close it at once. */
DEVSNAP_EXPORT int devsnap_dump_open_fd(struct devsnap_dump **out, int fd,
					const struct devsnap_open_options *opts);

/* As devsnap_dump_open_path() for size bytes at buf.  The handle borrows
 * buf, which must outlive it, unless opts->flags has DEVSNAP_OPEN_COPY:
 * then -ENOMEM is possible. */
DEVSNAP_EXPORT int devsnap_dump_open_memory(struct devsnap_dump **out, const void *buf,
					    size_t size, const struct devsnap_open_options *opts);

/* Releases the handle and what it maps or copied; NULL is allowed. */
DEVSNAP_EXPORT void devsnap_dump_close(struct devsnap_dump *dump);

enum devsnap_producer {
	DEVSNAP_PRODUCER_UNKNOWN = 0, /* an ELF core with neither note below */
	DEVSNAP_PRODUCER_DEVSNAP,     /* has a DEVSNAP INFO note */
	DEVSNAP_PRODUCER_ASAHI,       /* drm/asahi's crash dump (AGX note) */
};

/* What the dump says about itself.  Strings are NULL when the dump has no
 * DEVSNAP INFO note (an Asahi dump, a foreign core file). */
struct devsnap_dump_info {
	enum devsnap_producer producer;
	const char *device;  /* "0000:03:00.0", "agx", ... */
	const char *driver;
	const char *reason;  /* free text */
	const char *format;  /* page-table format name: devsnap_format_find() */
	uint64_t time_ns;    /* capture time, ns since the Unix epoch; 0 if unknown */
	uint32_t page_size;  /* the format's base page size in bytes; 0 if unknown */
	uint32_t va_bits;
	unsigned int nroots;
	uint64_t roots[DEVSNAP_MAX_ROOTS]; /* physical addresses of the top tables */
	uint64_t mapped_bytes, saved_bytes; /* as the producer counted them */
	uint16_t e_machine;  /* the ELF header's EM_*: the device processor's, or EM_NONE */
	uint64_t file_size;
	size_t segment_count, note_count, blob_count;
};

/* Fills *out; 0 or -EINVAL. */
DEVSNAP_EXPORT int devsnap_dump_get_info(const struct devsnap_dump *dump,
					 struct devsnap_dump_info *out);

/* Segment permissions, from the ELF p_flags. */
enum devsnap_perm {
	DEVSNAP_PERM_X = 1 << 0,
	DEVSNAP_PERM_W = 1 << 1,
	DEVSNAP_PERM_R = 1 << 2,
};

/* Why a segment's bytes (or the tail of them) are not in the file. */
enum devsnap_segment_state {
	DEVSNAP_SEGMENT_SAVED = 0,   /* every byte is in the file */
	DEVSNAP_SEGMENT_NOT_RAM,     /* no RAM at that PA (MMIO hole, beyond memory) */
	DEVSNAP_SEGMENT_OFFLINE,     /* RAM, offline or not accepted */
	DEVSNAP_SEGMENT_HWPOISON,    /* RAM with a memory failure */
	DEVSNAP_SEGMENT_DEVICE,      /* device-memory attributes: never read */
	DEVSNAP_SEGMENT_BUDGET,      /* past the capture's byte budget */
	DEVSNAP_SEGMENT_READ_ERROR,  /* the source failed to give the bytes */
	DEVSNAP_SEGMENT_NOT_SAVED,   /* not saved, and the dump does not say why */
};

/* One PT_LOAD. */
struct devsnap_segment {
	uint64_t va;          /* device VA */
	uint64_t pa;          /* physical address it maps */
	uint64_t size;        /* bytes mapped (p_memsz) */
	uint64_t file_size;   /* bytes saved, from va on (p_filesz): 0 up to size */
	uint64_t file_offset; /* where the saved bytes start in the file */
	uint32_t p_flags;     /* raw ELF p_flags */
	unsigned int perm;    /* enum devsnap_perm */
	uint64_t pte_bits;    /* the leaf PTE's bits 11:0 and 63:52, as devsnap keeps them */
	enum devsnap_segment_state state; /* of the bytes past file_size, if any */
	const char *state_name; /* "saved", "not-ram", "device-memory", ..., "not saved" */
	uint64_t align;       /* raw ELF p_align: the producer's page size */
};

/* The number of segments. */
DEVSNAP_EXPORT size_t devsnap_dump_segment_count(const struct devsnap_dump *dump);

/* The index-th segment in ascending VA order (whatever order the file
 * keeps them in; segments at the same VA in file order), in O(1);
 * 0, -EINVAL, or -ERANGE past the last. */
DEVSNAP_EXPORT int devsnap_dump_segment(const struct devsnap_dump *dump, size_t index,
					struct devsnap_segment *out);

/* The segment holding device VA va, in O(log segments): 0 with *out and
 * *index (which may be NULL) set, -ENOENT if va is not mapped, -EINVAL. */
DEVSNAP_EXPORT int devsnap_dump_lookup_va(const struct devsnap_dump *dump, uint64_t va,
					  struct devsnap_segment *out, size_t *index);

/*
 * Whether two segments share a device VA, which makes the bytes there
 * ambiguous (a sound producer never writes such a dump; lookups then
 * answer with one of them).  Found at open: 1 with the VAs of the first
 * two such segments in VA order in *va_a and *va_b (each may be NULL),
 * 0 when every segment is disjoint, or -EINVAL.
 */
DEVSNAP_EXPORT int devsnap_dump_overlap(const struct devsnap_dump *dump, uint64_t *va_a,
					uint64_t *va_b);

/*
 * The whole file's bytes as the handle holds them (mapped, borrowed or
 * copied), *size of them (size may be NULL), without a copy: segment s's
 * saved bytes are the s.file_size at s.file_offset, for readers that
 * stream GiB segments.  NULL (and *size 0) for a NULL dump.  Valid until
 * devsnap_dump_close().
 */
DEVSNAP_EXPORT const void *devsnap_dump_bytes(const struct devsnap_dump *dump,
					      uint64_t *size);

/*
 * Copies up to len saved bytes starting at device VA va into buf, crossing
 * from one segment into the next when they are contiguous in VA.  A short
 * read stops at the first byte that is not mapped or not saved, and
 * returns the count copied.  0 only for len 0.  Errors when not even the
 * first byte can be read: -ENOENT (va not mapped), -ENODATA (mapped but
 * not saved: devsnap_dump_lookup_va() says why), -EINVAL.  len is capped
 * at INT64_MAX.
 */
DEVSNAP_EXPORT int64_t devsnap_dump_read_va(const struct devsnap_dump *dump, uint64_t va,
					    void *buf, size_t len);

/* As devsnap_dump_read_va() by physical address: the saved bytes of any
 * segment mapping pa (when several alias it, the lowest-VA one).  The
 * first call on a handle indexes its segments by PA, O(n log n), so that a
 * reader by VA never pays for it: then -ENOMEM is possible too. */
DEVSNAP_EXPORT int64_t devsnap_dump_read_pa(const struct devsnap_dump *dump, uint64_t pa,
					    void *buf, size_t len);

/* One ELF note, in file order. */
struct devsnap_note {
	const char *name;    /* owner, NUL-terminated: "DEVSNAP", "AGX", "RTKIT", ... */
	uint32_t type;
	const void *data;    /* the descriptor */
	size_t size;
	uint64_t file_offset; /* of the note header */
};

/* The number of notes, in every PT_NOTE. */
DEVSNAP_EXPORT size_t devsnap_dump_note_count(const struct devsnap_dump *dump);

/* The index-th note; 0, -EINVAL, or -ERANGE past the last. */
DEVSNAP_EXPORT int devsnap_dump_note(const struct devsnap_dump *dump, size_t index,
				     struct devsnap_note *out);

/* Bytes a driver saved beside the memory: firmware log, registers (the
 * DEVSNAP BLOB notes). */
struct devsnap_blob {
	const char *name;    /* NOT NUL-terminated: name_len bytes */
	size_t name_len;
	const void *data;
	size_t size;
};

/* The number of well-formed blobs. */
DEVSNAP_EXPORT size_t devsnap_dump_blob_count(const struct devsnap_dump *dump);

/* The index-th blob; 0, -EINVAL, or -ERANGE past the last. */
DEVSNAP_EXPORT int devsnap_dump_blob(const struct devsnap_dump *dump, size_t index,
				     struct devsnap_blob *out);

/* The blob named name (NUL-terminated); 0, -ENOENT, -EINVAL. */
DEVSNAP_EXPORT int devsnap_dump_find_blob(const struct devsnap_dump *dump, const char *name,
					  struct devsnap_blob *out);

DEVSNAP_END_DECLS

#endif /* DEVSNAP_DUMP_H */
