/* SPDX-License-Identifier: MIT */
/* The capture room's verb; verbs.h says how a verb is called. */
#ifndef DS_CAPTURE_VERBS_H
#define DS_CAPTURE_VERBS_H

int verb_capture(int argc, char **argv);

#endif /* DS_CAPTURE_VERBS_H */
