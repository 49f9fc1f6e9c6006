/* SPDX-License-Identifier: MIT */
/* One line per event on stderr, prefixed "devsnap: "; errors return -errno. */
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

#endif /* DS_LOG_H */
