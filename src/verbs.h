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

int verb_formats(int argc, char **argv);
int verb_capture(int argc, char **argv);
int verb_demo(int argc, char **argv);
int verb_info(int argc, char **argv);
int verb_maps(int argc, char **argv);
int verb_read(int argc, char **argv);
int verb_hexdump(int argc, char **argv);
int verb_extract(int argc, char **argv);
int verb_diff(int argc, char **argv);
int verb_verify(int argc, char **argv);
int verb_collect(int argc, char **argv);
int verb_list(int argc, char **argv);
int verb_show(int argc, char **argv);
int verb_export(int argc, char **argv);
int verb_remove(int argc, char **argv);
int verb_view(int argc, char **argv);
int verb_blob(int argc, char **argv);
int verb_debug(int argc, char **argv);
/* verbs: add new declarations above this line */

#endif /* DS_VERBS_H */
