/* SPDX-License-Identifier: MIT */
/*
 * A file that appears whole or not at all: written unnamed (O_TMPFILE) or
 * under a hidden temporary name in the target's directory, synced, then
 * renamed over the target.  Failure anywhere leaves neither file behind.
 */
#ifndef DS_DUMPFILE_H
#define DS_DUMPFILE_H

#include <stdbool.h>
#include <sys/types.h>

struct dumpfile {
	int fd;        /* write the contents here */
	int dirfd;     /* the target's directory */
	char *base;    /* the target's name in dirfd */
	char tmp[64];  /* temporary name in dirfd, "" while the file has none */
	const char *path; /* as given, for messages */
};

/* Creates the unnamed file for path with mode (e.g. 0600); prints what
 * went wrong and returns -errno. */
int dumpfile_create(struct dumpfile *df, const char *path, mode_t mode);

/* Syncs the file, gives it its name, syncs the directory, and releases
 * df; prints what went wrong and discards on failure. */
int dumpfile_commit(struct dumpfile *df);

/* Removes what was written and releases df; safe after commit. */
void dumpfile_discard(struct dumpfile *df);

#endif /* DS_DUMPFILE_H */
