// SPDX-License-Identifier: MIT
#define _GNU_SOURCE /* O_TMPFILE */
#include "basic/dumpfile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "basic/cleanup.h"
#include "basic/fdio.h"
#include "basic/log.h"

#define TMP_TRIES 16

bool dumpfile_terminal_ok;

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

/* The new file that will replace path. */
static int create_replacement(struct dumpfile *df, const char *path, mode_t mode)
{
	int r = open_dir_of(df, path);

	if (r < 0)
		return log_error_errno(r, "cannot open the directory of %s", path);
	df->replace = true;
	df->own_fd = true;
	if (access("/proc/self/fd", F_OK) == 0)
		df->fd = openat(df->dirfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
	r = df->fd >= 0 ? 0 : create_named(df, mode);
	return r < 0 ? log_error_errno(r, "cannot create a temporary file beside %s", path) : 0;
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	       (a->st_mode & S_IFMT) == (b->st_mode & S_IFMT) && a->st_rdev == b->st_rdev;
}

/* A character device or FIFO, written into: never truncated, never
 * replaced.  O_NOFOLLOW and the fstat check keep a symlink or another
 * file swapped in since lstat from being written. */
static int open_in_place(struct dumpfile *df, const char *path, const struct stat *seen)
{
	struct stat st;

	df->fd = open(path, O_WRONLY | O_NOCTTY | O_NOFOLLOW | O_CLOEXEC);
	if (df->fd < 0)
		return log_error_errno(-errno, "cannot open %s", path);
	df->own_fd = true;
	if (fstat(df->fd, &st) < 0)
		return log_error_errno(-errno, "cannot check %s", path);
	if (!same_file(seen, &st)) {
		log_error("%s changed while it was opened: not written", path);
		return -EAGAIN;
	}
	return 0;
}

static const char *kind_of(mode_t mode)
{
	return S_ISDIR(mode) ? "a directory" : S_ISBLK(mode) ? "a block device"
	     : S_ISSOCK(mode) ? "a socket" : "not a file devsnap writes";
}

/* Opens what stands at path by the rules in dumpfile.h. */
static int open_target(struct dumpfile *df, const char *path, mode_t mode)
{
	struct stat st;

	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return create_replacement(df, path, mode);
		return log_error_errno(-errno, "cannot check %s", path);
	}
	if (S_ISREG(st.st_mode))
		return create_replacement(df, path, mode);
	if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))
		return open_in_place(df, path, &st);
	if (S_ISLNK(st.st_mode)) {
		log_error("%s is a symlink: not followed, not replaced; give the path it points "
			  "to (or - for standard output)", path);
		return -ELOOP;
	}
	log_error("%s is %s: give a file, a FIFO, a character device or - for standard output",
		  path, kind_of(st.st_mode));
	return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
}

int dumpfile_create(struct dumpfile *df, const char *path, mode_t mode)
{
	int r;

	*df = (struct dumpfile){ .fd = -1, .dirfd = -1, .path = path };
	if (!path[0])
		return log_error("the output path is empty: give a file, or - for standard output");
	if (!strcmp(path, "-")) {
		df->fd = STDOUT_FILENO;
		df->path = "standard output";
		r = 0;
	} else {
		r = open_target(df, path, mode);
	}
	if (r == 0 && !dumpfile_terminal_ok && isatty(df->fd)) {
		log_error("refusing to write binary data to the terminal on %s; redirect it, give "
			  "-o FILE, or --force", df->path);
		r = -ENOTTY;
	}
	if (r < 0)
		dumpfile_discard(df);
	return r;
}

bool dumpfile_is_new_file(const char *path)
{
	struct stat st;

	if (!path[0] || !strcmp(path, "-"))
		return false;
	return lstat(path, &st) < 0 ? errno == ENOENT : S_ISREG(st.st_mode);
}

int dumpfile_write(struct dumpfile *df, const void *buf, size_t len)
{
	int r = write_all(df->fd, buf, len);

	if (r == 0)
		df->pos += len;
	return r;
}

/* Zeros up to end, written in place. */
static int fill_zeros(struct dumpfile *df, uint64_t end)
{
	static const uint8_t zeros[64 << 10];

	if (end < df->pos)
		return -ESPIPE;
	while (df->pos < end) {
		uint64_t n = end - df->pos < sizeof(zeros) ? end - df->pos : sizeof(zeros);
		int r = dumpfile_write(df, zeros, (size_t)n);

		if (r < 0)
			return r;
	}
	return 0;
}

int dumpfile_pwrite(struct dumpfile *df, const void *buf, size_t len, uint64_t off)
{
	int r;

	if (df->replace)
		return pwrite_all(df->fd, buf, len, off);
	r = fill_zeros(df, off);
	return r < 0 ? r : dumpfile_write(df, buf, len);
}

int dumpfile_set_size(struct dumpfile *df, uint64_t size)
{
	if (!df->replace)
		return fill_zeros(df, size);
	if (size > INT64_MAX)
		return -EFBIG;
	return ftruncate(df->fd, (off_t)size) < 0 ? -errno : 0;
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

/* Something else put at the target since it was looked at is not replaced. */
static int check_still_replaceable(struct dumpfile *df)
{
	struct stat st;

	if (fstatat(df->dirfd, df->base, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (S_ISREG(st.st_mode))
		return 0;
	log_error("%s is no longer a regular file: not replaced", df->path);
	return -EEXIST;
}

static int commit_replacement(struct dumpfile *df)
{
	int r = fsync(df->fd) < 0 ? -errno : 0;

	if (r == 0 && !df->tmp[0])
		r = link_tmp(df);
	if (r == 0 && (r = check_still_replaceable(df)) == -EEXIST)
		return r;
	if (r == 0 && renameat(df->dirfd, df->tmp, df->dirfd, df->base) < 0)
		r = -errno;
	if (r < 0)
		return log_error_errno(r, "cannot write %s", df->path);
	df->tmp[0] = '\0';
	/* The rename is durable only once the directory is. */
	if (fsync(df->dirfd) < 0)
		return log_error_errno(-errno, "cannot sync the directory of %s", df->path);
	return 0;
}

int dumpfile_commit(struct dumpfile *df)
{
	/* In place there is nothing to name, and devices and pipes need no sync. */
	int r = df->replace ? commit_replacement(df) : 0;

	dumpfile_discard(df);
	return r;
}

void dumpfile_discard(struct dumpfile *df)
{
	if (df->tmp[0])
		unlinkat(df->dirfd, df->tmp, 0);
	df->tmp[0] = '\0';
	if (df->fd >= 0 && df->own_fd)
		close(df->fd);
	if (df->dirfd >= 0)
		close(df->dirfd);
	free(df->base);
	df->fd = df->dirfd = -1;
	df->base = NULL;
	df->own_fd = df->replace = false;
}
