// SPDX-License-Identifier: MIT
/* A raw physical-memory image: byte 0 of the file is physical address
 * BASE.  Holes in a sparse file read as zeros, as the RAM they stand for. */
#include "capture/source.h"
#include "capture/source_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "basic/cleanup.h"
#include "basic/log.h"

struct raw_source {
	int fd;
	uint64_t base, size;
};

static bool raw_holds(const struct raw_source *raw, uint64_t pa, uint64_t len)
{
	return pa >= raw->base && pa - raw->base <= raw->size && len <= raw->size - (pa - raw->base);
}

static int raw_read(void *priv, uint64_t pa, void *buf, size_t len)
{
	struct raw_source *raw = priv;

	if (!raw_holds(raw, pa, len))
		return -EFAULT;
	return source_pread(raw->fd, buf, len, pa - raw->base);
}

static int raw_classify(void *priv, uint64_t pa, uint64_t size, enum ds_skip_reason *reason,
			uint64_t *run_len)
{
	const struct raw_source *raw = priv;

	classify_window(raw->base, raw->size, pa, size, reason, run_len);
	return 0;
}

static void raw_close(void *priv)
{
	struct raw_source *raw = priv;

	close(raw->fd);
	free(raw);
}

/* A regular file's size, or a block device's.  Anything else (a
 * directory, a pipe) has no size to hold physical memory. */
static off_t image_size(int fd, const char *path)
{
	struct stat st;
	off_t size;

	if (fstat(fd, &st) < 0)
		return log_error_errno(-errno, "cannot stat memory image %s", path);
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))
		return log_error("memory image %s is not a file or a block device", path);
	size = S_ISREG(st.st_mode) ? st.st_size : lseek(fd, 0, SEEK_END);
	if (size < 0)
		return log_error_errno(-errno, "cannot find the size of memory image %s", path);
	return size;
}

int source_open_raw(struct source *src, const char *path, uint64_t base)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct raw_source *raw;
	off_t size;

	if (fd < 0)
		return log_error_errno(-errno, "cannot open memory image %s", path);
	size = image_size(fd, path);
	if (size < 0)
		return (int)size;
	if (size == 0)
		return log_error("memory image %s is empty", path);
	if ((uint64_t)size - 1 > ~0ULL - base)
		return log_error("memory image %s at base 0x%llx runs past the 64-bit physical space",
				 path, (unsigned long long)base);
	raw = malloc(sizeof(*raw));
	if (!raw)
		return log_error_errno(-ENOMEM, "cannot open memory image %s", path);
	*raw = (struct raw_source){ .fd = TAKE_FD(fd), .base = base, .size = (uint64_t)size };
	*src = (struct source){
		.name = path, .read_phys = raw_read, .classify = raw_classify,
		.close = raw_close, .priv = raw,
	};
	return 0;
}
