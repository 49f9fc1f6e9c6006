/* SPDX-License-Identifier: MIT */
/*
 * The collector's rate limit for crash loops: at most burst dumps saved per
 * interval, the rest released unsaved and counted.  Every dump is saved by a
 * process of its own (devsnap-collect@devcdN.service), so the window lives
 * in a small file in the store, ".ratelimit", read and written under
 * flock(): "START_USEC SAVED DROPPED\n", wall-clock microseconds.
 */
#ifndef DS_RATELIMIT_H
#define DS_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

#define RATELIMIT_FILE ".ratelimit"

struct ratelimit_verdict {
	bool allow;
	uint64_t window_start, window_end; /* the current window, usec */
	uint64_t dropped;                  /* dropped in it so far, this dump included */
	/* A window that ended with dumps dropped, reported once by the first
	 * dump of a later window: its start and its count (0: none to report). */
	uint64_t prev_start, prev_dropped;
};

/* Counts one dump at now_usec against the limit kept in the store dirfd.
 * interval_usec or burst 0: no limit, always allowed.  0 or -errno after
 * one line; on error the dump is allowed (a limit must not lose dumps). */
int ratelimit_take(int dirfd, uint64_t interval_usec, uint64_t burst, uint64_t now_usec,
		   struct ratelimit_verdict *v);

#endif /* DS_RATELIMIT_H */
