// SPDX-License-Identifier: MIT
/* What every memory source shares. */
#include "capture/source.h"
#include "capture/source_file.h"

#include <errno.h>
#include <unistd.h>

void source_close(struct source *src)
{
	if (src->close)
		src->close(src->priv);
	src->close = NULL;
	src->priv = NULL;
}

int source_pread(int fd, void *buf, size_t len, uint64_t off)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = pread(fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ENODATA; /* cut short, or shrunk under us */
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

void classify_window(uint64_t base, uint64_t len, uint64_t pa, uint64_t size,
		     enum ds_skip_reason *reason, uint64_t *run_len)
{
	if (pa < base) {
		*reason = DS_SKIP_NOT_RAM;
		*run_len = base - pa;
	} else if (pa - base < len) {
		*reason = DS_SAVED;
		*run_len = len - (pa - base);
	} else {
		*reason = DS_SKIP_NOT_RAM;
		*run_len = size;
	}
}
