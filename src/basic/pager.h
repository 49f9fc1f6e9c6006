/* SPDX-License-Identifier: MIT */
/*
 * A pager for long output on a terminal, as systemd's tools start one:
 * only when standard output is a terminal, the command $DEVSNAP_PAGER,
 * else $PAGER, else "less" (none when the one chosen is "" or "cat"), with
 * LESS=FRSXMK unless $LESS is set: quit when the text fits one screen,
 * raw colours, chopped long lines.
 */
#ifndef DS_PAGER_H
#define DS_PAGER_H

#include <sys/types.h>

/* Standard output through the pager from here on: the pager's pid, 0 when
 * none runs (not a terminal, none chosen, it could not start). */
pid_t pager_open(void);

/* Flushes standard output, closes it to the pager and waits for it. */
void pager_close(pid_t pid);

#endif /* DS_PAGER_H */
