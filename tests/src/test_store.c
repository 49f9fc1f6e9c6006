// SPDX-License-Identifier: MIT
/*
 * src/store/store.c and src/collect/collect_conf.c in process: names as the store makes
 * them, IDs as the management verbs resolve them, collect.conf as the
 * collector reads it, and a store in a temporary directory saved to,
 * listed, recovered and emptied.
 */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "collect/collect_conf.h"
#include "store/store.h"

#define GIB (1024ULL * 1024 * 1024)

static char tmpdir[] = "/tmp/test_store.XXXXXX";

static void driver_names_are_sanitised(void **state)
{
	char out[STORE_DRIVER_MAX + 1], name[256], long_drv[100];

	store_sanitize_driver("amdgpu", out);
	assert_string_equal(out, "amdgpu");
	store_sanitize_driver("i915.x-y_z", out);
	assert_string_equal(out, "i915.x-y_z");
	store_sanitize_driver("my drv/\x01\xc3\xa9", out); /* space, slash, control, UTF-8 é */
	assert_string_equal(out, "my_drv____");
	store_sanitize_driver("../..", out); /* dots are kept, but no slash survives */
	assert_string_equal(out, ".._..");
	store_sanitize_driver("", out);
	assert_string_equal(out, "unknown");
	memset(long_drv, 'a', sizeof(long_drv) - 1);
	long_drv[sizeof(long_drv) - 1] = '\0';
	store_sanitize_driver(long_drv, out);
	assert_int_equal(strlen(out), STORE_DRIVER_MAX);

	/* 2025-02-12 10:04:31.5 UTC */
	assert_int_equal(store_base_name(1739354671500000ULL, "amd gpu", "devcd3", name,
					 sizeof(name)), 0);
	assert_string_equal(name, "20250212-100431-amd_gpu-devcd3");
	assert_int_equal(store_base_name(0, "", "devcd0", name, sizeof(name)), 0);
	assert_string_equal(name, "19700101-000000-unknown-devcd0");
	assert_int_equal(store_base_name(0, "x", "devcd0", name, 10), -ENAMETOOLONG);
}

/* Three entries, oldest first; the first name prefixes the second. */
static const char *const names[] = {
	"20250212-100431-amdgpu-devcd1",
	"20250212-100431-amdgpu-devcd1-2",
	"20250213-080000-i915-devcd2",
};

static size_t resolve(const struct store_list *l, const char *id, int expect)
{
	size_t index = 99;

	assert_int_equal(store_resolve(l, id, &index), expect);
	return expect ? 99 : index;
}

