/* SPDX-License-Identifier: MIT */
/*
 * The capture pipeline behind `devsnap capture` and `devsnap demo`: walk a
 * device's tables in a memory source, sort what they map into segments,
 * then stream the dump into a file, reading each page from the source as
 * its turn comes.  Memory use: the segment list and one 1 MiB buffer.
 */
#ifndef DS_CAPTURE_H
#define DS_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/seglist.h"
#include "capture/source.h"
#include "dump.h"
#include "snapshot.h"

#define CAPTURE_CHUNK (1u << 20) /* bytes per ds_dump_read */

struct capture_options {
	const char *format;
	uint64_t roots[DS_MAX_ROOTS];
	unsigned nroots;
	unsigned va_bits;   /* 0: the format's default */
	bool upper_half;
	uint64_t va_first, va_last; /* canonical, inclusive */
	uint64_t budget;    /* 0: no limit */
	bool partial;
	const char *device, *driver, *reason;
	const struct ds_dump_pci *pci; /* a PCI function's IOMMU domain, for the INFO note */
	uint16_t e_machine;            /* the processor that walks the tables; 0: a device */
	const char *spill_dir; /* a long segment list goes to a file here (seglist.h) */
	size_t spill_after;    /* segments kept in memory first; 0: the default */
};

struct capture {
	struct source *src;
	struct ds_pgtable pt;
	struct ds_snapshot snap; /* totals of the last run */
	struct seglist segs;
	struct ds_dump_info info;
	struct ds_dump_writer writer;
	struct ds_share_entry *index; /* the writer's: each physical range stored once */
	uint64_t bad_pa; /* where the source last failed a read */
};

/* Walks, classifies and lays the dump out; prints one line and returns
 * -errno on failure (bad options, root not in the source, walk error,
 * budget).  c then holds the segments: capture_free() in every case. */
int capture_run(struct capture *c, struct source *src, const struct capture_options *opt);

/* Streams the dump into fd, or writes it whole or not at all to path
 * (mode 0600).  Progress on a TTY when asked. */
int capture_stream(struct capture *c, int fd, bool progress);
int capture_write(struct capture *c, const char *path, bool progress);

void capture_free(struct capture *c);

/* What was saved and skipped, and why, one line each, to stdout. */
void capture_print_summary(const struct capture *c, const char *path);

#endif /* DS_CAPTURE_H */
