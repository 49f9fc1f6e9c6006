// SPDX-License-Identifier: MIT
/*
 * src/basic/ -- the helpers every room uses, generic enough for any CLI:
 * logging (log.h: one line per error, into the journal when run by the
 * collector), _cleanup_ (cleanup.h), whole reads and writes (fdio.h),
 * numbers, ranges and times on the command line (parse.h, timestamp.h,
 * units.h), JSON output (json_out.h), text escaped for terminals
 * (escape.h), a pager, a progress line, output files that never replace
 * what is not a regular file (dumpfile.h), argument parsing the verbs
 * share (cli.h) and the one bounded zstd stream (unzstd.h).  It includes
 * only lib/ and basic/; it knows nothing of dumps' meaning, stores or
 * devices.  Entry points: the headers above.
 */
#define _GNU_SOURCE /* vasprintf */
#include "basic/log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <systemd/sd-journal.h>

#include "basic/cleanup.h"
#include "basic/escape.h"

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

/* Messages quote names from dumps, sysfs and configs: escaped, whole. */
static char *vescaped(const char *fmt, va_list ap)
{
	_cleanup_free_ char *raw = NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	if (vasprintf(&raw, fmt, ap) < 0)
		return NULL;
	f = open_memstream(&text, &len);
	if (!f)
		return NULL;
	escape_puts(f, raw);
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

char *log_escaped(const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	text = vescaped(fmt, ap);
	va_end(ap);
	return text;
}

static void vlog(int priority, const char *fmt, va_list ap, int err)
{
	_cleanup_free_ char *msg = vescaped(fmt, ap);
	const char *text = msg ? msg : "(out of memory formatting a message)";

	/* Falls back to stderr if the journal's socket cannot take it. */
	if (log_to_journal() && (err ? sd_journal_print(priority, "%s: %s", text, strerror(-err))
				     : sd_journal_print(priority, "%s", text)) >= 0)
		return;
	if (err)
		fprintf(stderr, "devsnap: %s: %s\n", text, strerror(-err));
	else
		fprintf(stderr, "devsnap: %s\n", text);
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
