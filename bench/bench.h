/* SPDX-License-Identifier: MIT */
/* Timing and the one output line every benchmark prints. */
#ifndef DS_BENCH_H
#define DS_BENCH_H

#include <stdio.h>
#include <time.h>

static inline double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ratio = baseline time / devsnap time: above 1, devsnap is faster. */
static inline void bench_report(const char *name, double value, const char *unit,
				double baseline, double devsnap_seconds, double baseline_seconds)
{
	printf("BENCH %s %.3f %s baseline=%.3f ratio=%.2f\n", name, value, unit, baseline,
	       baseline_seconds / devsnap_seconds);
	fflush(stdout);
}

#endif /* DS_BENCH_H */
