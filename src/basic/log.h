/* SPDX-License-Identifier: MIT */
/*
 * One line per event, prefixed "devsnap: ", on stderr; errors return -errno.
 * When stderr is the journal (a systemd service: $JOURNAL_STREAM names it),
 * each line goes to the journal instead, at its own priority (errors at
 * LOG_ERR, so that `journalctl -p err` finds them), without the prefix.
 */
#ifndef DS_LOG_H
#define DS_LOG_H

#include <stdbool.h>

extern bool log_quiet; /* --quiet: drop info lines, keep errors */

void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints "devsnap: <message>: <strerror(-err)>" and returns err (negative),
 * so callers can write: return log_error_errno(r, "cannot open %s", path); */
int log_error_errno(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints "devsnap: <message>" and returns -EINVAL: bad usage or input. */
int log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Whether stderr is connected to the journal ($JOURNAL_STREAM, as
 * systemd.exec(5) documents it), for callers that send structured entries. */
bool log_to_journal(void);

/* The message fmt makes, escaped as the log prints it (escape.h), for a
 * structured journal entry's MESSAGE; malloc()ed, NULL when out of memory. */
char *log_escaped(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* DS_LOG_H */
