// SPDX-License-Identifier: MIT
/*
 * src/read/ -- reading a dump: it is opened from an fd or a path
 * (dumpview.h; dump_input.h turns pipes and zstd streams into a mappable
 * file), checked by lib's parser, and read by the verbs info, maps, read,
 * hexdump, extract, diff, verify, blob and view (an HTML report, assets in
 * view/).  It includes lib/, basic/ and read/ only: a saved dump's ID
 * becomes an fd in the CLI entry layer (cli_dump.c, through
 * dumpview_set_opener), never here.  Entry points: dumpview_open(),
 * dump_info_print()/dump_info_json() (dumpinfo.h), the verbs in verbs.h.
 *
 * This file: the dump view, mapped, checked and indexed by VA.
 */
#define _GNU_SOURCE /* qsort_r */
#include "read/dumpview.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "basic/cleanup.h"
#include "basic/log.h"
#include "read/dump_input.h"

int dump_open_path(const char *path)
{
	struct stat st;
	int fd;

	if (!strcmp(path, "-")) {
		if (isatty(STDIN_FILENO))
			return log_error("refusing to read a dump from a terminal; pipe one in");
		fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
		return fd < 0 ? log_error_errno(-errno, "cannot read standard input") : fd;
	}
	/* O_NONBLOCK: a FIFO's open must not wait for a writer; it is refused below. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return errno == ENOENT ? -ENOENT : log_error_errno(-errno, "cannot open %s", path);
	if (fstat(fd, &st) < 0) {
		close(fd);
		return log_error_errno(-errno, "cannot open %s", path);
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return log_error("%s is not a regular file", path);
	}
	return fd;
}

static int open_path_only(const char *path)
{
	int fd = dump_open_path(path);

	return fd == -ENOENT ? log_error_errno(fd, "cannot open %s", path) : fd;
}

static dumpview_opener_fn opener = open_path_only;

void dumpview_set_opener(dumpview_opener_fn open)
{
	opener = open ? open : open_path_only;
}

/* fd_in (taken) mapped whole, as a file that can be: label names it in
 * dump_input's messages, v->path in the others. */
static int map_fd(struct dumpview *v, int fd_in, const char *label)
{
	_cleanup_close_ int fd = dump_input_mappable(fd_in, label);
	struct stat st;

	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0)
		return log_error_errno(-errno, "cannot open %s", v->path);
	if (!st.st_size) {
		log_error("%s is empty", v->path);
		return -EBADMSG;
	}
	v->size = (uint64_t)st.st_size;
	v->map = mmap(NULL, v->size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (v->map == MAP_FAILED) {
		v->map = NULL;
		return log_error_errno(-errno, "cannot map %s", v->path);
	}
	return 0;
}

static void decode_note(struct dumpview *v, const struct ds_note *n)
{
	if (ds_note_is(n, DS_NOTE_NAME, DS_NT_INFO) && ds_note_info_decode(n, &v->info) == 0)
		v->has_info = true;
	else if (ds_note_is(n, "AGX", 1) && ds_note_agx_decode(n, &v->agx) == 0)
		v->has_agx = true;
	else if (ds_note_is(n, "RTKIT", 1)) {
		v->rtkit_log = n->desc;
		v->rtkit_size = n->desc_size;
	}
}

static void decode_notes(struct dumpview *v)
{
	struct ds_note_iter it = { 0 };
	struct ds_note n;

	while (ds_dump_next_note(&v->f, &it, &n) == 1) /* open checked every note */
		decode_note(v, &n);
	v->producer = v->has_info ? PRODUCER_DEVSNAP : v->has_agx ? PRODUCER_ASAHI
								  : PRODUCER_UNKNOWN;
}

static int by_va_cmp(const void *a, const void *b, void *view)
{
	const struct dumpview *v = view;
	uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
	uint64_t va = v->loads[i].va, vb = v->loads[j].va;

	/* Ties in file order, so that every run lists them the same way. */
	return va < vb ? -1 : va > vb ? 1 : i < j ? -1 : i > j;
}

static uint64_t load_last(const struct ds_dump_load *l)
{
	return l->va + (l->memsz - 1); /* the parser refused segments that wrap */
}

/* The first two segments that share an address, in VA order. */
static void find_overlap(struct dumpview *v)
{
	struct ds_dump_load l, widest;
	uint64_t reach = 0; /* the highest last address so far */

	for (uint32_t i = 0; i < v->f.nloads; i++) {
		dumpview_load(v, i, &l);
		if (i && l.va <= reach) {
			v->overlaps = true;
			v->overlap_a = widest.va;
			v->overlap_b = l.va;
			return;
		}
		if (!i || load_last(&l) > reach) {
			reach = load_last(&l);
			widest = l;
		}
	}
}

/* Every segment decoded once, in file order, and an index by VA unless the
 * file keeps that order: O(n log n) whatever the header table holds. */
static int index_loads(struct dumpview *v)
{
	uint32_t n = v->f.nloads;

	v->loads = calloc(n ? n : 1, sizeof(*v->loads));
	if (!v->loads)
		return log_error_errno(-ENOMEM, "cannot index the segments of %s", v->path);
	ds_dump_loads(&v->f, v->loads, n);
	for (uint32_t i = 1; i < n && !v->by_va; i++) {
		if (v->loads[i].va >= v->loads[i - 1].va)
			continue;
		v->by_va = calloc(n, sizeof(*v->by_va));
		if (!v->by_va)
			return log_error_errno(-ENOMEM, "cannot index the segments of %s", v->path);
		for (uint32_t j = 0; j < n; j++)
			v->by_va[j] = j;
		qsort_r(v->by_va, n, sizeof(*v->by_va), by_va_cmp, v);
	}
	find_overlap(v);
	return 0;
}

int dumpview_disjoint(const struct dumpview *v)
{
	if (!v->overlaps)
		return 0;
	log_error("%s: segments 0x%" PRIx64 " and 0x%" PRIx64 " overlap, so the bytes there are "
		  "ambiguous; see 'devsnap verify'", v->path, v->overlap_a, v->overlap_b);
	return -EBADMSG;
}

static int open_mapped(struct dumpview *v, int fd, const char *label)
{
	int r = map_fd(v, fd, label);

	if (r < 0)
		return r;
	r = ds_dump_open(&v->f, v->map, v->size);
	if (r < 0) {
		log_error("%s: %s (at file offset 0x%llx)", v->path, v->f.error,
			  (unsigned long long)v->f.error_offset);
		dumpview_close(v);
		return r;
	}
	decode_notes(v);
	r = index_loads(v);
	if (r < 0)
		dumpview_close(v);
	return r;
}

int dumpview_open_fd(struct dumpview *v, int fd, const char *name)
{
	*v = (struct dumpview){ .path = name };
	return open_mapped(v, fd, name);
}

int dumpview_open(struct dumpview *v, const char *path)
{
	int fd = opener(path);

	*v = (struct dumpview){ .path = path };
	if (fd < 0)
		return fd;
	return open_mapped(v, fd, strcmp(path, "-") ? path : "standard input");
}

void dumpview_close(struct dumpview *v)
{
	if (v->map)
		munmap(v->map, v->size);
	free(v->by_va);
	free(v->loads);
	v->map = NULL;
	v->by_va = NULL;
	v->loads = NULL;
}

void dumpview_load(const struct dumpview *v, uint32_t i, struct ds_dump_load *l)
{
	*l = v->loads[v->by_va ? v->by_va[i] : i];
}

static void view_load_at(const void *v, uint32_t i, struct ds_dump_load *out)
{
	dumpview_load(v, i, out);
}

/* The last segment starting at or below va, by lib's binary search. */
int dumpview_find(const struct dumpview *v, uint64_t va, struct ds_dump_load *l,
		  uint32_t *index)
{
	uint32_t k = ds_dump_bisect(v->f.nloads, view_load_at, v, va);

	if (!k)
		return -ENOENT;
	dumpview_load(v, k - 1, l);
	if (va < l->va || va - l->va >= l->memsz)
		return -ENOENT;
	if (index)
		*index = k - 1;
	return 0;
}

uint32_t dumpview_first_after(const struct dumpview *v, uint64_t va)
{
	struct ds_dump_load l;
	uint32_t i;

	if (dumpview_find(v, va, &l, &i) == 0)
		return i;
	/* Not inside one: the first segment starting above va. */
	return ds_dump_bisect(v->f.nloads, view_load_at, v, va);
}

const char *dumpview_unsaved_why(const struct dumpview *v, const struct ds_dump_load *l)
{
	enum ds_skip_reason why = ds_dump_skip_reason(&v->f, l->va + l->filesz);

	return why < DS_SKIP_REASON_COUNT ? ds_skip_reason_name(why) : "not saved";
}

int dumpview_bytes(const struct dumpview *v, uint64_t va, uint64_t len, const uint8_t **bytes,
		   uint64_t *n)
{
	struct ds_dump_load l;
	uint64_t off;

	if (dumpview_find(v, va, &l, NULL) < 0) {
		log_error("%s: device VA 0x%llx is not mapped", v->path, (unsigned long long)va);
		return -ENOENT;
	}
	off = va - l.va;
	if (off >= l.filesz) {
		log_error("%s: device VA 0x%llx (PA 0x%llx) was not saved: %s", v->path,
			  (unsigned long long)va, (unsigned long long)(l.pa + off),
			  dumpview_unsaved_why(v, &l));
		return -ENODATA;
	}
	*bytes = (const uint8_t *)v->map + l.offset + off;
	*n = l.filesz - off < len ? l.filesz - off : len;
	return 0;
}

const char *dump_perm_string(uint32_t p_flags, char buf[4])
{
	buf[0] = p_flags & 4 ? 'r' : '-';
	buf[1] = p_flags & 2 ? 'w' : '-';
	buf[2] = p_flags & 1 ? 'x' : '-';
	buf[3] = '\0';
	return buf;
}
