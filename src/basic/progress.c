// SPDX-License-Identifier: MIT
#include "basic/progress.h"

#include <time.h>

#include "basic/units.h"

#define PROGRESS_AFTER 1.0 /* seconds before the first line */
#define PROGRESS_EVERY 0.2 /* seconds between lines */

double progress_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void progress_begin(struct progress *p, FILE *out, uint64_t total, double now)
{
	*p = (struct progress){ .out = out, .start = now, .total = total };
}

void progress_update(struct progress *p, uint64_t done, double now)
{
	char a[BYTES_BUF], b[BYTES_BUF], r[BYTES_BUF];
	double elapsed = now - p->start, rate;

	if (!p->out || elapsed < PROGRESS_AFTER || (p->shown && now - p->last < PROGRESS_EVERY))
		return;
	rate = (double)done / elapsed;
	/* Trailing spaces cover a longer line drawn before. */
	fprintf(p->out, "\rdevsnap: %s of %s, %s/s, ETA %.0f s  ", format_bytes(done, a),
		format_bytes(p->total, b), format_bytes((uint64_t)rate, r),
		rate > 0 && done < p->total ? (double)(p->total - done) / rate : 0.0);
	fflush(p->out);
	p->shown = true;
	p->last = now;
}

void progress_end(const struct progress *p)
{
	if (p->shown)
		fputs("\r\033[K", p->out);
}
