/* SPDX-License-Identifier: MIT */
/*
 * Where a verb's -o PATH goes, decided in this one place for every verb:
 *
 *   absent, or a regular file   a new file, written unnamed (O_TMPFILE) or
 *                               under a hidden temporary name beside it,
 *                               synced, then renamed over PATH: it appears
 *                               whole or not at all.
 *   "-"                         standard output, written in order.
 *   a character device or FIFO  written into, in order: opened without
 *                               O_TRUNC, never replaced, not synced.
 *   a symlink                   refused (-ELOOP): never followed, never
 *                               replaced.
 *   a directory, a block        refused.
 *   device, a socket, ""
 *
 * A terminal (standard output or a tty's device node) is refused unless
 * dumpfile_terminal_ok (--force): dumps are binary.  PATH is checked with lstat(),
 * opened with O_NOFOLLOW and the opened file checked to be the one looked
 * at, so nothing swapped in between is written.
 */
#ifndef DS_DUMPFILE_H
#define DS_DUMPFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

extern bool dumpfile_terminal_ok; /* --force: binary data to a terminal is what is wanted */

struct dumpfile {
	int fd;        /* write the contents here (dumpfile_write and co.) */
	int dirfd;     /* the target's directory, while replacing */
	char *base;    /* the target's name in dirfd, while replacing */
	char tmp[64];  /* temporary name in dirfd, "" while the file has none */
	const char *path; /* as given, or "standard output", for messages */
	bool replace;  /* a new file renamed over path; else written in place */
	bool own_fd;   /* fd is ours to close (not standard output) */
	uint64_t pos;  /* bytes written so far, where written in place */
};

/* Opens path (mode for a new file, e.g. 0600) as above; prints what went
 * wrong and returns -errno. */
int dumpfile_create(struct dumpfile *df, const char *path, mode_t mode);

/* True where dumpfile_create would make a new regular file (absent, or a
 * regular file): only there do files beside it belong to the output. */
bool dumpfile_is_new_file(const char *path);

/* len bytes, after what was written: 0 or -errno, without a message. */
int dumpfile_write(struct dumpfile *df, const void *buf, size_t len);

/* len bytes at off.  Written in place, offsets must grow: the gap before
 * off is written as zeros.  0 or -errno, without a message. */
int dumpfile_pwrite(struct dumpfile *df, const void *buf, size_t len, uint64_t off);

/* The output size, its tail zero: a sparse file where replacing, zeros
 * written in place.  0 or -errno, without a message. */
int dumpfile_set_size(struct dumpfile *df, uint64_t size);

/* Replacing: syncs the file, gives it its name, syncs the directory.
 * Then releases df; prints what went wrong and discards on failure. */
int dumpfile_commit(struct dumpfile *df);

/* Removes what was written where it can (a new file) and releases df;
 * safe after commit. */
void dumpfile_discard(struct dumpfile *df);

#endif /* DS_DUMPFILE_H */
