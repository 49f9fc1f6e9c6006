/* SPDX-License-Identifier: MIT */
/* The store's verbs, as coredumpctl's: argv[0] is the verb; each returns 0 or a negative errno after
 * printing one line that says what went wrong (see verbs.h). */
#ifndef DS_STORE_VERBS_H
#define DS_STORE_VERBS_H

int verb_list(int argc, char **argv);
int verb_show(int argc, char **argv);
int verb_export(int argc, char **argv);
int verb_remove(int argc, char **argv);

#endif /* DS_STORE_VERBS_H */
