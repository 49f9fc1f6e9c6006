/* SPDX-License-Identifier: MIT */
/* The collector's verb: argv[0] is the verb; each returns 0 or a negative errno after
 * printing one line that says what went wrong (see verbs.h). */
#ifndef DS_COLLECT_VERBS_H
#define DS_COLLECT_VERBS_H

int verb_collect(int argc, char **argv);

#endif /* DS_COLLECT_VERBS_H */
