// SPDX-License-Identifier: MIT
#define _GNU_SOURCE /* O_TMPFILE */
#include "dumpfile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "cleanup.h"
#include "log.h"

#define TMP_TRIES 16

/* A fresh hidden name: ".devsnap-tmp-" and 16 random hex digits. */
static void pick_tmp_name(struct dumpfile *df)
{
	uint64_t r = 0;

	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		r = (uint64_t)getpid() << 32 ^ (uint64_t)(uintptr_t)&r;
	snprintf(df->tmp, sizeof(df->tmp), ".devsnap-tmp-%016llx", (unsigned long long)r);
}

/* Without O_TMPFILE (or /proc to link it by), a named temporary file. */
static int create_named(struct dumpfile *df, mode_t mode)
{
	for (int i = 0; i < TMP_TRIES; i++) {
		pick_tmp_name(df);
		df->fd = openat(df->dirfd, df->tmp,
				O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
		if (df->fd >= 0 || errno != EEXIST)
			break;
	}
	if (df->fd < 0) {
		df->tmp[0] = '\0';
		return -errno;
	}
	return 0;
}

static int open_dir_of(struct dumpfile *df, const char *path)
{
	_cleanup_free_ char *dir_copy = strdup(path), *base_copy = strdup(path);

	if (!dir_copy || !base_copy)
		return -ENOMEM;
	df->base = strdup(basename(base_copy));
	if (!df->base)
		return -ENOMEM;
	df->dirfd = open(dirname(dir_copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return df->dirfd < 0 ? -errno : 0;
}

int dumpfile_create(struct dumpfile *df, const char *path, mode_t mode)
{
	int r;

	*df = (struct dumpfile){ .fd = -1, .dirfd = -1, .path = path };
	r = open_dir_of(df, path);
	if (r < 0) {
		dumpfile_discard(df);
		return log_error_errno(r, "cannot open the directory of %s", path);
	}
	if (access("/proc/self/fd", F_OK) == 0)
		df->fd = openat(df->dirfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
	r = df->fd >= 0 ? 0 : create_named(df, mode);
	if (r < 0) {
		dumpfile_discard(df);
		return log_error_errno(r, "cannot create a temporary file beside %s", path);
	}
	return 0;
}

/* Links the unnamed file under a fresh temporary name. */
static int link_tmp(struct dumpfile *df)
{
	char proc_path[64];

	snprintf(proc_path, sizeof(proc_path), "/proc/self/fd/%d", df->fd);
	for (int i = 0; i < TMP_TRIES; i++) {
		pick_tmp_name(df);
		if (linkat(AT_FDCWD, proc_path, df->dirfd, df->tmp, AT_SYMLINK_FOLLOW) == 0)
			return 0;
		if (errno != EEXIST)
			break;
	}
	df->tmp[0] = '\0';
	return -errno;
}

int dumpfile_commit(struct dumpfile *df)
{
	int r = fsync(df->fd) < 0 ? -errno : 0;

	if (r == 0 && !df->tmp[0])
		r = link_tmp(df);
	if (r == 0 && renameat(df->dirfd, df->tmp, df->dirfd, df->base) < 0)
		r = -errno;
	if (r < 0) {
		dumpfile_discard(df);
		return log_error_errno(r, "cannot write %s", df->path);
	}
	df->tmp[0] = '\0';
	/* The rename is durable only once the directory is. */
	r = fsync(df->dirfd) < 0 ? -errno : 0;
	dumpfile_discard(df);
	return r < 0 ? log_error_errno(r, "cannot sync the directory of %s", df->path) : 0;
}

void dumpfile_discard(struct dumpfile *df)
{
	if (df->tmp[0])
		unlinkat(df->dirfd, df->tmp, 0);
	df->tmp[0] = '\0';
	if (df->fd >= 0)
		close(df->fd);
	if (df->dirfd >= 0)
		close(df->dirfd);
	free(df->base);
	df->fd = df->dirfd = -1;
	df->base = NULL;
}
