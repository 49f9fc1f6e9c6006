/* SPDX-License-Identifier: MIT */
/*
 * A dump opened for reading: the file mmapped (never read whole), checked
 * by lib's parser, its notes decoded once, and its segments indexed by VA
 * so every lookup is O(log segments) whatever order the file keeps them in.
 */
#ifndef DS_DUMPVIEW_H
#define DS_DUMPVIEW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "dump_parse.h"

enum dump_producer {
	PRODUCER_UNKNOWN, /* an ELF core with neither DEVSNAP nor AGX notes */
	PRODUCER_DEVSNAP,
	PRODUCER_ASAHI,
};

struct dumpview {
	const char *path; /* as given, for messages */
	void *map;
	uint64_t size;
	struct ds_dump_file f;
	struct ds_dump_load *loads; /* every segment, in file order */
	uint32_t *by_va; /* indices into loads sorted by VA; NULL when the file's order is */
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

/* The i-th segment in VA order. */
void dumpview_load(const struct dumpview *v, uint32_t i, struct ds_dump_load *l);

/* The segment holding va, its VA-order index in *index: 0 or -ENOENT. */
int dumpview_find(const struct dumpview *v, uint64_t va, struct ds_dump_load *l,
		  uint32_t *index);

/* The VA-order index of the first segment that ends above va (nloads if
 * none): where a walk over [va, ...) starts. */
uint32_t dumpview_first_after(const struct dumpview *v, uint64_t va);

/* Why a segment holds no bytes: a skip reason's name, or "not saved". */
const char *dumpview_unsaved_why(const struct dumpview *v, const struct ds_dump_load *l);

/* The saved bytes at va, straight from the mapping: *bytes and *n (at
 * most len, up to the end of va's segment).  An unmapped or unsaved va
 * gets one line naming the address and why: -ENOENT (not mapped) or
 * -ENODATA (mapped, not saved). */
int dumpview_bytes(const struct dumpview *v, uint64_t va, uint64_t len, const uint8_t **bytes,
		   uint64_t *n);

/* "rwx" from p_flags. */
const char *dump_perm_string(uint32_t p_flags, char buf[4]);

#endif /* DS_DUMPVIEW_H */
