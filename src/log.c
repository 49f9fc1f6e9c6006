// SPDX-License-Identifier: MIT
#define _GNU_SOURCE /* vasprintf */
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

bool log_quiet;

/* Messages quote names from dumps, sysfs and configs: escaped, whole. */
static void vlog(const char *fmt, va_list ap, int err)
{
	char *msg = NULL;

	fputs("devsnap: ", stderr);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	escape_puts(stderr, msg ? msg : fmt);
	free(msg);
	if (err)
		fprintf(stderr, ": %s", strerror(-err));
	fputc('\n', stderr);
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	if (log_quiet)
		return;
	va_start(ap, fmt);
	vlog(fmt, ap, 0);
	va_end(ap);
}

void log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(fmt, ap, 0);
	va_end(ap);
}

int log_error_errno(int err, const char *fmt, ...)
{
	va_list ap;

	if (err > 0)
		err = -err;
	va_start(ap, fmt);
	vlog(fmt, ap, err);
	va_end(ap);
	return err;
}

int log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(fmt, ap, 0);
	va_end(ap);
	return -EINVAL;
}
