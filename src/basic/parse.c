// SPDX-License-Identifier: MIT
#include "basic/parse.h"

#include "basic/log.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static int parse_prefix(const char *s, uint64_t *out, char **end)
{
	unsigned long long v;

	if (!s || !isxdigit((unsigned char)*s))
		return -EINVAL; /* strtoull would accept "-1" and " 1" */
	errno = 0;
	v = strtoull(s, end, 0);
	if (errno == ERANGE)
		return -ERANGE;
	if (*end == s)
		return -EINVAL;
	*out = v;
	return 0;
}

int parse_u64(const char *s, uint64_t *out)
{
	char *end;
	int r = parse_prefix(s, out, &end);

	if (r < 0)
		return r;
	return *end ? -EINVAL : 0;
}

int parse_size(const char *s, uint64_t *out)
{
	static const char units[] = "KMGT";
	const char *u;
	uint64_t v;
	char *end;
	int r = parse_prefix(s, &v, &end);

	if (r < 0)
		return r;
	if (*end) {
		u = strchr(units, toupper((unsigned char)*end));
		if (!u)
			return -EINVAL;
		end++;
		if (!strcmp(end, "iB") || !strcmp(end, "B"))
			end += strlen(end);
		if (*end)
			return -EINVAL;
		for (int shift = (int)(u - units + 1) * 10; shift; shift -= 10) {
			if (v > (UINT64_MAX >> 10))
				return -ERANGE;
			v <<= 10;
		}
	}
	*out = v;
	return 0;
}

/* 2^64, one past what parse_u64 takes: an END or LEN may be exactly that. */
static bool is_2_64(const char *s)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		for (s += 2; *s == '0'; s++)
			;
		return !strcmp(s, "10000000000000000");
	}
	return !strcmp(s, "18446744073709551616");
}

/* END or LEN: the number less one, so that 2^64 fits. */
static int parse_end_less_one(const char *s, bool size, uint64_t *out)
{
	uint64_t v;
	int r = size ? parse_size(s, &v) : parse_u64(s, &v);

	if (r == -ERANGE && is_2_64(s)) {
		*out = UINT64_MAX;
		return 0;
	}
	if (r < 0)
		return r;
	if (v == 0)
		return -EDOM;
	*out = v - 1;
	return 0;
}

int parse_range_last(const char *s, uint64_t *first, uint64_t *last)
{
	const char *sep = strpbrk(s ? s : "", "-+");
	char start[32];
	uint64_t a, b = 0;
	int r;

	if (!sep || (size_t)(sep - s) >= sizeof(start))
		return -EINVAL;
	memcpy(start, s, sep - s);
	start[sep - s] = '\0';
	r = parse_u64(start, &a);
	if (r == 0)
		r = parse_end_less_one(sep + 1, *sep == '+', &b);
	if (r < 0)
		return r;
	if (*sep == '+') {
		if (a + b < a)
			return -ERANGE;
		b += a;
	} else if (b < a) {
		return -EDOM;
	}
	*first = a;
	*last = b;
	return 0;
}

int parse_range_option(const char *option, const char *arg, uint64_t *first, uint64_t *last)
{
	int r = parse_range_last(arg, first, last);

	if (r == -EDOM)
		return log_error_errno(r, "%s: '%s' is empty: END is exclusive and must lie above "
				       "START, LEN above 0 (the top of the address space is "
				       "0x10000000000000000)", option, arg);
	if (r == -ERANGE)
		return log_error_errno(r, "%s: '%s' runs past the top of the 64-bit address "
				       "space, 0x10000000000000000", option, arg);
	if (r < 0)
		return log_error_errno(r, "%s: '%s' is not START-END (END exclusive) or START+LEN",
				       option, arg);
	return 0;
}
