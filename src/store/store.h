/* SPDX-License-Identifier: MIT */
/*
 * The dump store: a directory (default /var/lib/devsnap, mode 0700) of
 * saved devcoredumps.  Each entry NAME is two files, both mode 0600:
 *
 *   NAME.zst   one zstd frame of the devcoredump's raw bytes
 *   NAME.json  its metadata, written after NAME.zst is in place
 *
 * An entry exists iff NAME.json exists and parses as a JSON object with a
 * "name" equal to NAME.  A NAME.zst without NAME.json, and hidden ".tmp-*"
 * files, are debris of a killed save; `devsnap collect` removes them.
 *
 * NAME is "YYYYmmdd-HHMMSS-DRIVER-devcdN" (UTC), DRIVER reduced to
 * [A-Za-z0-9._-], then "-2", "-3", ... on collision.
 *
 * Every file is reached with openat(store dirfd, ..., O_NOFOLLOW): a
 * symlink in the store is never followed.  Functions return 0 (or a count)
 * or a negative errno after printing one line (log.h).
 */
#ifndef DS_STORE_H
#define DS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_object;

#define STORE_DEFAULT_DIR "/var/lib/devsnap"
#define STORE_DRIVER_MAX 64 /* bytes of the sanitised driver in a NAME */

struct store {
	int dirfd;
	char *path; /* as opened, for messages */
};

/* One saved dump.  The strings belong to json and live as long as it;
 * a field the metadata lacks is "" (strings) or 0 (numbers). */
struct store_entry {
	const char *name;  /* NAME: NAME.json and NAME.zst in the store */
	uint64_t time_usec; /* collection time, µs since the Unix epoch, UTC */
	const char *devcd;  /* "devcd3" */
	const char *driver; /* as the kernel named it, control characters replaced */
	const char *device; /* "/sys/devices/pci0000:00/..." */
	uint64_t size;      /* of the original dump */
	uint64_t size_compressed;
	bool present;       /* NAME.zst is there (a regular file) */
	uint64_t disk_usage; /* bytes both files take on disk */
	struct json_object *json; /* the whole metadata object, owned */
};

struct store_list {
	struct store_entry *entries; /* oldest first (time_usec, then name) */
	size_t n;
};

/* Opens dir (NULL: STORE_DEFAULT_DIR), creating it with mode 0700 when
 * create is true and it is missing.  The last path component must not be
 * a symlink.  With create (to save into it), it must belong to the
 * effective user: root, for the system's collector. */
int store_open(struct store *s, const char *dir, bool create);
void store_close(struct store *s);

/* Every entry, oldest first; files that are not entries are ignored. */
int store_list(struct store *s, struct store_list *out);
void store_list_free(struct store_list *l);

/*
 * The entry an ID names, as an index into l->entries:
 *   "-1" the newest, "-N" the N-th newest;
 *   "N"  (1 to 7 digits) the N-th oldest, counting from 1, as 'list' shows;
 *   else a name: an exact NAME, or a prefix of exactly one NAME.
 * -ENOENT (nothing matches, index out of range) or -EINVAL (ambiguous
 * prefix), with a line saying which.
 */
int store_resolve(const struct store_list *l, const char *id, size_t *index);

/* NAME.zst opened read-only (O_NOFOLLOW|O_CLOEXEC), a regular file: an
 * fd, or -errno. */
int store_open_dump(struct store *s, const char *name);

/* Removes NAME.json, then NAME.zst (a missing .zst is fine). */
int store_remove(struct store *s, const char *name);

/* The store's lock (flock on its directory), which commits and removals
 * take: held across a vacuum's listing and removals, so that collectors
 * running at once never count the same removal twice. */
int store_lock(struct store *s);
void store_unlock(struct store *s);

/* store_remove with the lock held; -ENOENT, not logged, when the entry is
 * already gone (removed by hand). */
int store_remove_locked(struct store *s, const char *name);

/* Bytes the store's regular files take on disk (st_blocks), debris included. */
int store_used_bytes(struct store *s, uint64_t *out);

/* Size and free space (for unprivileged users) of the store's filesystem. */
int store_fs_space(struct store *s, uint64_t *size, uint64_t *avail);

/* --- Saving (devsnap collect) --- */

/* The driver name as it may appear in a NAME: bytes outside [A-Za-z0-9._-]
 * become '_', at most STORE_DRIVER_MAX bytes, "unknown" when empty.  out
 * holds STORE_DRIVER_MAX + 1 bytes. */
void store_sanitize_driver(const char *driver, char *out);

/* "YYYYmmdd-HHMMSS-DRIVER-DEVCD" for time_usec (UTC) into out (size len);
 * driver is sanitised here. */
int store_base_name(uint64_t time_usec, const char *driver, const char *devcd, char *out,
		    size_t len);

/* Removes debris: ".tmp-*" files and NAME.zst without NAME.json.  Returns
 * how many files it removed. */
int store_recover(struct store *s);

/* A save in progress: the compressed dump goes to fd, an unnamed or hidden
 * temporary file in the store, until store_save_commit names it. */
struct store_save {
	struct store *store;
	int fd;
	char tmp[32]; /* hidden name in the store, "" while the file has none */
};

int store_save_begin(struct store *s, struct store_save *sv);

/* Picks a free NAME from base (base, base-2, base-3, ...), puts the dump in
 * place as NAME.zst, then writes meta (its "name" set to NAME) as NAME.json,
 * each synced with the directory.  name receives NAME (size len).  On
 * failure nothing of the entry is left. */
int store_save_commit(struct store_save *sv, const char *base, struct json_object *meta,
		      char *name, size_t len);

/* Drops a save not committed; safe after commit. */
void store_save_abort(struct store_save *sv);

#endif /* DS_STORE_H */
