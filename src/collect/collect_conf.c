// SPDX-License-Identifier: MIT
#include "collect/collect_conf.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "basic/cleanup.h"
#include "basic/log.h"
#include "basic/parse.h"

#define GIB (1024ULL * 1024 * 1024)
#define DEFAULT_LIMIT_MAX (4 * GIB) /* MaxUse and KeepFree defaults stop here */
#define USEC_PER_SEC 1000000ULL

void collect_conf_init(struct collect_conf *c)
{
	/* The rate limit's defaults: journald's interval, and a burst that keeps
	 * the start of a crash loop without letting it churn the store. */
	*c = (struct collect_conf){ .max_dump_size = 2 * GIB, .max_count = 64,
				    .ratelimit_interval_usec = 30 * USEC_PER_SEC,
				    .ratelimit_burst = 10 };
}

void collect_conf_limits(const struct collect_conf *c, uint64_t fs_size, uint64_t *max_use,
			 uint64_t *keep_free)
{
	uint64_t use = fs_size / 10, keep = fs_size / 100 * 15;

	*max_use = c->max_use_set ? c->max_use : use < DEFAULT_LIMIT_MAX ? use : DEFAULT_LIMIT_MAX;
	*keep_free = c->keep_free_set ? c->keep_free
				      : keep < DEFAULT_LIMIT_MAX ? keep : DEFAULT_LIMIT_MAX;
}

static char *strip(char *s)
{
	char *end = s + strlen(s);

	while (isspace((unsigned char)*s))
		s++;
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/* A time span as systemd writes them, one unit: "30s", "2min", "500ms", "1h";
 * seconds without a unit. */
static int parse_timespan(const char *s, uint64_t *usec)
{
	static const struct {
		const char *unit;
		uint64_t usec;
	} units[] = { { "", USEC_PER_SEC }, { "s", USEC_PER_SEC }, { "sec", USEC_PER_SEC },
		      { "ms", 1000 },	    { "us", 1 },	    { "min", 60 * USEC_PER_SEC },
		      { "m", 60 * USEC_PER_SEC }, { "h", 3600 * USEC_PER_SEC } };
	char *end;
	unsigned long long n;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno)
		return -errno;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(end, units[i].unit)) {
			if (n > UINT64_MAX / units[i].usec)
				return -ERANGE;
			*usec = n * units[i].usec;
			return 0;
		}
	return -EINVAL;
}

/* RateLimitIntervalSec= and RateLimitBurst=; false for another key. */
static bool set_ratelimit(struct collect_conf *c, const char *where, const char *key,
			  const char *value)
{
	bool interval = !strcmp(key, "RateLimitIntervalSec");
	uint64_t v;

	if (!interval && strcmp(key, "RateLimitBurst"))
		return false;
	if ((interval ? parse_timespan(value, &v) : parse_u64(value, &v)) < 0)
		log_warn("%s: %s=%s is not a %s, ignored", where, key, value,
			 interval ? "time span" : "number");
	else if (interval)
		c->ratelimit_interval_usec = v;
	else
		c->ratelimit_burst = v;
	return true;
}

/* One "Key=Value" of [Collect]. */
static void set_key(struct collect_conf *c, const char *where, char *key, char *value)
{
	bool count;
	uint64_t v;
	int r;

	key = strip(key);
	value = strip(value);
	if (set_ratelimit(c, where, key, value))
		return;
	count = !strcmp(key, "MaxCount");
	if (!count && strcmp(key, "MaxDumpSize") && strcmp(key, "MaxUse") && strcmp(key, "KeepFree")) {
		log_warn("%s: unknown key '%s' in [Collect], ignored", where, key);
		return;
	}
	v = UINT64_MAX;
	r = !strcmp(value, "infinity") ? 0 : count ? parse_u64(value, &v) : parse_size(value, &v);
	if (r < 0) {
		log_warn("%s: %s=%s is not a %s, ignored", where, key, value, count ? "number" : "size");
		return;
	}
	if (count)
		c->max_count = v;
	else if (!strcmp(key, "MaxDumpSize"))
		c->max_dump_size = v;
	else if (!strcmp(key, "MaxUse"))
		c->max_use = v, c->max_use_set = true;
	else
		c->keep_free = v, c->keep_free_set = true;
}

static void parse_line(struct collect_conf *c, const char *where, char *line, bool *in_collect)
{
	char *eq;

	line = strip(line);
	if (!*line || *line == '#' || *line == ';')
		return;
	if (*line == '[') {
		*in_collect = !strcmp(line, "[Collect]");
		if (!*in_collect)
			log_warn("%s: unknown section %s, ignored", where, line);
		return;
	}
	eq = strchr(line, '=');
	if (!eq)
		log_warn("%s: '%s' is not Key=Value, ignored", where, line);
	else if (!*in_collect)
		log_warn("%s: '%s' is outside [Collect], ignored", where, line);
	else
		*eq = '\0', set_key(c, where, line, eq + 1);
}

#define CONF_SIZE_MAX (1 << 20) /* far past any collect.conf: a bound on what is read */

/* The configuration, if it is a regular file of a configuration's size: a
 * FIFO or device there would block or feed the collector without end. */
static FILE *open_conf(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	struct stat st;
	FILE *f;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0)
		st.st_mode = 0;
	if (!S_ISREG(st.st_mode) || st.st_size > CONF_SIZE_MAX) {
		close(fd);
		errno = S_ISREG(st.st_mode) ? EFBIG : EBADFD;
		return NULL;
	}
	f = fdopen(fd, "r");
	if (!f)
		close(fd);
	return f;
}

int collect_conf_load(struct collect_conf *c, const char *path, bool must_exist)
{
	_cleanup_fclose_ FILE *f = open_conf(path);
	_cleanup_free_ char *line = NULL;
	bool in_collect = false;
	size_t cap = 0;
	unsigned lineno = 0;
	char where[4096 + 16];

	if (!f && errno == ENOENT && !must_exist)
		return 0;
	if (!f && errno == EBADFD) {
		log_error("the configuration %s is not a regular file: not read", path);
		return -EBADFD;
	}
	if (!f)
		return log_error_errno(-errno, "cannot read the configuration %s", path);
	while (getline(&line, &cap, f) >= 0) {
		snprintf(where, sizeof(where), "%s:%u", path, ++lineno);
		parse_line(c, where, line, &in_collect);
	}
	if (ferror(f))
		return log_error_errno(-EIO, "cannot read the configuration %s", path);
	return 0;
}
