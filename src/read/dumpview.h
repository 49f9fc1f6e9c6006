/* SPDX-License-Identifier: MIT */
/*
 * A dump opened for reading, as any user of libdevsnap opens one: the
 * library maps and checks the file and indexes its segments by VA, so
 * every lookup is O(log segments) whatever order the file keeps them in.
 * This layer adds what the CLI needs around it: operands that are pipes,
 * zstd streams or saved dumps' IDs, one message per error, and the notes
 * the readers print (DEVSNAP INFO, AGX, RTKIT) decoded once.
 */
#ifndef DS_DUMPVIEW_H
#define DS_DUMPVIEW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <devsnap/dump.h>

#include "dump_parse.h"

enum dump_producer {
	PRODUCER_UNKNOWN, /* an ELF core with neither DEVSNAP nor AGX notes */
	PRODUCER_DEVSNAP,
	PRODUCER_ASAHI,
};

struct dumpview {
	const char *path; /* as given, for messages */
	struct devsnap_dump *dump;
	const uint8_t *bytes; /* the whole file, as the library maps it */
	uint64_t size;
	uint32_t nsegs;
	uint16_t e_machine;
	const char *error;    /* why the library refused the file (-EBADMSG), or NULL */
	uint64_t error_offset;
	bool overlaps;   /* two segments share addresses: overlap_a's and overlap_b's */
	uint64_t overlap_a, overlap_b;
	enum dump_producer producer;
	bool has_info, has_agx;
	struct ds_note_info info;
	struct ds_agx_info agx;
	const uint8_t *rtkit_log; /* the RTKIT note's crash log, or NULL */
	uint32_t rtkit_size;
};

/* "-" (standard input, never a terminal) or a regular file: an fd, or
 * -errno after one line saying what is wrong; -ENOENT without one when
 * nothing has that name, so that a caller can say what else it looked for. */
int dump_open_path(const char *path);

/* What a reader's operand names, as an fd for dumpview_open; -errno after
 * one line saying what is wrong.  The read room opens "-" and files
 * (dump_open_path); the CLI entry layer sets an opener that also takes a
 * saved dump's ID (cli_dump.c).  NULL: back to files only. */
typedef int (*dumpview_opener_fn)(const char *operand);
void dumpview_set_opener(dumpview_opener_fn open);

/* Maps and checks the dump on fd (taken: a file, a pipe or a zstd stream,
 * as dump_input_mappable takes them), name in messages; prints what is
 * wrong with it and returns -errno (-EBADMSG for a file that is not a
 * sound dump). */
int dumpview_open_fd(struct dumpview *v, int fd, const char *name);
/* dumpview_open_fd on what the opener makes of path. */
int dumpview_open(struct dumpview *v, const char *path);
void dumpview_close(struct dumpview *v);

/* 0, or one line saying the dump's segments overlap and -EBADMSG: for
 * readers that must know which segment holds an address's bytes. */
int dumpview_disjoint(const struct dumpview *v);

/* The i-th segment in VA order (i < nsegs). */
void dumpview_load(const struct dumpview *v, uint32_t i, struct devsnap_segment *l);

/* The segment holding va, its VA-order index in *index: 0 or -ENOENT. */
int dumpview_find(const struct dumpview *v, uint64_t va, struct devsnap_segment *l,
		  uint32_t *index);

/* The VA-order index of the first segment that ends above va (nsegs if
 * none): where a walk over [va, ...) starts. */
uint32_t dumpview_first_after(const struct dumpview *v, uint64_t va);

/* The i-th note in file order as lib's decoders take it: 0, or -ERANGE
 * past the last. */
int dumpview_note(const struct dumpview *v, size_t i, struct ds_note *n);

/* The saved bytes at va, straight from the mapping: *bytes and *n (at
 * most len, up to the end of va's segment).  An unmapped or unsaved va
 * gets one line naming the address and why: -ENOENT (not mapped) or
 * -ENODATA (mapped, not saved). */
int dumpview_bytes(const struct dumpview *v, uint64_t va, uint64_t len, const uint8_t **bytes,
		   uint64_t *n);

/* "rwx" from p_flags. */
const char *dump_perm_string(uint32_t p_flags, char buf[4]);

#endif /* DS_DUMPVIEW_H */
