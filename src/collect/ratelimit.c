// SPDX-License-Identifier: MIT
#include "collect/ratelimit.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "basic/cleanup.h"
#include "basic/log.h"

struct window {
	uint64_t start, saved, dropped;
};

/* The window in fd; a missing, empty or damaged file is a fresh one. */
static void read_window(int fd, struct window *w)
{
	char buf[96];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	*w = (struct window){ 0 };
	if (n <= 0)
		return;
	buf[n] = '\0';
	if (sscanf(buf, "%" SCNu64 " %" SCNu64 " %" SCNu64, &w->start, &w->saved, &w->dropped) != 3)
		*w = (struct window){ 0 };
}

static int write_window(int fd, const struct window *w)
{
	char buf[96];
	int len = snprintf(buf, sizeof(buf), "%" PRIu64 " %" PRIu64 " %" PRIu64 "\n", w->start,
			   w->saved, w->dropped);

	if (pwrite(fd, buf, (size_t)len, 0) != len || ftruncate(fd, len) < 0)
		return -errno ? -errno : -EIO;
	return 0;
}

int ratelimit_take(int dirfd, uint64_t interval_usec, uint64_t burst, uint64_t now_usec,
		   struct ratelimit_verdict *v)
{
	_cleanup_close_ int fd = -1;
	struct window w;
	int r;

	*v = (struct ratelimit_verdict){ .allow = true, .window_start = now_usec,
					 .window_end = now_usec };
	if (!interval_usec || !burst)
		return 0;
	fd = openat(dirfd, RATELIMIT_FILE, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return log_error_errno(-errno, "cannot open the rate limit's state %s", RATELIMIT_FILE);
	if (flock(fd, LOCK_EX) < 0)
		return log_error_errno(-errno, "cannot lock the rate limit's state %s", RATELIMIT_FILE);
	read_window(fd, &w);
	/* A new window once the last one is over, or the clock went back by
	 * more than a window.  A collector that read the clock before waiting
	 * on the lock may find a start a little after its own now: the same
	 * window, not a reset (concurrent collectors once saved 9 of 7). */
	if (now_usec >= w.start ? now_usec - w.start >= interval_usec
				: w.start - now_usec >= interval_usec) {
		v->prev_start = w.start;
		v->prev_dropped = w.dropped;
		w = (struct window){ .start = now_usec };
	}
	if (w.saved < burst)
		w.saved++;
	else
		w.dropped++, v->allow = false;
	v->window_start = w.start;
	v->window_end = w.start + interval_usec;
	v->dropped = w.dropped;
	r = write_window(fd, &w);
	v->allow = v->allow || r < 0;
	if (r < 0)
		return log_error_errno(r, "cannot write the rate limit's state %s", RATELIMIT_FILE);
	return 0;
}
