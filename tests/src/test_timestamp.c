// SPDX-License-Identifier: MIT
/* src/basic/timestamp.c: list --since/--until in systemd.time(7)'s words, at a
 * fixed "now" in UTC (the test runs with TZ=UTC). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "basic/timestamp.h"

#define S 1000000ull
#define NOW (1764064471ull * S + 123456) /* 2025-11-25 09:54:31.123456 UTC */
#define MIDNIGHT (1764028800ull * S)     /* 2025-11-25 00:00:00 UTC */

static uint64_t at(const char *s)
{
	uint64_t v = 0;

	if (parse_timestamp(s, NOW, &v) != 0)
		fail_msg("'%s' refused", s);
	return v;
}

static int refused(const char *s)
{
	uint64_t v = 7;
	int r = parse_timestamp(s, NOW, &v);

	assert_int_equal(v, 7);
	return r;
}

static void dates_are_local_midnight_or_the_time_given(void **state)
{
	assert_int_equal(at("2025-11-25"), MIDNIGHT);
	assert_int_equal(at("2025-11-25 10:04"), MIDNIGHT + (10 * 3600 + 4 * 60) * S);
	assert_int_equal(at("2025-11-25 10:04:31"), MIDNIGHT + (10 * 3600 + 4 * 60 + 31) * S);
	assert_int_equal(at("2025-11-25T10:04:31"), MIDNIGHT + (10 * 3600 + 4 * 60 + 31) * S);
	assert_int_equal(at("1970-01-01"), 0);
}

static void words_name_days(void **state)
{
	assert_int_equal(at("now"), NOW);
	assert_int_equal(at("today"), MIDNIGHT);
	assert_int_equal(at("yesterday"), MIDNIGHT - 86400 * S);
	assert_int_equal(at("tomorrow"), MIDNIGHT + 86400 * S);
}

static void spans_count_back_or_forward(void **state)
{
	assert_int_equal(at("-2h"), NOW - 2 * 3600 * S);
	assert_int_equal(at("-30min"), NOW - 30 * 60 * S);
	assert_int_equal(at("-1d"), NOW - 86400 * S);
	assert_int_equal(at("-1d 12h"), NOW - 36 * 3600 * S);
	assert_int_equal(at("-1h30m"), NOW - 90 * 60 * S);
	assert_int_equal(at("-90"), NOW - 90 * S);
	assert_int_equal(at("-2 weeks"), NOW - 14 * 86400 * S);
	assert_int_equal(at("-1M"), NOW - 2629800 * S);
	assert_int_equal(at("-1y"), NOW - 31557600 * S);
	assert_int_equal(at("-500ms"), NOW - 500000);
	assert_int_equal(at("+1w"), NOW + 604800 * S);
	assert_int_equal(at("2h ago"), NOW - 2 * 3600 * S);
	assert_int_equal(at("5 minutes ago"), NOW - 300 * S);
}

static void wrong_times_are_refused(void **state)
{
	assert_int_equal(refused("soon"), -EINVAL);
	assert_int_equal(refused(""), -EINVAL);
	assert_int_equal(refused("-"), -EINVAL);
	assert_int_equal(refused("-2x"), -EINVAL);
	assert_int_equal(refused("-h"), -EINVAL);
	assert_int_equal(refused("2025-13-01"), -EINVAL);
	assert_int_equal(refused("2025-11-25 10"), -EINVAL);
	assert_int_equal(refused("2025-11-25 junk"), -EINVAL);
	assert_int_equal(refused("ago"), -EINVAL);
	assert_int_equal(refused("-100y"), -ERANGE); /* before 1970 */
	assert_int_equal(refused("-99999999999999999999s"), -ERANGE);
	assert_int_equal(refused("+18446744073709551615us"), -ERANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dates_are_local_midnight_or_the_time_given),
		cmocka_unit_test(words_name_days),
		cmocka_unit_test(spans_count_back_or_forward),
		cmocka_unit_test(wrong_times_are_refused),
	};

	setenv("TZ", "UTC", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
