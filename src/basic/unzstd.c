// SPDX-License-Identifier: MIT
#include "basic/unzstd.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "basic/cleanup.h"
#include "basic/log.h"

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
			      .hint = 1 /* an empty file is a truncated frame */, .suffix = ".zst" };
	u->ibuf = malloc(u->isize);
	u->obuf = malloc(u->osize);
	if (!u->z || !u->ibuf || !u->obuf)
		return log_error_errno(-ENOMEM, "cannot decompress %s%s", name, u->suffix);
	ZSTD_initDStream(u->z);
	return 0;
}

int unzstd_open(struct unzstd *u, int fd, const char *label, const void *first, size_t n)
{
	int r = unzstd_init(u, fd, label);

	if (r < 0)
		return r;
	u->suffix = "";
	if (n)
		memcpy(u->ibuf, first, n);
	u->in = (ZSTD_inBuffer){ u->ibuf, n, 0 };
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
				return log_error_errno(-errno, "cannot read %s%s", u->name, u->suffix);
			u->in = (ZSTD_inBuffer){ u->ibuf, (size_t)k, 0 };
			u->eof = k == 0;
			consumed = 0;
		}
		hint = ZSTD_decompressStream(u->z, &ob, &u->in);
		if (ZSTD_isError(hint)) {
			log_error("%s%s: %s", u->name, u->suffix, ZSTD_getErrorName(hint));
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
		log_error("%s%s is truncated", u->name, u->suffix);
		return -EBADMSG;
	}
	return 0;
}

int unzstd_pipe(struct unzstd *u, uint64_t size, unzstd_sink sink, void *ctx)
{
	uint64_t pos = 0;
	const void *buf;
	size_t n;
	int r;

	while ((r = unzstd_next(u, &buf, &n)) == 1) {
		if (n > size - pos) {
			log_error("%s%s holds more than the %" PRIu64 " bytes its metadata says: "
				  "stopped there", u->name, u->suffix, size);
			return -EFBIG;
		}
		r = sink(ctx, buf, n);
		if (r)
			return r;
		pos += n;
	}
	if (r < 0)
		return r;
	if (size != UNZSTD_ANY_SIZE && pos != size) {
		log_error("%s%s holds %" PRIu64 " bytes, its metadata says %" PRIu64, u->name,
			  u->suffix, pos, size);
		return -EBADMSG;
	}
	return 0;
}

int unzstd_bounded(int zfd, const char *name, uint64_t size, unzstd_sink sink, void *ctx)
{
	_cleanup_(unzstd_done) struct unzstd u = { 0 };
	int r = unzstd_init(&u, zfd, name);

	return r < 0 ? r : unzstd_pipe(&u, size, sink, ctx);
}
