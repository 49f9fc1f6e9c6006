// SPDX-License-Identifier: MIT
/*
 * src/store/ -- the saved dumps: the directory and its entries (this
 * file, store.h) and the verbs on them, as coredumpctl's: list, show,
 * export, remove and debug, one file each, with what they share in
 * store_cli.h.  It includes lib/, basic/, store/ and read/ (show prints
 * what a saved dump holds through the dump view; the one edge between
 * rooms it needs).  Entry points: store_open(), store_list(),
 * store_resolve(), store_save_begin()/commit(), the verbs in verbs.h.
 *
 * This file: the store (layout in store.h).  Every change to the
 * directory (committing an entry, removing one, clearing debris) holds
 * flock() on the store directory, so that one collector never takes
 * another's half-committed entry for debris; temporary files named in the
 * store are flock()ed by their writer for the same reason.
 */
#define _GNU_SOURCE /* O_TMPFILE */
#include "store/store.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "basic/cleanup.h"
#include "basic/fdio.h"
#include "basic/json_out.h"
#include "basic/log.h"

#define META_MAX (1 << 20) /* metadata is a few hundred bytes; refuse anything huge */
#define TMP_PREFIX ".tmp-"
#define TMP_TRIES 16
#define NAME_TRIES 1000 /* base, base-2, ... base-1000 */
#define INDEX_DIGITS 7  /* longer numbers are name prefixes: names start with 8 digits */

static void closedirp(DIR **d)
{
	if (*d)
		closedir(*d);
}

int store_lock(struct store *s)
{
	if (flock(s->dirfd, LOCK_EX) < 0)
		return log_error_errno(-errno, "cannot lock the store %s", s->path);
	return 0;
}

void store_unlock(struct store *s)
{
	flock(s->dirfd, LOCK_UN);
}

/* NAME as stored: not empty, not hidden, one path component. */
static bool valid_name(const char *name)
{
	return name[0] && name[0] != '.' && !strchr(name, '/') && strlen(name) < NAME_MAX - 5;
}

/* Dumps hold other people's data: the collector's store is never open to
 * all, even where someone made it so (0750 with a group is fine). */
static int close_to_others(struct store *s)
{
	struct stat st;

	if (fstat(s->dirfd, &st) < 0)
		return log_error_errno(-errno, "cannot check the store %s", s->path);
	if (!(st.st_mode & 0007))
		return 0;
	log_warn("the store %s was open to all (mode %04o): closing it", s->path,
		 (unsigned)(st.st_mode & 07777));
	if (fchmod(s->dirfd, st.st_mode & 07770) < 0)
		return log_error_errno(-errno, "cannot close the store %s to others", s->path);
	return 0;
}

/* Whoever owns the store can swap its files under the collector: only
 * the user saving into it may (root for the system's collector). */
static int check_owner(struct store *s)
{
	uid_t me = geteuid();
	struct passwd *pw;
	struct stat st;

	if (fstat(s->dirfd, &st) < 0)
		return log_error_errno(-errno, "cannot check the store %s", s->path);
	if (st.st_uid == me)
		return 0;
	pw = getpwuid(st.st_uid);
	log_error("the store %s belongs to %s (uid %u), not to %s: refusing to save into it; "
		  "chown it to %s, or remove it and let devsnap create it", s->path,
		  pw ? pw->pw_name : "an unknown user", (unsigned)st.st_uid,
		  me ? "you" : "root", me ? "yourself" : "root:root");
	return -EPERM;
}

