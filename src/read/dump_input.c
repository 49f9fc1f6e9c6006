// SPDX-License-Identifier: MIT
#define _GNU_SOURCE /* memfd_create */
#include "read/dump_input.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "basic/cleanup.h"
#include "basic/fdio.h"
#include "basic/log.h"
#include "basic/unzstd.h"
#include "dump_parse.h"

#define ZSTD_MAGIC "\x28\xb5\x2f\xfd"
#define MAGIC_LEN 4
#define START_LEN 64 /* an ELF header: what the first bytes are checked against */
#define CHUNK (1 << 16)

/* Where arriving bytes go. */
struct fill {
	int mfd;
	const char *name;
	uint64_t pos;
	uint64_t extent;    /* bytes past it are counted, not kept (ds_dump_extent) */
	uint64_t want;      /* what it takes to know the extent, while unknown */
	uint8_t start[START_LEN];
};

static bool all_zero(const uint8_t *p, size_t n)
{
	return !n || (!p[0] && !memcmp(p, p + 1, n - 1));
}

/* Writes buf at pos, leaving its all-zero pages as holes. */
static int write_sparse(int fd, const uint8_t *buf, size_t n, uint64_t pos)
{
	for (size_t off = 0; off < n; off += 4096) {
		size_t len = n - off < 4096 ? n - off : 4096;

		if (all_zero(buf + off, len))
			continue;
		if (pwrite(fd, buf + off, len, (off_t)(pos + off)) != (ssize_t)len)
			return -errno;
	}
	return 0;
}

static int fill_init(struct fill *f, const char *name)
{
	*f = (struct fill){ .name = name, .extent = UINT64_MAX, .want = START_LEN };
	f->mfd = memfd_create("devsnap-dump", MFD_CLOEXEC);
	return f->mfd < 0 ? log_error_errno(-errno, "cannot make room to read %s", name) : 0;
}

/* Once the headers are in, where the dump ends: what is kept. */
static int fill_learn_extent(struct fill *f)
{
	uint64_t end;
	void *head;
	int r;

	if (f->want == 0 || f->pos < f->want)
		return 0;
	/* Everything so far was kept: the headers are in the memory file, its
	 * zero pages holes, past its end if they came last. */
	if (ftruncate(f->mfd, (off_t)f->pos) < 0)
		return log_error_errno(-errno, "cannot hold %s in memory", f->name);
	head = mmap(NULL, f->want, PROT_READ, MAP_SHARED, f->mfd, 0);
	if (head == MAP_FAILED)
		return log_error_errno(-errno, "cannot read the headers of %s back", f->name);
	r = ds_dump_extent(head, f->want, &end);
	munmap(head, f->want);
	if (r == 1) {
		f->want = end;
		return 0;
	}
	f->extent = end;
	f->want = 0;
	return 0;
}

static int fill_put(struct fill *f, const void *buf, size_t n)
{
	struct ds_dump_file df;
	uint64_t keep;
	int r;

	if (f->pos < START_LEN) {
		size_t k = n < START_LEN - f->pos ? n : START_LEN - f->pos;

		memcpy(f->start + f->pos, buf, k);
		if (ds_dump_check_start(&df, f->start, f->pos + k) < 0) {
			log_error("%s: %s (at file offset 0x%" PRIx64 ")", f->name, df.error,
				  df.error_offset);
			return -EBADMSG;
		}
	}
	keep = f->pos < f->extent ? f->extent - f->pos : 0;
	r = write_sparse(f->mfd, buf, n < keep ? n : keep, f->pos);
	if (r < 0)
		return log_error_errno(r, "cannot hold %s in memory", f->name);
	f->pos += n;
	return fill_learn_extent(f);
}

/* The memory file, its length set to what arrived (trailing zeros are holes). */
static int fill_finish(struct fill *f)
{
	if (!f->pos) {
		log_error("%s is empty", f->name);
		return -EBADMSG;
	}
	if (ftruncate(f->mfd, (off_t)(f->pos < f->extent ? f->pos : f->extent)) < 0)
		return log_error_errno(-errno, "cannot hold %s in memory", f->name);
	return TAKE_FD(f->mfd);
}

static void fill_done(struct fill *f)
{
	if (f->mfd >= 0)
		close(f->mfd);
}

static int fill_sink(void *ctx, const void *buf, size_t n)
{
	return fill_put(ctx, buf, n);
}

/* The stream in fd, its first n bytes already read into first. */
static int unzstd_into(int fd, const char *name, uint64_t size, const void *first, size_t n)
{
	_cleanup_(unzstd_done) struct unzstd u = { 0 };
	_cleanup_(fill_done) struct fill f = { .mfd = -1 };
	int r = unzstd_open(&u, fd, name, first, n);

	if (r == 0)
		r = fill_init(&f, name);
	if (r == 0)
		r = unzstd_pipe(&u, size, fill_sink, &f);
	return r < 0 ? r : fill_finish(&f);
}

int dump_input_unzstd(int zfd, const char *name, uint64_t size)
{
	return unzstd_into(zfd, name, size, NULL, 0);
}

/* A stream that is not zstd, its first n bytes in first. */
static int copy_into(int fd, const char *name, const void *first, size_t n)
{
	_cleanup_(fill_done) struct fill f = { .mfd = -1 };
	_cleanup_free_ uint8_t *buf = malloc(CHUNK);
	ssize_t k = (ssize_t)n;
	int r;

	if (!buf)
		return log_error_errno(-ENOMEM, "cannot read %s", name);
	r = fill_init(&f, name);
	memcpy(buf, first, n);
	while (r == 0 && k > 0) {
		r = fill_put(&f, buf, (size_t)k);
		k = r == 0 ? read_full(fd, buf, CHUNK) : 0;
	}
	if (k < 0)
		return log_error_errno((int)k, "cannot read %s", name);
	return r < 0 ? r : fill_finish(&f);
}

int dump_input_mappable(int fd, const char *name)
{
	_cleanup_close_ int in = fd;
	uint8_t magic[MAGIC_LEN];
	struct stat st;
	ssize_t n;

	if (fstat(in, &st) < 0)
		return log_error_errno(-errno, "cannot read %s", name);
	/* sysfs and procfs files say 0 bytes and hold more: read as a stream. */
	if (S_ISREG(st.st_mode) && st.st_size) {
		n = pread(in, magic, MAGIC_LEN, 0);
		if (n < 0)
			return log_error_errno(-errno, "cannot read %s", name);
		if (n < MAGIC_LEN || memcmp(magic, ZSTD_MAGIC, MAGIC_LEN))
			return TAKE_FD(in);
		return unzstd_into(in, name, UNZSTD_ANY_SIZE, NULL, 0);
	}
	n = read_full(in, magic, MAGIC_LEN);
	if (n < 0)
		return log_error_errno((int)n, "cannot read %s", name);
	if (n == MAGIC_LEN && !memcmp(magic, ZSTD_MAGIC, MAGIC_LEN))
		return unzstd_into(in, name, UNZSTD_ANY_SIZE, magic, MAGIC_LEN);
	return copy_into(in, name, magic, (size_t)n);
}
