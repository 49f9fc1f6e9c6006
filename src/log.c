// SPDX-License-Identifier: MIT
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <systemd/sd-journal.h>

bool log_quiet;

bool log_to_journal(void)
{
	static int cached = -1;
	unsigned long long dev, ino;
	const char *e;
	struct stat st;

	if (cached < 0) {
		e = getenv("JOURNAL_STREAM");
		cached = e && sscanf(e, "%llu:%llu", &dev, &ino) == 2 && fstat(2, &st) == 0 &&
			 st.st_dev == dev && st.st_ino == ino;
	}
	return cached;
}

static void vlog(int priority, const char *fmt, va_list ap, int err)
{
	char msg[2048];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* Falls back to stderr if the journal's socket cannot take it. */
	if (log_to_journal() && (err ? sd_journal_print(priority, "%s: %s", msg, strerror(-err))
				     : sd_journal_print(priority, "%s", msg)) >= 0)
		return;
	if (err)
		fprintf(stderr, "devsnap: %s: %s\n", msg, strerror(-err));
	else
		fprintf(stderr, "devsnap: %s\n", msg);
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	if (log_quiet)
		return;
	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap, 0);
	va_end(ap);
}

void log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap, 0);
	va_end(ap);
}

int log_error_errno(int err, const char *fmt, ...)
{
	va_list ap;

	if (err > 0)
		err = -err;
	va_start(ap, fmt);
	vlog(LOG_ERR, fmt, ap, err);
	va_end(ap);
	return err;
}

int log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_ERR, fmt, ap, 0);
	va_end(ap);
	return -EINVAL;
}
