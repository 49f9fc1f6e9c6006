/* SPDX-License-Identifier: MIT */
/* Each devsnap verb: argv[0] is the verb; returns 0 or a negative errno
 * after printing one line that says what went wrong. */
#ifndef DS_VERBS_H
#define DS_VERBS_H

struct verb {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

/* Each room declares the verbs it holds; the verbs of the CLI entry layer
 * itself (src/ top level) are declared here. */
#include "capture/verbs.h"
#include "collect/verbs.h"
#include "read/verbs.h"
#include "store/verbs.h"

int verb_formats(int argc, char **argv);
int verb_demo(int argc, char **argv);
/* verbs: add new declarations above this line */

#endif /* DS_VERBS_H */
