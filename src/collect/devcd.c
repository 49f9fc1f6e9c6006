// SPDX-License-Identifier: MIT
#define _GNU_SOURCE /* asprintf */
#include "collect/devcd.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "basic/cleanup.h"
#include "basic/log.h"

#define CLASS_REL "class/devcoredump"
#define OPENAT2_TRIES 32

bool devcd_name_valid(const char *s)
{
	size_t digits;

	if (strncmp(s, "devcd", 5))
		return false;
	digits = strspn(s + 5, "0123456789");
	return digits && digits <= 10 && !s[5 + digits];
}

/*
 * base, a directory relative to the root, joined with link, a symlink's
 * text found in it, resolved lexically: the result relative to the root
 * ("" for the root itself), or -EXDEV when link is absolute or climbs out.
 */
static int resolve_rel(const char *base, const char *link, char **out)
{
	size_t cap = strlen(base) + strlen(link) + 2, len = 0;
	_cleanup_free_ char *joined = malloc(cap), *path = malloc(cap);
	char *save = NULL;

	if (!joined || !path)
		return -ENOMEM;
	if (link[0] == '/')
		return -EXDEV;
	snprintf(joined, cap, "%s/%s", base, link);
	for (char *t = strtok_r(joined, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
		if (!strcmp(t, "."))
			continue;
		if (!strcmp(t, "..")) {
			if (!len)
				return -EXDEV;
			while (len && path[len - 1] != '/')
				len--;
			len -= len ? 1 : 0;
			continue;
		}
		if (len)
			path[len++] = '/';
		memcpy(path + len, t, strlen(t));
		len += strlen(t);
	}
	path[len] = '\0';
	*out = TAKE_PTR(path);
	return 0;
}

/* rel under the sysfs root; the kernel refuses (-EXDEV) any link out of it. */
static int open_beneath(int rootfd, const char *rel, int flags)
{
	struct open_how how = { .flags = (uint64_t)(flags | O_CLOEXEC),
				.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS };
	long fd;

	rel = *rel ? rel : ".";
	/* EAGAIN: a rename elsewhere raced a ".." in a link; the kernel asks for a retry. */
	for (int i = 0; i < OPENAT2_TRIES; i++) {
		fd = syscall(SYS_openat2, rootfd, rel, &how, sizeof(how));
		if (fd >= 0 || errno != EAGAIN)
			break;
	}
	/* Before Linux 5.6, or under a seccomp filter that predates it, only
	 * resolve_rel's check of the links we read holds. */
	if (fd < 0 && (errno == ENOSYS || errno == EPERM))
		fd = openat(rootfd, rel, flags | O_CLOEXEC | O_NOFOLLOW);
	return fd < 0 ? -errno : (int)fd;
}

static int read_link(int dirfd, const char *name, char *buf, size_t len)
{
	ssize_t n = readlinkat(dirfd, name, buf, len);

	if (n < 0)
		return -errno;
	if ((size_t)n == len)
		return -ENAMETOOLONG;
	buf[n] = '\0';
	return 0;
}

const char *devcd_describe(const struct devcd *d, char *buf, size_t len)
{
	const char *dev = strrchr(d->device, '/');

	snprintf(buf, len, "%s from %s (%s)", d->name, d->driver[0] ? d->driver : "unknown driver",
		 dev ? dev + 1 : "unknown device");
	return buf;
}

/* The class directory, if it is there yet: -ENOENT until the first dump
 * where devcoredump is not built in. */
int sysfs_open_class(struct sysfs_root *t)
{
	if (t->classfd < 0)
		t->classfd = open_beneath(t->rootfd, t->class_rel, O_RDONLY | O_DIRECTORY);
	if (t->classfd < 0 && t->classfd != -ENOENT)
		return log_error_errno(t->classfd, "cannot open %s", t->sysfs);
	return t->classfd < 0 ? t->classfd : 0;
}

/* The devcdN directory; in /sys, class/devcoredump/devcdN is a link into devices/. */
int devcd_open(struct sysfs_root *t, struct devcd *d)
{
	char link[PATH_MAX];
	int r = sysfs_open_class(t);

	if (r == -ENOENT) {
		log_warn("no pending dump %s: %s does not exist", d->name, t->sysfs);
		return r;
	}
	if (r < 0)
		return r;
	r = read_link(t->classfd, d->name, link, sizeof(link));
	if (r == -EINVAL) /* a plain directory */
		r = asprintf(&d->rel, "%s%s%s", t->class_rel, *t->class_rel ? "/" : "", d->name) < 0
			    ? -ENOMEM : 0;
	else if (r == 0)
		r = resolve_rel(t->class_rel, link, &d->rel);
	if (r == -ENOENT) {
		log_warn("no pending dump %s in %s (collected, released or timed out?)", d->name,
			 t->sysfs);
		return r;
	}
	if (r == -EXDEV) {
		log_error("%s/%s points out of %s: not followed", t->sysfs, d->name, t->root);
		return r;
	}
	if (r < 0)
		return log_error_errno(r, "cannot read %s/%s", t->sysfs, d->name);
	d->dirfd = open_beneath(t->rootfd, d->rel, O_RDONLY | O_DIRECTORY);
	if (d->dirfd < 0)
		return log_error_errno(d->dirfd, "cannot open %s/%s", t->sysfs, d->name);
	return 0;
}

static void read_driver(int fd, char *out, size_t len)
{
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof(buf) - 1);

	buf[n > 0 ? n : 0] = '\0';
	for (char *line = buf, *next; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!strncmp(line, "DRIVER=", 7)) {
			snprintf(out, len, "%s", line + 7);
			return;
		}
	}
}

