/* SPDX-License-Identifier: MIT */
/* What every verb's argument parsing shares. */
#ifndef DS_CLI_H
#define DS_CLI_H

#include <getopt.h>
#include <stdbool.h>

/*
 * A copy of argv (free() it; NULL when out of memory) with every operand
 * moved, in order, behind a "--": so getopt takes "-1" (the newest saved
 * dump) for the ID it is, not for an option.  An argument is an operand
 * unless it starts with '-' and is not "-<digits>" or "-", or is the value
 * of the option before it.  Unchanged if the user wrote "--" already.
 */
char **cli_operands_last(int *argc, char **argv, const struct option *options);

/* --store DIR: where the verbs that read a dump look up store IDs
 * ($DEVSNAP_STORE, which this sets). */
#define CLI_OPT_STORE 0x100
void cli_set_store(const char *dir);

/* The verbs that take --json[=pretty|short|off], --store and --help before
 * their operands, and the extras their flags ask for. */
enum { CLI_BYTES = 1 << 0, CLI_NO_LEGEND = 1 << 1 };
struct cli_json {
	char **args;   /* argv with operands last (cli_operands_last) */
	int nargs;
	int first;     /* index in args of the first operand */
	bool json;
	bool bytes;     /* --bytes: sizes as exact numbers */
	bool no_legend; /* --no-legend: no header line */
};

/* 0, 1 after printing usage for --help, or -errno after one line that
 * points at 'devsnap VERB --help'.  Then operands are args[first..nargs). */
int cli_parse_json(struct cli_json *c, int argc, char **argv, const char *usage);
int cli_parse_json_ext(struct cli_json *c, int argc, char **argv, const char *usage,
		       unsigned extras);
void cli_json_done(struct cli_json *c);

#endif /* DS_CLI_H */
