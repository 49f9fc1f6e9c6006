// SPDX-License-Identifier: MIT
#define _GNU_SOURCE /* memfd_create */
#include "store_read.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "fdio.h"
#include "log.h"

void unzstd_done(struct unzstd *u)
{
	ZSTD_freeDStream(u->z);
	free(u->ibuf);
	free(u->obuf);
}

int unzstd_init(struct unzstd *u, int fd, const char *name)
{
	*u = (struct unzstd){ .fd = fd, .name = name, .z = ZSTD_createDStream(),
			      .isize = ZSTD_DStreamInSize(), .osize = ZSTD_DStreamOutSize(),
			      .hint = 1 /* an empty file is a truncated frame */ };
	u->ibuf = malloc(u->isize);
	u->obuf = malloc(u->osize);
	if (!u->z || !u->ibuf || !u->obuf)
		return log_error_errno(-ENOMEM, "cannot decompress %s.zst", name);
	ZSTD_initDStream(u->z);
	return 0;
}

int unzstd_next(struct unzstd *u, const void **out, size_t *n)
{
	ZSTD_outBuffer ob = { u->obuf, u->osize, 0 };

	for (;;) {
		size_t consumed = u->in.pos, hint;

		if (u->in.pos == u->in.size && !u->eof) {
			ssize_t k = read(u->fd, u->ibuf, u->isize);

			if (k < 0)
				return log_error_errno(-errno, "cannot read %s.zst", u->name);
			u->in = (ZSTD_inBuffer){ u->ibuf, (size_t)k, 0 };
			u->eof = k == 0;
			consumed = 0;
		}
		hint = ZSTD_decompressStream(u->z, &ob, &u->in);
		if (ZSTD_isError(hint)) {
			log_error("%s.zst: %s", u->name, ZSTD_getErrorName(hint));
			return -EBADMSG;
		}
		/* Called again past a frame's end, zstd asks for the next header. */
		if (ob.pos || u->in.pos != consumed)
			u->hint = hint;
		if (ob.pos) {
			*out = u->obuf;
			*n = ob.pos;
			return 1;
		}
		if (u->eof && u->in.pos == u->in.size)
			break;
	}
	if (u->hint) {
		log_error("%s.zst is truncated", u->name);
		return -EBADMSG;
	}
	return 0;
}

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

int store_dump_memfd(struct store *s, const struct store_entry *e)
{
	_cleanup_close_ int zfd = store_open_dump(s, e->name), mfd = -1;
	_cleanup_(unzstd_done) struct unzstd u = { 0 };
	uint64_t pos = 0;
	const void *buf;
	size_t n;
	int r;

	if (zfd < 0)
		return zfd;
	mfd = memfd_create(e->name, MFD_CLOEXEC);
	if (mfd < 0 || ftruncate(mfd, (off_t)e->size) < 0)
		return log_error_errno(-errno, "cannot make room to read %s", e->name);
	r = unzstd_init(&u, zfd, e->name);
	while (r >= 0 && (r = unzstd_next(&u, &buf, &n)) == 1) {
		if (n > e->size - pos)
			break;
		r = write_sparse(mfd, buf, n, pos);
		if (r < 0)
			return log_error_errno(r, "cannot decompress %s", e->name);
		pos += n;
	}
	if (r < 0)
		return r;
	if (r == 1 || pos != e->size) {
		log_error("%s.zst does not hold the %" PRIu64 " bytes its metadata says", e->name,
			  e->size);
		return -EBADMSG;
	}
	return TAKE_FD(mfd);
}

/* Numbers and name prefixes: what store_resolve may take for an ID.  A
 * mistyped file name is none, and gets no store message. */
static bool looks_like_id(const struct store_list *l, const char *id)
{
	size_t len = strlen(id);

	if (len && strspn(id + (id[0] == '-'), "0123456789") == len - (id[0] == '-'))
		return true;
	for (size_t i = 0; i < l->n; i++)
		if (!strncmp(l->entries[i].name, id, len))
			return true;
	return false;
}

int store_id_memfd(const char *id)
{
	const char *dir = getenv("DEVSNAP_STORE") ?: STORE_DEFAULT_DIR;
	_cleanup_(store_list_free) struct store_list l = { 0 };
	struct store s = { .dirfd = -1 };
	size_t i;
	int r;

	if (access(dir, F_OK) < 0 || strchr(id, '/'))
		return -ENOENT;
	r = store_open(&s, dir, false);
	if (r == 0)
		r = store_list(&s, &l);
	if (r == 0 && looks_like_id(&l, id) && store_resolve(&l, id, &i) == 0)
		r = store_dump_memfd(&s, &l.entries[i]);
	else if (r == 0)
		r = -ENOENT;
	store_close(&s);
	return r;
}
