// SPDX-License-Identifier: MIT
/* src/basic/cli.c's cli_operands_last: which arguments are operands, read
 * as getopt reads options (clusters, attached values, "--"). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "basic/cli.h"

static const struct option options[] = {
	{ "reverse", no_argument, NULL, 'r' },
	{ "lines", required_argument, NULL, 'n' },
	{ "output", required_argument, NULL, 'o' },
	{ "json", optional_argument, NULL, 0x101 },
	{ "store", required_argument, NULL, CLI_OPT_STORE },
	{}
};

/* argv (NULL-terminated, "verb" first) rearranged: the words joined by ' '. */
static void assert_operands_last(const char *const *argv, const char *want)
{
	char *in[16], **out, got[256] = "";
	int argc = 0;

	while (argv[argc]) {
		in[argc] = (char *)argv[argc];
		argc++;
	}
	out = cli_operands_last(&argc, in, options);
	assert_non_null(out);
	for (int i = 0; i < argc; i++) {
		strcat(got, i ? " " : "");
		strcat(got, out[i]);
	}
	assert_string_equal(got, want);
	free(out);
}

static void a_cluster_ending_in_a_value_option_takes_the_next(void **state)
{
	assert_operands_last((const char *[]){ "list", "-rn", "2", NULL }, "list -rn 2 --");
	assert_operands_last((const char *[]){ "list", "-rn", "2", "driver=x", NULL },
			     "list -rn 2 -- driver=x");
	assert_operands_last((const char *[]){ "read", "-ro", "f", "-1", NULL },
			     "read -ro f -- -1");
}

static void an_attached_value_does_not(void **state)
{
	assert_operands_last((const char *[]){ "list", "-rn2", "x=y", NULL }, "list -rn2 -- x=y");
	assert_operands_last((const char *[]){ "list", "-n2", "x=y", NULL }, "list -n2 -- x=y");
	assert_operands_last((const char *[]){ "list", "-nr", "x=y", NULL }, "list -nr -- x=y");
}

static void single_and_long_options(void **state)
{
	assert_operands_last((const char *[]){ "list", "-n", "2", "-r", NULL }, "list -n 2 -r --");
	assert_operands_last((const char *[]){ "list", "--lines", "2", "-1", NULL },
			     "list --lines 2 -- -1");
	assert_operands_last((const char *[]){ "list", "--lines=2", "-1", NULL },
			     "list --lines=2 -- -1");
	assert_operands_last((const char *[]){ "show", "--store", "d", "-1", NULL },
			     "show --store d -- -1");
	/* An optional value is attached or absent, never the next argument. */
	assert_operands_last((const char *[]){ "show", "--json", "-1", NULL }, "show --json -- -1");
	assert_operands_last((const char *[]){ "show", "-r", "-1", NULL }, "show -r -- -1");
}

static void an_abbreviated_long_option_is_read_as_getopt_reads_it(void **state)
{
	assert_operands_last((const char *[]){ "list", "--lin", "2", "-1", NULL },
			     "list --lin 2 -- -1");
	assert_operands_last((const char *[]){ "show", "--st", "d", "-1", NULL },
			     "show --st d -- -1");
	assert_operands_last((const char *[]){ "show", "--re", "-1", NULL }, "show --re -- -1");
}

static void what_the_user_ended_with_double_dash_stays(void **state)
{
	assert_operands_last((const char *[]){ "list", "a=b", "--", "-r", NULL },
			     "list a=b -- -r");
	assert_operands_last((const char *[]){ "read", "-", "-o", "x", NULL }, "read -o x -- -");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_cluster_ending_in_a_value_option_takes_the_next),
		cmocka_unit_test(an_attached_value_does_not),
		cmocka_unit_test(single_and_long_options),
		cmocka_unit_test(an_abbreviated_long_option_is_read_as_getopt_reads_it),
		cmocka_unit_test(what_the_user_ended_with_double_dash_stays),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
