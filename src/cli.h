/* SPDX-License-Identifier: MIT */
/* What every verb's argument parsing shares. */
#ifndef DS_CLI_H
#define DS_CLI_H

#include <getopt.h>

/*
 * A copy of argv (free() it; NULL when out of memory) with every operand
 * moved, in order, behind a "--": so getopt takes "-1" (the newest saved
 * dump) for the ID it is, not for an option.  An argument is an operand
 * unless it starts with '-' and is not "-<digits>" or "-", or is the value
 * of the option before it.  Unchanged if the user wrote "--" already.
 */
char **cli_operands_last(int *argc, char **argv, const struct option *options);

#endif /* DS_CLI_H */