/* failing_device, followed only within the sysfs root: the device's path
 * and its driver; both stay "" when unknown. */
void devcd_identify(struct sysfs_root *t, struct devcd *d)
{
	_cleanup_free_ char *dev = NULL, *uevent = NULL;
	char link[PATH_MAX];
	_cleanup_close_ int fd = -1;
	int r = read_link(d->dirfd, "failing_device", link, sizeof(link));

	if (r < 0) {
		log_warn("%s: no failing_device link, device and driver unknown", d->name);
		return;
	}
	r = resolve_rel(d->rel, link, &dev);
	if (r == -EXDEV) {
		log_warn("%s: failing_device points out of %s (%s): not followed", d->name, t->root,
			 link);
		return;
	}
	if (r < 0 || asprintf(&uevent, "%s%s%s", dev, *dev ? "/" : "", "uevent") < 0)
		return;
	snprintf(d->device, sizeof(d->device), "/sys%s%s", *dev ? "/" : "", dev);
	fd = open_beneath(t->rootfd, uevent, O_RDONLY | O_NONBLOCK);
	if (fd == -EXDEV)
		log_warn("%s: the path to %s leaves %s: not followed", d->name, link, t->root);
	else if (fd < 0)
		log_warn("%s: cannot read the uevent of %s: %s", d->name, d->device, strerror(-fd));
	else
		read_driver(fd, d->driver, sizeof(d->driver));
}

/* Writing to data frees the dump, and lets the device's next crash be dumped. */
int devcd_release(const struct devcd *d)
{
	_cleanup_close_ int fd = openat(d->dirfd, "data", O_WRONLY | O_TRUNC | O_NONBLOCK |
							   O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	ssize_t n;

	/* As save() reads data only where it is a regular file, so is it written. */
	if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))) {
		log_error("cannot release %s: data is not a regular file, as sysfs makes it",
			  d->name);
		return -EBADFD;
	}
	n = fd >= 0 ? write(fd, "1", 1) : -1;
	if (n != 1)
		return log_error_errno(n < 0 ? -errno : -EIO,
				       "cannot release %s: the kernel frees it at its timeout",
				       d->name);
	return 0;
}

/* DIR/../.. is the root when DIR ends in class/devcoredump, else DIR is. */
int sysfs_root_open(struct sysfs_root *t, const char *dir)
{
	size_t len = strlen(dir), cl = strlen(CLASS_REL);

	*t = (struct sysfs_root){ .rootfd = -1, .classfd = -1, .sysfs = dir };
	while (len > 1 && dir[len - 1] == '/')
		len--;
	t->class_rel = "";
	if (len >= cl && !strncmp(dir + len - cl, CLASS_REL, cl) &&
	    (len == cl || dir[len - cl - 1] == '/')) {
		t->class_rel = CLASS_REL;
		len -= cl;
		while (len > 1 && dir[len - 1] == '/')
			len--;
	}
	t->root = len ? strndup(dir, len) : strdup(".");
	if (!t->root)
		return log_error_errno(-ENOMEM, "cannot open %s", dir);
	t->rootfd = open(t->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (t->rootfd < 0)
		return log_error_errno(-errno, "cannot open %s", t->root);
	return 0;
}

void sysfs_root_close(struct sysfs_root *t)
{
	if (t->classfd >= 0)
		close(t->classfd);
	if (t->rootfd >= 0)
		close(t->rootfd);
	free(t->root);
	t->classfd = t->rootfd = -1;
	t->root = NULL;
}

void devcd_close(struct devcd *d)
{
	if (d->dirfd >= 0)
		close(d->dirfd);
	free(d->rel);
	d->dirfd = -1;
	d->rel = NULL;
}
