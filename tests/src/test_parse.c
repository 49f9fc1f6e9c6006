// SPDX-License-Identifier: MIT
/* src/basic/parse.c's ranges: inclusive last addresses, 2^64 as an END or a
 * START+LEN, and one error code per way to be wrong. */
#include <errno.h>
#include <stdint.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "basic/parse.h"

static void assert_range(const char *s, uint64_t first, uint64_t last)
{
	uint64_t a = 1, b = 0;

	if (parse_range_last(s, &a, &b) != 0)
		fail_msg("'%s' refused", s);
	assert_int_equal(a, first);
	assert_int_equal(b, last);
}

static void assert_refused(const char *s, int err)
{
	uint64_t a = 7, b = 7;

	assert_int_equal(parse_range_last(s, &a, &b), err);
	assert_int_equal(a, 7); /* untouched */
	assert_int_equal(b, 7);
}

static void ranges_give_their_last_address(void **state)
{
	assert_range("0x1000-0x2000", 0x1000, 0x1fff);
	assert_range("0x1000+1", 0x1000, 0x1000);
	assert_range("0x800-0x3000", 0x800, 0x2fff);
	assert_range("4096+4K", 0x1000, 0x1fff);
	assert_range("0-1", 0, 0);
}

static void ranges_may_end_at_2_64(void **state)
{
	assert_range("0xfffffffffffff000-0x10000000000000000", 0xfffffffffffff000, UINT64_MAX);
	assert_range("0xfffffffffffff000-0X00010000000000000000", 0xfffffffffffff000, UINT64_MAX);
	assert_range("0xffffffffffff0000-18446744073709551616", 0xffffffffffff0000, UINT64_MAX);
	assert_range("0xfffffffffffff000+4K", 0xfffffffffffff000, UINT64_MAX);
	assert_range("0xffffffffffffffff+1", UINT64_MAX, UINT64_MAX);
	assert_range("0-0x10000000000000000", 0, UINT64_MAX);
	assert_range("0+0x10000000000000000", 0, UINT64_MAX);
}

static void each_wrong_range_has_its_error(void **state)
{
	assert_refused("0x5000-0x3000", -EDOM);
	assert_refused("0x1000-0x1000", -EDOM);
	assert_refused("0x1000-0", -EDOM); /* not a way to say 2^64 */
	assert_refused("0x1000+0", -EDOM);
	assert_refused("0xfffffffffffff000+8K", -ERANGE);
	assert_refused("0x1000-0x10000000000000001", -ERANGE);
	assert_refused("1+0x10000000000000000", -ERANGE);
	assert_refused("0x10000000000000000-0x10000000000000000", -ERANGE);
	assert_refused("0x1000..0x2000", -EINVAL);
	assert_refused("0x1000", -EINVAL);
	assert_refused("-0x1000", -EINVAL);
	assert_refused("0x1000-", -EINVAL);
	assert_refused("0x1000+-1", -EINVAL);
	assert_refused("", -EINVAL);
}

/* The option's form says what is wrong and returns the same error. */
static void an_option_names_its_error(void **state)
{
	uint64_t first, last;

	assert_int_equal(parse_range_option("--range", "0x1000+1", &first, &last), 0);
	assert_int_equal(first, 0x1000);
	assert_int_equal(last, 0x1000);
	assert_int_equal(parse_range_option("--range", "0x3000-0x1000", &first, &last), -EDOM);
	assert_int_equal(parse_range_option("--range", "1+0x10000000000000000", &first, &last),
			 -ERANGE);
	assert_int_equal(parse_range_option("--range", "0x1000", &first, &last), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ranges_give_their_last_address),
		cmocka_unit_test(ranges_may_end_at_2_64),
		cmocka_unit_test(each_wrong_range_has_its_error),
		cmocka_unit_test(an_option_names_its_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