static void ids_resolve(void **state)
{
	struct store_entry e[3] = { { .name = names[0] }, { .name = names[1] }, { .name = names[2] } };
	struct store_list l = { e, 3 };

	assert_int_equal(resolve(&l, "-1", 0), 2);
	assert_int_equal(resolve(&l, "-3", 0), 0);
	resolve(&l, "-4", -ENOENT);
	resolve(&l, "-0", -ENOENT);
	assert_int_equal(resolve(&l, "1", 0), 0); /* counting from 1, oldest first */
	assert_int_equal(resolve(&l, "3", 0), 2);
	resolve(&l, "0", -ENOENT);
	resolve(&l, "4", -ENOENT);
	resolve(&l, "2025", -ENOENT);                       /* up to 7 digits: an index */
	assert_int_equal(resolve(&l, "20250213", 0), 2);    /* 8 digits: a name prefix */
	assert_int_equal(resolve(&l, names[0], 0), 0);      /* exact, though it prefixes names[1] */
	assert_int_equal(resolve(&l, "20250212-100431-amdgpu-devcd1-", 0), 1);
	assert_int_equal(resolve(&l, "20250213-08", 0), 2);
	resolve(&l, "20250212", -EINVAL);                   /* ambiguous */
	resolve(&l, "2026", -ENOENT);
	resolve(&l, "nothing", -ENOENT);
	resolve(&l, "", -EINVAL);
	l.n = 0;
	resolve(&l, "-1", -ENOENT);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void config_is_parsed(void **state)
{
	struct collect_conf c;
	uint64_t use, keep;
	char path[256];

	snprintf(path, sizeof(path), "%s/collect.conf", tmpdir);
	collect_conf_init(&c);
	assert_int_equal(c.max_dump_size, 2 * GIB);
	assert_int_equal(c.max_count, 64);
	assert_false(c.max_use_set || c.keep_free_set);
	collect_conf_limits(&c, 100 * GIB, &use, &keep);
	assert_int_equal(use, 4 * GIB); /* 10% and 15%, at most 4G */
	assert_int_equal(keep, 4 * GIB);
	collect_conf_limits(&c, 10 * GIB, &use, &keep);
	assert_int_equal(use, 1 * GIB);
	assert_int_equal(keep, 10 * GIB / 100 * 15);

	write_file(path, "# comment\n"
			 "MaxCount=1\n"          /* outside [Collect]: ignored */
			 "[Collect]\n"
			 "  MaxDumpSize = 512M  \n"
			 "MaxUse=1G\n"
			 "KeepFree=infinity\n"
			 "; another comment\n"
			 "MaxCount=7\n"
			 "Bogus=3\n"             /* unknown: warned, ignored */
			 "MaxDumpSize=lots\n"    /* bad value: warned, ignored */
			 "NoEquals\n"
			 "[Other]\n"
			 "MaxCount=9\n");        /* another section: ignored */
	assert_int_equal(collect_conf_load(&c, path, true), 0);
	assert_int_equal(c.max_dump_size, 512ULL << 20);
	assert_true(c.max_use_set && c.keep_free_set);
	assert_int_equal(c.max_use, GIB);
	assert_int_equal(c.keep_free, UINT64_MAX);
	assert_int_equal(c.max_count, 7);
	collect_conf_limits(&c, 100 * GIB, &use, &keep);
	assert_int_equal(use, GIB);
	assert_int_equal(keep, UINT64_MAX);
	unlink(path);

	collect_conf_init(&c);
	assert_int_equal(collect_conf_load(&c, path, false), 0); /* missing default: defaults */
	assert_int_equal(c.max_count, 64);
	assert_int_equal(collect_conf_load(&c, path, true), -ENOENT); /* missing --config */
}

static void write_at(int dirfd, const char *name, const char *text)
{
	int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static int mode_of(int dirfd, const char *name)
{
	struct stat st;

	assert_int_equal(fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW), 0);
	return st.st_mode & 07777;
}

static bool exists(int dirfd, const char *name)
{
	struct stat st;

	return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/* An entry whose dump is text: saved under base, its name in name. */
static void save(struct store *s, const char *base, const char *text, uint64_t time_usec,
		 char *name)
{
	struct json_object *meta = json_object_new_object();
	struct store_save sv;

	json_object_object_add(meta, "name", json_object_new_string(""));
	json_object_object_add(meta, "time_usec", json_object_new_uint64(time_usec));
	json_object_object_add(meta, "driver", json_object_new_string("amdgpu"));
	json_object_object_add(meta, "size", json_object_new_uint64(strlen(text)));
	assert_int_equal(store_save_begin(s, &sv), 0);
	assert_int_equal(write(sv.fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(store_save_commit(&sv, base, meta, name, NAME_MAX), 0);
	json_object_put(meta);
}

static void store_round_trip(void **state)
{
	char dir[64], first[NAME_MAX], second[NAME_MAX], third[NAME_MAX], buf[128];
	struct store_list l;
	struct store s;
	uint64_t used;
	size_t i;
	int fd;

	snprintf(dir, sizeof(dir), "%s/store", tmpdir);
	assert_int_equal(store_open(&s, dir, false), -ENOENT);
	assert_int_equal(store_open(&s, dir, true), 0);
	assert_int_equal(mode_of(AT_FDCWD, dir), 0700);

	save(&s, "20250212-100431-amdgpu-devcd1", "first dump", 2000, first);
	save(&s, "20250212-100431-amdgpu-devcd1", "second dump", 1000, second);
	save(&s, "20250212-100431-amdgpu-devcd1", "third", 3000, third);
	assert_string_equal(first, "20250212-100431-amdgpu-devcd1");
	assert_string_equal(second, "20250212-100431-amdgpu-devcd1-2"); /* collision */
	assert_string_equal(third, "20250212-100431-amdgpu-devcd1-3");
	assert_int_equal(mode_of(s.dirfd, "20250212-100431-amdgpu-devcd1.zst"), 0600);
	assert_int_equal(mode_of(s.dirfd, "20250212-100431-amdgpu-devcd1.json"), 0600);

	/* Not entries: bad JSON, a name that disagrees, a symlink. */
	snprintf(buf, sizeof(buf), "%s/outside.json", tmpdir);
	write_file(buf, "{\"name\":\"outside\"}");
	assert_int_equal(symlinkat(buf, s.dirfd, "outside.json"), 0);
	assert_int_equal(symlinkat("/etc/passwd", s.dirfd, "passwd.zst"), 0);
	write_at(s.dirfd, "bad.json", "{ not json");
	write_at(s.dirfd, "other.json", "{\"name\":\"another\"}");

	assert_int_equal(store_list(&s, &l), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.entries[0].name, second); /* oldest first, by time */
	assert_string_equal(l.entries[1].name, first);
	assert_string_equal(l.entries[2].name, third);
	assert_int_equal(l.entries[1].time_usec, 2000);
	assert_string_equal(l.entries[1].driver, "amdgpu");
	assert_string_equal(l.entries[1].device, ""); /* not in this metadata */
	assert_int_equal(l.entries[1].size, 10);
	assert_true(l.entries[1].present);
	assert_true(l.entries[1].disk_usage > 0);
	assert_int_equal(store_resolve(&l, "-1", &i), 0);
	assert_string_equal(l.entries[i].name, third);

	fd = store_open_dump(&s, l.entries[1].name);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, buf, sizeof(buf)), 10);
	assert_memory_equal(buf, "first dump", 10);
	close(fd);
	assert_true(store_open_dump(&s, "passwd") < 0); /* a symlink is never followed */
	assert_true(store_open_dump(&s, "../etc/x") < 0);
	store_list_free(&l);

	/* Debris: an orphan dump and a hidden temporary file; the symlink and
	 * files that are not ours stay. */
	write_at(s.dirfd, "20250101-000000-x-devcd9.zst", "orphan");
	write_at(s.dirfd, ".tmp-0123456789abcdef", "half");
	assert_int_equal(store_recover(&s), 2);
	assert_false(exists(s.dirfd, "20250101-000000-x-devcd9.zst"));
	assert_false(exists(s.dirfd, ".tmp-0123456789abcdef"));
	assert_true(exists(s.dirfd, "passwd.zst"));
	assert_true(exists(s.dirfd, "bad.json"));
	assert_int_equal(store_recover(&s), 0);

	assert_int_equal(store_used_bytes(&s, &used), 0);
	assert_true(used >= 3 * 2 * 512);
	assert_int_equal(store_remove(&s, first), 0);
	assert_false(exists(s.dirfd, "20250212-100431-amdgpu-devcd1.json"));
	assert_false(exists(s.dirfd, "20250212-100431-amdgpu-devcd1.zst"));
	assert_int_equal(store_remove(&s, first), -ENOENT);
	assert_int_equal(store_list(&s, &l), 0);
	assert_int_equal(l.n, 2);
	store_list_free(&l);
	store_close(&s);

	/* The store itself must not be a symlink. */
	snprintf(buf, sizeof(buf), "%s/link", tmpdir);
	assert_int_equal(symlink(dir, buf), 0);
	assert_int_equal(store_open(&s, buf, true), -ELOOP);
}

static int setup(void **state)
{
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(driver_names_are_sanitised),
		cmocka_unit_test(ids_resolve),
		cmocka_unit_test(config_is_parsed),
		cmocka_unit_test(store_round_trip),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
