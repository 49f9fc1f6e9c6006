// SPDX-License-Identifier: MIT
#define _GNU_SOURCE /* strptime */
#include "basic/timestamp.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define USEC_PER_SEC 1000000ull

/* The µs a unit stands for, by systemd.time(7)'s names; 0 if none. */
static uint64_t unit_usec(const char *u, size_t len)
{
	static const struct {
		const char *name;
		uint64_t usec;
	} units[] = {
		{ "us", 1 }, { "usec", 1 },
		{ "ms", 1000 }, { "msec", 1000 },
		{ "s", USEC_PER_SEC }, { "sec", USEC_PER_SEC }, { "second", USEC_PER_SEC },
		{ "seconds", USEC_PER_SEC },
		{ "m", 60 * USEC_PER_SEC }, { "min", 60 * USEC_PER_SEC },
		{ "minute", 60 * USEC_PER_SEC }, { "minutes", 60 * USEC_PER_SEC },
		{ "h", 3600 * USEC_PER_SEC }, { "hr", 3600 * USEC_PER_SEC },
		{ "hour", 3600 * USEC_PER_SEC }, { "hours", 3600 * USEC_PER_SEC },
		{ "d", 86400 * USEC_PER_SEC }, { "day", 86400 * USEC_PER_SEC },
		{ "days", 86400 * USEC_PER_SEC },
		{ "w", 604800 * USEC_PER_SEC }, { "week", 604800 * USEC_PER_SEC },
		{ "weeks", 604800 * USEC_PER_SEC },
		{ "M", 2629800 * USEC_PER_SEC }, { "month", 2629800 * USEC_PER_SEC },
		{ "months", 2629800 * USEC_PER_SEC },
		{ "y", 31557600 * USEC_PER_SEC }, { "year", 31557600 * USEC_PER_SEC },
		{ "years", 31557600 * USEC_PER_SEC },
	};

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strlen(units[i].name) == len && !strncmp(u, units[i].name, len))
			return units[i].usec;
	return 0;
}

/* "2h 30min", "1d12h": a sum of numbers with units; no unit means seconds. */
static int parse_span(const char *s, uint64_t *usec)
{
	uint64_t sum = 0;
	bool any = false;

	while (*s) {
		uint64_t n, unit = USEC_PER_SEC;
		size_t len;
		char *end;

		while (*s == ' ')
			s++;
		if (!*s)
			break;
		if (!isdigit((unsigned char)*s))
			return -EINVAL;
		errno = 0;
		n = strtoull(s, &end, 10);
		if (errno)
			return -ERANGE;
		while (*end == ' ')
			end++;
		len = strcspn(end, "0123456789 ");
		if (len && !(unit = unit_usec(end, len)))
			return -EINVAL;
		if (n > (UINT64_MAX - sum) / unit)
			return -ERANGE;
		sum += n * unit;
		s = end + len;
		any = true;
	}
	if (!any)
		return -EINVAL;
	*usec = sum;
	return 0;
}

static int relative(const char *span, int sign, uint64_t now, uint64_t *usec)
{
	uint64_t d;
	int r = parse_span(span, &d);

	if (r < 0)
		return r;
	if (sign < 0 ? d > now : d > UINT64_MAX - now)
		return -ERANGE;
	*usec = sign < 0 ? now - d : now + d;
	return 0;
}

static int from_tm(struct tm *tm, uint64_t *usec)
{
	time_t t;

	tm->tm_isdst = -1;
	t = mktime(tm);
	if (t < 0)
		return -ERANGE;
	*usec = (uint64_t)t * USEC_PER_SEC;
	return 0;
}

/* Local midnight days after (or before) the day of now. */
static int midnight(uint64_t now, int days, uint64_t *usec)
{
	time_t t = (time_t)(now / USEC_PER_SEC);
	struct tm tm;

	if (!localtime_r(&t, &tm))
		return -ERANGE;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_mday += days;
	return from_tm(&tm, usec);
}

static int absolute(const char *s, uint64_t *usec)
{
	static const char *const formats[] = { "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S",
					       "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d" };

	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		struct tm tm = { 0 };
		const char *end = strptime(s, formats[i], &tm);

		if (end && !*end)
			return from_tm(&tm, usec);
	}
	return -EINVAL;
}

int parse_timestamp(const char *s, uint64_t now, uint64_t *usec)
{
	size_t len = strlen(s);

	if (!strcmp(s, "now"))
		return *usec = now, 0;
	if (!strcmp(s, "today"))
		return midnight(now, 0, usec);
	if (!strcmp(s, "yesterday"))
		return midnight(now, -1, usec);
	if (!strcmp(s, "tomorrow"))
		return midnight(now, 1, usec);
	if (s[0] == '-' || s[0] == '+')
		return relative(s + 1, s[0] == '-' ? -1 : 1, now, usec);
	if (len > 4 && !strcmp(s + len - 4, " ago")) {
		char span[64];

		if (len - 4 >= sizeof(span))
			return -EINVAL;
		memcpy(span, s, len - 4);
		span[len - 4] = '\0';
		return relative(span, -1, now, usec);
	}
	return absolute(s, usec);
}
