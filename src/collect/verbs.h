/* SPDX-License-Identifier: MIT */
/* The collector's verb; verbs.h says how a verb is called. */
#ifndef DS_COLLECT_VERBS_H
#define DS_COLLECT_VERBS_H

int verb_collect(int argc, char **argv);

#endif /* DS_COLLECT_VERBS_H */
