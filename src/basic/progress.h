/* SPDX-License-Identifier: MIT */
/*
 * A progress line for long writes: bytes, rate and ETA on one line
 * redrawn with \r, shown once a write has run a second and then five
 * times a second at most, so short writes print nothing at all.
 */
#ifndef DS_PROGRESS_H
#define DS_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct progress {
	FILE *out; /* NULL: no progress */
	double start, last; /* seconds, on progress_now()'s clock */
	uint64_t total;
	bool shown;
};

/* Seconds on a monotonic clock. */
double progress_now(void);

/* out NULL disables the line, e.g. when stderr is no TTY or --quiet. */
void progress_begin(struct progress *p, FILE *out, uint64_t total, double now);
void progress_update(struct progress *p, uint64_t done, double now);
/* Erases the line if one was drawn, so what follows starts clean. */
void progress_end(const struct progress *p);

#endif /* DS_PROGRESS_H */
