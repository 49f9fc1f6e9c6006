/* SPDX-License-Identifier: MIT */
/*
 * Pending devcoredumps in sysfs: /sys/class/devcoredump/devcdN, the device
 * that failed and its driver, and releasing a dump.  The tree is read
 * through its root directory, and every link in it is followed only if it
 * stays within that root (openat2 RESOLVE_BENEATH): neither a fake tree
 * given with --sysfs nor a hostile link sends the collector elsewhere.
 * Functions returning int give 0 or -errno after one line (log.h).
 */
#ifndef DS_DEVCD_H
#define DS_DEVCD_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sysfs_root {
	int rootfd, classfd;
	const char *class_rel; /* the class directory within the root */
	char *root;            /* the root, for messages */
	const char *sysfs;     /* the class directory as given */
};

/* dir is the class directory: when it ends in class/devcoredump, the root
 * is two levels up (the real /sys); otherwise dir is the root. */
int sysfs_root_open(struct sysfs_root *t, const char *dir);
void sysfs_root_close(struct sysfs_root *t);

/* Opens the class directory once it exists: -ENOENT, silently, until the
 * first dump where devcoredump is not built in. */
int sysfs_open_class(struct sysfs_root *t);

/* One pending dump. */
struct devcd {
	const char *name;      /* "devcd3" */
	char *rel;             /* its directory within the sysfs root */
	int dirfd;
	char device[PATH_MAX]; /* "/sys/devices/...", or "" */
	char driver[256];      /* from the device's uevent, or "" */
	uint64_t time_usec;    /* when it was found */
};

/* "devcd" and 1 to 10 digits. */
bool devcd_name_valid(const char *s);

/* Opens d->name's directory (d->dirfd); -ENOENT when it is gone. */
int devcd_open(struct sysfs_root *t, struct devcd *d);

/* Fills device and driver from failing_device, followed only within the
 * root; both stay "" when unknown, with a warning saying why. */
void devcd_identify(struct sysfs_root *t, struct devcd *d);

/* Writes to data, which frees the dump and lets the device's next crash
 * be dumped. */
int devcd_release(const struct devcd *d);

/* "devcd3 from amdgpu (0000:03:00.0)", for log lines. */
const char *devcd_describe(const struct devcd *d, char *buf, size_t len);

void devcd_close(struct devcd *d);

#endif /* DS_DEVCD_H */
