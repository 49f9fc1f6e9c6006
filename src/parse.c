// SPDX-License-Identifier: MIT
#include "parse.h"

#include <ctype.h>
#include <errno.h>
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

int parse_range(const char *s, uint64_t *start, uint64_t *end)
{
	const char *sep = strpbrk(s ? s : "", "-+");
	char first[32];
	uint64_t a, b;
	int r;

	if (!sep || (size_t)(sep - s) >= sizeof(first))
		return -EINVAL;
	memcpy(first, s, sep - s);
	first[sep - s] = '\0';
	r = parse_u64(first, &a);
	if (r < 0)
		return r;
	r = *sep == '+' ? parse_size(sep + 1, &b) : parse_u64(sep + 1, &b);
	if (r < 0)
		return r;
	if (*sep == '+') {
		if (b == 0 || a + b < a)
			return -EINVAL;
		b += a;
	}
	if (b <= a)
		return -EINVAL;
	*start = a;
	*end = b;
	return 0;
}