int store_open(struct store *s, const char *dir, bool create)
{
	struct stat st;
	int r;

	*s = (struct store){ .dirfd = -1 };
	dir = dir ? dir : STORE_DEFAULT_DIR;
	s->path = strdup(dir);
	if (!s->path)
		return log_error_errno(-ENOMEM, "cannot open the store %s", dir);
	if (create && mkdir(dir, 0700) < 0 && errno != EEXIST) {
		r = log_error_errno(-errno, "cannot create the store %s", dir);
		store_close(s);
		return r;
	}
	s->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (s->dirfd < 0) {
		r = -errno;
		if (lstat(dir, &st) == 0 && S_ISLNK(st.st_mode)) {
			log_error("the store %s is a symlink: not followed", dir);
			r = -ELOOP;
		} else {
			log_error_errno(r, "cannot open the store %s", dir);
		}
		store_close(s);
		return r;
	}
	r = create ? check_owner(s) : 0;
	if (r == 0 && create)
		r = close_to_others(s);
	if (r < 0)
		store_close(s);
	return r;
}

void store_close(struct store *s)
{
	if (s->dirfd >= 0)
		close(s->dirfd);
	free(s->path);
	*s = (struct store){ .dirfd = -1 };
}

static uint64_t json_u64(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
		return 0;
	return json_object_get_uint64(v);
}

/* NAME.json parsed: 0, -ENOENT, -ENOMEM, or -EBADMSG for anything not a
 * small regular file holding a JSON object. */
static int read_meta(int dirfd, const char *file, struct json_object **out)
{
	_cleanup_close_ int fd = openat(dirfd, file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	_cleanup_free_ char *buf = NULL;
	struct stat st;
	ssize_t n;

	if (fd < 0)
		return errno == ELOOP ? -EBADMSG : -errno;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode) || st.st_size > META_MAX)
		return -EBADMSG;
	buf = malloc(st.st_size + 1);
	if (!buf)
		return -ENOMEM;
	n = pread(fd, buf, st.st_size, 0);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	*out = json_tokener_parse(buf);
	if (*out && !json_object_is_type(*out, json_type_object)) {
		json_object_put(*out);
		*out = NULL;
	}
	return *out ? 0 : -EBADMSG;
}

