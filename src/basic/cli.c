// SPDX-License-Identifier: MIT
#include "basic/cli.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "basic/json_out.h"
#include "basic/log.h"
#include "basic/units.h"

/* The option whose short name is c, or NULL.  A short option that takes a
 * value has an entry here (its val), as every verb's table gives it. */
static const struct option *short_option(char c, const struct option *options)
{
	for (const struct option *o = options; o->name; o++)
		if (o->val == c)
			return o;
	return NULL;
}

/* Whether arg is an option whose value is the next argument, as getopt
 * reads it: "--name" without "=", or a cluster of short options ("-rn")
 * whose last one takes a value ("-rn5" holds its own). */
/* The option getopt_long takes "--name" for: an exact match, or the only
 * option name starts with (getopt accepts unambiguous abbreviations). */
static const struct option *long_option(const char *name, const struct option *options)
{
	const struct option *found = NULL;
	size_t len = strlen(name);

	for (const struct option *o = options; o->name; o++) {
		if (strncmp(o->name, name, len))
			continue;
		if (!o->name[len])
			return o;
		if (found)
			return NULL;
		found = o;
	}
	return found;
}

static bool takes_next(const char *arg, const struct option *options)
{
	if (arg[0] != '-' || !arg[1])
		return false;
	if (arg[1] == '-') {
		const struct option *o = strchr(arg, '=') ? NULL : long_option(arg + 2, options);

		return o && o->has_arg == required_argument;
	}
	for (const char *c = arg + 1; *c; c++) {
		const struct option *o = short_option(*c, options);

		if (o && o->has_arg != no_argument)
			return o->has_arg == required_argument && !c[1];
	}
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

void cli_set_store(const char *dir)
{
	setenv("DEVSNAP_STORE", dir, 1);
}

enum { OPT_JSON = 0x200, OPT_BYTES, OPT_NO_LEGEND };

int cli_parse_json_ext(struct cli_json *c, int argc, char **argv, const char *usage,
		       unsigned extras)
{
	static const struct option options[] = {
		{ "json", optional_argument, NULL, OPT_JSON },
		{ "store", required_argument, NULL, CLI_OPT_STORE },
		{ "bytes", no_argument, NULL, OPT_BYTES },
		{ "no-legend", no_argument, NULL, OPT_NO_LEGEND },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	int opt;

	*c = (struct cli_json){ .nargs = argc };
	c->args = cli_operands_last(&c->nargs, argv, options);
	if (!c->args)
		return log_error_errno(-ENOMEM, "cannot parse the arguments");
	optind = 1;
	while ((opt = getopt_long(c->nargs, c->args, "h", options, NULL)) != -1) {
		if (opt == 'h')
			return fputs(usage, stdout), 1;
		if (opt == OPT_JSON && json_parse_format(optarg) < 0)
			return -EINVAL;
		else if (opt == CLI_OPT_STORE)
			cli_set_store(optarg);
		else if (opt == OPT_BYTES && (extras & CLI_BYTES))
			c->bytes = format_bytes_exact = true;
		else if (opt == OPT_NO_LEGEND && (extras & CLI_NO_LEGEND))
			c->no_legend = true;
		else if (opt != OPT_JSON)
			return log_error("see 'devsnap %s --help'", argv[0]);
	}
	c->json = json_format != JSON_OFF;
	c->first = optind;
	return 0;
}

int cli_parse_json(struct cli_json *c, int argc, char **argv, const char *usage)
{
	return cli_parse_json_ext(c, argc, argv, usage, 0);
}

void cli_json_done(struct cli_json *c)
{
	free(c->args);
	c->args = NULL;
}
