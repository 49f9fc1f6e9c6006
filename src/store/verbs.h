/* SPDX-License-Identifier: MIT */
/* The store's verbs, as coredumpctl's; verbs.h says how a verb is called. */
#ifndef DS_STORE_VERBS_H
#define DS_STORE_VERBS_H

int verb_list(int argc, char **argv);
int verb_show(int argc, char **argv);
int verb_export(int argc, char **argv);
int verb_remove(int argc, char **argv);
int verb_debug(int argc, char **argv);

#endif /* DS_STORE_VERBS_H */
