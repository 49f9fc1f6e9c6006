// SPDX-License-Identifier: MIT
#include "cli.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Whether arg is an option whose value is the next argument. */
static bool takes_next(const char *arg, const struct option *options)
{
	if (arg[0] != '-' || strchr(arg, '='))
		return false;
	for (const struct option *o = options; o->name; o++)
		if (o->has_arg == required_argument &&
		    ((arg[1] == '-' && !strcmp(arg + 2, o->name)) || (arg[1] == o->val && !arg[2])))
			return true;
	return false;
}

static bool is_operand(int i, char **argv, const struct option *options)
{
	const char *a = argv[i];

	if (i == 0 || takes_next(argv[i - 1], options))
		return false;
	return a[0] != '-' || !a[1] || strspn(a + 1, "0123456789") == strlen(a + 1);
}

char **cli_operands_last(int *argc, char **argv, const struct option *options)
{
	char **out = calloc((size_t)*argc + 2, sizeof(*out));
	int n = 0;

	if (!out)
		return NULL;
	for (int i = 0; i < *argc; i++)
		if (!strcmp(argv[i], "--"))
			return memcpy(out, argv, (size_t)*argc * sizeof(*out));
	for (int i = 0; i < *argc; i++)
		if (!is_operand(i, argv, options))
			out[n++] = argv[i];
	out[n++] = "--";
	for (int i = 0; i < *argc; i++)
		if (is_operand(i, argv, options))
			out[n++] = argv[i];
	*argc = n;
	return out;
}