static uint64_t file_disk_usage(int dirfd, const char *file, bool *regular)
{
	struct stat st;

	*regular = fstatat(dirfd, file, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
	return *regular ? (uint64_t)st.st_blocks * 512 : 0;
}

/* The entry whose metadata is in file ("NAME.json"); -EBADMSG if not one. */
static int load_entry(struct store *s, const char *file, struct store_entry *e)
{
	char zst[NAME_MAX + 1];
	size_t len = strlen(file) - 5;
	bool regular;
	int r;

	*e = (struct store_entry){ 0 };
	r = read_meta(s->dirfd, file, &e->json);
	if (r < 0)
		return r;
	e->name = json_get_str(e->json, "name");
	if (strlen(e->name) != len || strncmp(e->name, file, len)) {
		json_object_put(e->json);
		return -EBADMSG;
	}
	e->time_usec = json_u64(e->json, "time_usec");
	e->devcd = json_get_str(e->json, "devcd");
	e->driver = json_get_str(e->json, "driver");
	e->device = json_get_str(e->json, "device");
	e->size = json_u64(e->json, "size");
	e->size_compressed = json_u64(e->json, "size_compressed");
	snprintf(zst, sizeof(zst), "%s.zst", e->name);
	e->disk_usage = file_disk_usage(s->dirfd, zst, &e->present);
	e->disk_usage += file_disk_usage(s->dirfd, file, &regular);
	return 0;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct store_entry *x = a, *y = b;

	if (x->time_usec != y->time_usec)
		return x->time_usec < y->time_usec ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* A directory stream over the store, independent of s->dirfd's position. */
static DIR *open_dir_stream(struct store *s)
{
	int fd = openat(s->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;

	if (fd >= 0 && !d)
		close(fd);
	return d;
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && !strcmp(s + n - m, suffix);
}

static int add_entry(struct store_list *l, const struct store_entry *e, size_t *cap)
{
	if (l->n == *cap) {
		size_t ncap = *cap ? 2 * *cap : 16;
		struct store_entry *p = realloc(l->entries, ncap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		l->entries = p;
		*cap = ncap;
	}
	l->entries[l->n++] = *e;
	return 0;
}

int store_list(struct store *s, struct store_list *out)
{
	_cleanup_(closedirp) DIR *d = open_dir_stream(s);
	struct store_entry e;
	struct dirent *de;
	size_t cap = 0;
	int r = 0;

	*out = (struct store_list){ 0 };
	if (!d)
		return log_error_errno(-errno, "cannot read the store %s", s->path);
	while (r >= 0 && (errno = 0, de = readdir(d))) {
		if (de->d_name[0] == '.' || !has_suffix(de->d_name, ".json"))
			continue;
		r = load_entry(s, de->d_name, &e);
		if (r == -ENOENT || r == -EBADMSG) {
			r = 0; /* removed meanwhile, or not an entry */
			continue;
		}
		if (r == 0 && (r = add_entry(out, &e, &cap)) < 0)
			json_object_put(e.json);
	}
	if (r == 0 && errno)
		r = -errno;
	if (r < 0) {
		store_list_free(out);
		return log_error_errno(r, "cannot read the store %s", s->path);
	}
	if (out->n)
		qsort(out->entries, out->n, sizeof(*out->entries), entry_cmp);
	return 0;
}

void store_list_free(struct store_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		json_object_put(l->entries[i].json);
	free(l->entries);
	*l = (struct store_list){ 0 };
}

/* A number of 1 to max_digits decimal digits. */
static bool small_number(const char *s, size_t max_digits, uint64_t *n)
{
	size_t len = strspn(s, "0123456789");

	if (!len || len > max_digits || s[len])
		return false;
	*n = strtoull(s, NULL, 10);
	return true;
}

static int resolve_index(const struct store_list *l, const char *id, uint64_t n, bool newest,
			 size_t *index)
{
	if (n == 0 || n > l->n) {
		log_error("no saved dump %s: the store holds %zu", id, l->n);
		return -ENOENT;
	}
	*index = newest ? l->n - n : n - 1;
	return 0;
}

static int resolve_prefix(const struct store_list *l, const char *id, size_t *index)
{
	size_t len = strlen(id), matches = 0;

	for (size_t i = 0; i < l->n; i++) {
		if (!strcmp(l->entries[i].name, id)) {
			*index = i; /* NAME wins over NAME-2, which it also prefixes */
			return 0;
		}
		if (!strncmp(l->entries[i].name, id, len) && matches++ == 0)
			*index = i;
	}
	if (matches == 1)
		return 0;
	if (!matches) {
		log_error("no saved dump matches '%s'", id);
		return -ENOENT;
	}
	return log_error("'%s' matches %zu saved dumps (%s, ...): give more of the name", id,
			 matches, l->entries[*index].name);
}

int store_resolve(const struct store_list *l, const char *id, size_t *index)
{
	uint64_t n;

	if (id[0] == '-' && small_number(id + 1, 20, &n))
		return resolve_index(l, id, n, true, index);
	if (small_number(id, INDEX_DIGITS, &n))
		return resolve_index(l, id, n, false, index);
	if (!id[0])
		return log_error("empty dump ID");
	return resolve_prefix(l, id, index);
}

int store_open_dump(struct store *s, const char *name)
{
	char file[NAME_MAX + 1];
	struct stat st;
	int fd, r;

	if (!valid_name(name))
		return log_error("'%s' is not a saved dump's name", name);
	snprintf(file, sizeof(file), "%s.zst", name);
	fd = openat(s->dirfd, file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return log_error_errno(-errno, "cannot open %s/%s", s->path, file);
	/* A FIFO or device planted there would be read without end. */
	if (fstat(fd, &st) < 0)
		r = log_error_errno(-errno, "cannot check %s/%s", s->path, file);
	else if (!S_ISREG(st.st_mode))
		r = log_error("%s/%s is not a regular file", s->path, file);
	else
		return fd;
	close(fd);
	return r;
}

static int remove_locked(struct store *s, const char *name)
{
	char file[NAME_MAX + 1];

	snprintf(file, sizeof(file), "%s.json", name);
	if (unlinkat(s->dirfd, file, 0) < 0)
		return errno == ENOENT ? -ENOENT
				       : log_error_errno(-errno, "cannot remove %s/%s", s->path, file);
	snprintf(file, sizeof(file), "%s.zst", name);
	if (unlinkat(s->dirfd, file, 0) < 0 && errno != ENOENT)
		return log_error_errno(-errno, "cannot remove %s/%s", s->path, file);
	if (fsync(s->dirfd) < 0)
		return log_error_errno(-errno, "cannot sync the store %s", s->path);
	return 0;
}

int store_remove(struct store *s, const char *name)
{
	int r;

	if (!valid_name(name))
		return log_error("'%s' is not a saved dump's name", name);
	r = store_lock(s);
	if (r < 0)
		return r;
	r = remove_locked(s, name);
	store_unlock(s);
	if (r == -ENOENT)
		log_error_errno(r, "cannot remove %s/%s.json", s->path, name);
	return r;
}

int store_remove_locked(struct store *s, const char *name)
{
	if (!valid_name(name))
		return log_error("'%s' is not a saved dump's name", name);
	return remove_locked(s, name);
}

int store_used_bytes(struct store *s, uint64_t *out)
{
	_cleanup_(closedirp) DIR *d = open_dir_stream(s);
	struct dirent *de;
	bool regular;

	*out = 0;
	if (!d)
		return log_error_errno(-errno, "cannot read the store %s", s->path);
	while ((errno = 0, de = readdir(d)))
		*out += file_disk_usage(s->dirfd, de->d_name, &regular);
	if (errno)
		return log_error_errno(-errno, "cannot read the store %s", s->path);
	return 0;
}

int store_fs_space(struct store *s, uint64_t *size, uint64_t *avail)
{
	struct statvfs st;

	if (fstatvfs(s->dirfd, &st) < 0)
		return log_error_errno(-errno, "cannot measure the filesystem of %s", s->path);
	*size = (uint64_t)st.f_blocks * st.f_frsize;
	*avail = (uint64_t)st.f_bavail * st.f_frsize;
	return 0;
}

void store_sanitize_driver(const char *driver, char *out)
{
	size_t n = 0;

	for (; driver[n] && n < STORE_DRIVER_MAX; n++) {
		unsigned char c = (unsigned char)driver[n];

		out[n] = isascii(c) && (isalnum(c) || strchr("._-", c)) ? (char)c : '_';
	}
	out[n] = '\0';
	if (!n)
		strcpy(out, "unknown");
}

int store_base_name(uint64_t time_usec, const char *driver, const char *devcd, char *out,
		    size_t len)
{
	char drv[STORE_DRIVER_MAX + 1], dev[STORE_DRIVER_MAX + 1], stamp[32];
	time_t secs = (time_t)(time_usec / 1000000);
	struct tm tm;

	if (!gmtime_r(&secs, &tm) || !strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm))
		return -EINVAL;
	store_sanitize_driver(driver, drv);
	store_sanitize_driver(devcd, dev);
	if ((size_t)snprintf(out, len, "%s-%s-%s", stamp, drv, dev) >= len)
		return -ENAMETOOLONG;
	return 0;
}

/* A hidden temporary name in use by a live writer is flock()ed by it. */
static bool tmp_in_use(struct store *s, const char *file)
{
	_cleanup_close_ int fd = openat(s->dirfd, file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
						       O_CLOEXEC);

	return fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) < 0 && errno == EWOULDBLOCK;
}

/* Debris: a hidden temporary file no one writes, or NAME.zst without NAME.json. */
static bool is_debris(struct store *s, const char *file)
{
	char json[NAME_MAX + 1];
	struct stat st;

	if (!strncmp(file, TMP_PREFIX, strlen(TMP_PREFIX)))
		return !tmp_in_use(s, file);
	if (file[0] == '.' || !has_suffix(file, ".zst"))
		return false;
	snprintf(json, sizeof(json), "%.*s.json", (int)(strlen(file) - 4), file);
	return fstatat(s->dirfd, json, &st, AT_SYMLINK_NOFOLLOW) < 0 && errno == ENOENT;
}

static int recover_locked(struct store *s)
{
	_cleanup_(closedirp) DIR *d = open_dir_stream(s);
	struct dirent *de;
	int removed = 0;
	struct stat st;

	if (!d)
		return log_error_errno(-errno, "cannot read the store %s", s->path);
	while ((errno = 0, de = readdir(d))) {
		if (fstatat(s->dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode) || !is_debris(s, de->d_name))
			continue;
		if (unlinkat(s->dirfd, de->d_name, 0) < 0)
			return log_error_errno(-errno, "cannot remove %s/%s", s->path, de->d_name);
		log_info("recovered: removed %s/%s, left by an interrupted save", s->path,
			 de->d_name);
		removed++;
	}
	if (errno)
		return log_error_errno(-errno, "cannot read the store %s", s->path);
	if (removed && fsync(s->dirfd) < 0)
		return log_error_errno(-errno, "cannot sync the store %s", s->path);
	return removed;
}

int store_recover(struct store *s)
{
	int r = store_lock(s);

	if (r < 0)
		return r;
	r = recover_locked(s);
	store_unlock(s);
	return r;
}

/* Under a hidden name, flock()ed so that store_recover leaves it alone. */
static int create_named(struct store_save *sv)
{
	int dirfd = sv->store->dirfd;
	uint64_t rnd = 0;

	for (int i = 0; i < TMP_TRIES; i++) {
		if (getrandom(&rnd, sizeof(rnd), 0) != sizeof(rnd))
			rnd ^= (uint64_t)getpid() << 32 ^ (uint64_t)i;
		snprintf(sv->tmp, sizeof(sv->tmp), TMP_PREFIX "%016llx", (unsigned long long)rnd);
		sv->fd = openat(dirfd, sv->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
				0600);
		if (sv->fd >= 0)
			return flock(sv->fd, LOCK_EX) < 0 ? -errno : 0;
		if (errno != EEXIST)
			break;
	}
	sv->tmp[0] = '\0';
	return -errno;
}

/* An unnamed file where O_TMPFILE and /proc (to link it by) allow, which
 * a crash cannot leave behind; else a hidden named one. */
static int tmp_create(struct store_save *sv)
{
	sv->tmp[0] = '\0';
	sv->fd = -1;
	if (access("/proc/self/fd", F_OK) == 0)
		sv->fd = openat(sv->store->dirfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	return sv->fd >= 0 ? 0 : create_named(sv);
}

/* Gives the temporary file the name target, failing with -EEXIST rather
 * than replacing anything. */
static int tmp_link(struct store_save *sv, const char *target)
{
	int dirfd = sv->store->dirfd;
	char proc[64];

	if (sv->tmp[0]) {
		if (linkat(dirfd, sv->tmp, dirfd, target, 0) < 0)
			return -errno;
		unlinkat(dirfd, sv->tmp, 0);
		sv->tmp[0] = '\0';
		return 0;
	}
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", sv->fd);
	return linkat(AT_FDCWD, proc, dirfd, target, AT_SYMLINK_FOLLOW) < 0 ? -errno : 0;
}

int store_save_begin(struct store *s, struct store_save *sv)
{
	int r;

	*sv = (struct store_save){ .store = s, .fd = -1 };
	r = store_lock(s);
	if (r < 0)
		return r;
	r = tmp_create(sv);
	store_unlock(s);
	if (r < 0) {
		store_save_abort(sv);
		return log_error_errno(r, "cannot create a temporary file in %s", s->path);
	}
	return 0;
}

void store_save_abort(struct store_save *sv)
{
	if (sv->tmp[0])
		unlinkat(sv->store->dirfd, sv->tmp, 0);
	sv->tmp[0] = '\0';
	if (sv->fd >= 0)
		close(sv->fd);
	sv->fd = -1;
}

/* NAME.json from meta, whole or not at all. */
static int write_meta(struct store *s, const char *name, struct json_object *meta)
{
	const char *text = json_object_to_json_string_ext(meta, JSON_C_TO_STRING_PRETTY |
								JSON_C_TO_STRING_NOSLASHESCAPE);
	struct store_save js = { .store = s, .fd = -1 };
	char file[NAME_MAX + 1];
	int r;

	snprintf(file, sizeof(file), "%s.json", name);
	r = text ? tmp_create(&js) : -ENOMEM;
	if (r == 0)
		r = write_all(js.fd, text, strlen(text));
	if (r == 0)
		r = write_all(js.fd, "\n", 1);
	if (r == 0 && fsync(js.fd) < 0)
		r = -errno;
	if (r == 0)
		r = tmp_link(&js, file);
	store_save_abort(&js);
	if (r < 0)
		return log_error_errno(r, "cannot write %s/%s", s->path, file);
	return 0;
}

/* Links the dump as NAME.zst for the first free NAME from base. */
static int place_dump(struct store_save *sv, const char *base, char *name, size_t len)
{
	char file[NAME_MAX + 1];
	struct stat st;
	int r = -EEXIST;

	for (unsigned k = 1; k <= NAME_TRIES && r == -EEXIST; k++) {
		if ((size_t)(k == 1 ? snprintf(name, len, "%s", base)
				    : snprintf(name, len, "%s-%u", base, k)) >= len ||
		    !valid_name(name))
			return log_error("cannot name a dump after '%s'", base);
		snprintf(file, sizeof(file), "%s.json", name);
		if (fstatat(sv->store->dirfd, file, &st, AT_SYMLINK_NOFOLLOW) == 0 ||
		    errno != ENOENT)
			continue; /* r stays -EEXIST: an entry, or something odd, has it */
		snprintf(file, sizeof(file), "%s.zst", name);
		r = tmp_link(sv, file);
	}
	if (r < 0)
		return log_error_errno(r, "cannot put the dump in the store %s as %s.zst",
				       sv->store->path, name);
	if (fsync(sv->store->dirfd) < 0)
		return log_error_errno(-errno, "cannot sync the store %s", sv->store->path);
	return 0;
}

static int commit_locked(struct store_save *sv, const char *base, struct json_object *meta,
			 char *name, size_t len)
{
	struct store *s = sv->store;
	char file[NAME_MAX + 1];
	int r = place_dump(sv, base, name, len);

	if (r < 0)
		return r;
	json_object_object_add(meta, "name", json_object_new_string(name));
	r = write_meta(s, name, meta);
	if (r < 0) {
		snprintf(file, sizeof(file), "%s.zst", name);
		unlinkat(s->dirfd, file, 0);
		return r;
	}
	/* The metadata's rename is durable only once the directory is. */
	if (fsync(s->dirfd) < 0)
		return log_error_errno(-errno, "cannot sync the store %s", s->path);
	return 0;
}

int store_save_commit(struct store_save *sv, const char *base, struct json_object *meta,
		      char *name, size_t len)
{
	int r;

	if (fsync(sv->fd) < 0) {
		r = log_error_errno(-errno, "cannot write the dump to %s", sv->store->path);
		store_save_abort(sv);
		return r;
	}
	r = store_lock(sv->store);
	if (r == 0) {
		r = commit_locked(sv, base, meta, name, len);
		store_unlock(sv->store);
	}
	store_save_abort(sv);
	return r;
}
