// SPDX-License-Identifier: MIT
/*
 * src/read/ -- reading a dump: it is opened from an fd or a path
 * (dumpview.h; dump_input.h turns pipes and zstd streams into a mappable
 * file) through libdevsnap's public API, and read by the verbs info, maps,
 * read, hexdump, extract, diff, verify, blob and view (an HTML report,
 * assets in view/).  It includes lib/, basic/ and read/ only: a saved dump's ID
 * becomes an fd in the CLI entry layer (cli_dump.c, through
 * dumpview_set_opener), never here.  Entry points: dumpview_open(),
 * dump_info_print()/dump_info_json() (dumpinfo.h), the verbs in verbs.h.
 *
 * This file: the dump view, a thin layer over libdevsnap's struct
 * devsnap_dump (which maps, checks and indexes the file by VA).
 */
#include "read/dumpview.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
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

/* fd_in (taken) as a file that can be mapped: label names it in
 * dump_input's messages, v->path in the others. */
static int mappable_fd(struct dumpview *v, int fd_in, const char *label)
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
	return TAKE_FD(fd);
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

/* What the readers keep at hand: counts, the overlap, the decoded notes. */
static void describe(struct dumpview *v)
{
	struct devsnap_dump_info info;
	struct ds_note n;

	devsnap_dump_get_info(v->dump, &info);
	v->bytes = devsnap_dump_bytes(v->dump, &v->size);
	v->nsegs = (uint32_t)info.segment_count; /* lib's parser counts them in a u32 */
	v->e_machine = info.e_machine;
	v->overlaps = devsnap_dump_overlap(v->dump, &v->overlap_a, &v->overlap_b) == 1;
	for (size_t i = 0; dumpview_note(v, i, &n) == 0; i++)
		decode_note(v, &n);
	v->producer = v->has_info ? PRODUCER_DEVSNAP : v->has_agx ? PRODUCER_ASAHI
								  : PRODUCER_UNKNOWN;
}

int dumpview_disjoint(const struct dumpview *v)
{
	if (!v->overlaps)
		return 0;
	log_error("%s: segments 0x%" PRIx64 " and 0x%" PRIx64 " overlap, so the bytes there are "
		  "ambiguous; see 'devsnap verify'", v->path, v->overlap_a, v->overlap_b);
	return -EBADMSG;
}

static int open_mapped(struct dumpview *v, int fd_in, const char *label)
{
	struct devsnap_open_error error = { 0 };
	struct devsnap_open_options opts = DEVSNAP_OPEN_OPTIONS_INIT;
	_cleanup_close_ int fd = mappable_fd(v, fd_in, label);
	int r;

	if (fd < 0)
		return fd;
	opts.error = &error;
	r = devsnap_dump_open_fd(&v->dump, fd, &opts);
	if (r == -EBADMSG) {
		v->error = error.message;
		v->error_offset = error.offset;
		log_error("%s: %s (at file offset 0x%llx)", v->path, error.message,
			  (unsigned long long)error.offset);
		return r;
	}
	if (r < 0)
		return log_error_errno(r, "cannot map %s", v->path);
	describe(v);
	return 0;
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
	devsnap_dump_close(v->dump);
	v->dump = NULL;
	v->bytes = NULL;
}

void dumpview_load(const struct dumpview *v, uint32_t i, struct devsnap_segment *l)
{
	devsnap_dump_segment(v->dump, i, l); /* i < nsegs: cannot fail */
}

static void segment_at(const void *v, uint32_t i, struct ds_dump_load *out)
{
	struct devsnap_segment s;

	dumpview_load(v, i, &s);
	*out = (struct ds_dump_load){ .va = s.va, .memsz = s.size }; /* what ds_dump_bisect reads */
}

int dumpview_find(const struct dumpview *v, uint64_t va, struct devsnap_segment *l,
		  uint32_t *index)
{
	size_t i;
	int r = devsnap_dump_lookup_va(v->dump, va, l, &i);

	if (r == 0 && index)
		*index = (uint32_t)i;
	return r;
}

uint32_t dumpview_first_after(const struct dumpview *v, uint64_t va)
{
	struct devsnap_segment l;
	uint32_t i;

	if (dumpview_find(v, va, &l, &i) == 0)
		return i;
	/* Not inside one: the first segment starting above va. */
	return ds_dump_bisect(v->nsegs, segment_at, v, va);
}

int dumpview_note(const struct dumpview *v, size_t i, struct ds_note *n)
{
	struct devsnap_note note;
	int r = devsnap_dump_note(v->dump, i, &note);

	if (r < 0)
		return r;
	*n = (struct ds_note){
		.name = note.name,
		.type = note.type,
		.desc = note.data,
		.desc_size = (uint32_t)note.size, /* a note's size field is 32 bits */
		.offset = note.file_offset,
	};
	return 0;
}

int dumpview_bytes(const struct dumpview *v, uint64_t va, uint64_t len, const uint8_t **bytes,
		   uint64_t *n)
{
	struct devsnap_segment l;
	uint64_t off;

	if (dumpview_find(v, va, &l, NULL) < 0) {
		log_error("%s: device VA 0x%llx is not mapped", v->path, (unsigned long long)va);
		return -ENOENT;
	}
	off = va - l.va;
	if (off >= l.file_size) {
		log_error("%s: device VA 0x%llx (PA 0x%llx) was not saved: %s", v->path,
			  (unsigned long long)va, (unsigned long long)(l.pa + off), l.state_name);
		return -ENODATA;
	}
	*bytes = v->bytes + l.file_offset + off;
	*n = l.file_size - off < len ? l.file_size - off : len;
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
