// SPDX-License-Identifier: MIT
#include "store/zstd_bounded.h"

#include <errno.h>
#include <inttypes.h>

#include "basic/cleanup.h"
#include "basic/log.h"
#include "store/store_read.h"

int unzstd_bounded(int zfd, const char *name, uint64_t size, unzstd_sink sink, void *ctx)
{
	_cleanup_(unzstd_done) struct unzstd u = { 0 };
	uint64_t pos = 0;
	const void *buf;
	size_t n;
	int r = unzstd_init(&u, zfd, name);

	while (r >= 0 && (r = unzstd_next(&u, &buf, &n)) == 1) {
		if (n > size - pos) {
			log_error("%s.zst holds more than the %" PRIu64 " bytes its metadata says: "
				  "stopped there", name, size);
			return -EFBIG;
		}
		r = sink(ctx, buf, n);
		pos += n;
	}
	if (r < 0)
		return r;
	if (pos != size) {
		log_error("%s.zst holds %" PRIu64 " bytes, its metadata says %" PRIu64, name, pos,
			  size);
		return -EBADMSG;
	}
	return 0;
}
