// SPDX-License-Identifier: MIT
#include "basic/units.h"

#include <stdio.h>
#include <time.h>

bool format_bytes_exact;

const char *format_bytes(uint64_t bytes, char buf[BYTES_BUF])
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	double v = (double)bytes;
	unsigned u = 0;

	if (format_bytes_exact) {
		snprintf(buf, BYTES_BUF, "%llu", (unsigned long long)bytes);
		return buf;
	}
	while (v >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1024;
		u++;
	}
	snprintf(buf, BYTES_BUF, u ? "%.1f %s" : "%.0f %s", v, units[u]);
	return buf;
}

const char *format_time_ns(uint64_t ns, char buf[TIME_BUF])
{
	time_t secs = (time_t)(ns / 1000000000u);
	struct tm tm;
	size_t n;

	if (!ns || !gmtime_r(&secs, &tm))
		return snprintf(buf, TIME_BUF, "unknown"), buf;
	n = strftime(buf, TIME_BUF, "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(buf + n, TIME_BUF - n, ".%06u UTC", (unsigned)(ns % 1000000000u / 1000));
	return buf;
}

const char *format_time_iso(uint64_t ns, char buf[TIME_BUF])
{
	time_t secs = (time_t)(ns / 1000000000u);
	struct tm tm;
	size_t n;

	if (!gmtime_r(&secs, &tm))
		return snprintf(buf, TIME_BUF, "unknown"), buf;
	n = strftime(buf, TIME_BUF, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, TIME_BUF - n, ".%06uZ", (unsigned)(ns % 1000000000u / 1000));
	return buf;
}

const char *plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}
