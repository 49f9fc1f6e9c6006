/* SPDX-License-Identifier: MIT */
/* The capture room's verb: argv[0] is the verb; each returns 0 or a negative errno after
 * printing one line that says what went wrong (see verbs.h). */
#ifndef DS_CAPTURE_VERBS_H
#define DS_CAPTURE_VERBS_H

int verb_capture(int argc, char **argv);

#endif /* DS_CAPTURE_VERBS_H */
