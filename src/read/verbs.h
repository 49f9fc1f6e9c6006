/* SPDX-License-Identifier: MIT */
/* The reader verbs; verbs.h says how a verb is called. */
#ifndef DS_READ_VERBS_H
#define DS_READ_VERBS_H

int verb_info(int argc, char **argv);
int verb_maps(int argc, char **argv);
int verb_read(int argc, char **argv);
int verb_hexdump(int argc, char **argv);
int verb_extract(int argc, char **argv);
int verb_diff(int argc, char **argv);
int verb_verify(int argc, char **argv);
int verb_view(int argc, char **argv);
int verb_blob(int argc, char **argv);

#endif /* DS_READ_VERBS_H */
