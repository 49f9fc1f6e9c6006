// SPDX-License-Identifier: MIT
/* devsnap show: a saved dump's metadata and what the dump holds. */
#define _GNU_SOURCE /* memfd_create */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "basic/cleanup.h"
#include "basic/escape.h"
#include "basic/json_out.h"
#include "basic/log.h"
#include "basic/units.h"
#include "basic/unzstd.h"
#include "read/dumpinfo.h"
#include "store/store_cli.h"
#include "store/verbs.h"

#define FIELD_WIDTH 14 /* as dump_info_print aligns its fields */

static const char show_usage[] =
	"Usage: devsnap show [--json[=FORMAT]] [--store DIR] ID\n\n"
	"Shows a saved dump's metadata and, for dumps 'devsnap info' reads\n"
	"(devsnap's and Asahi's), what it shows of them, decompressing only the\n"
	"dump's headers and notes.  ID: '#' or NAME (or a unique prefix) from\n"
	"'devsnap list'; -1 is the newest, -2 the one before.\n\n"
	"  --json[=pretty|short|off]\n"
	"                the metadata as JSON, with the dump's info under \"info\"\n"
	"  --store DIR   the store (default $DEVSNAP_STORE, else " STORE_DEFAULT_DIR ")\n";

/* Keys (of the summary) and values come from metadata: escaped. */
static void field(const char *key, const char *value)
{
	int pad = FIELD_WIDTH - (int)escape_puts(NULL, key);

	printf("%*s", pad > 0 ? pad : 0, "");
	escape_puts(stdout, key);
	fputs(": ", stdout);
	escape_puts(stdout, or_dash(value));
	putchar('\n');
}

static void print_meta(const struct store *s, const struct store_entry *e, size_t index)
{
	char buf[512], t[TIME_BUF], a[BYTES_BUF];

	field("Name", e->name);
	snprintf(buf, sizeof(buf), "%zu", index + 1);
	field("Index", buf);
	field("Time", store_local_time(e->time_usec, t));
	field("Device", e->device);
	field("Driver", e->driver);
	field("Devcd", e->devcd);
	snprintf(buf, sizeof(buf), "%s (%" PRIu64 " %s)", format_bytes(e->size, a), e->size,
		 plural(e->size, "byte", "bytes"));
	field("Size", buf);
	snprintf(buf, sizeof(buf), "%s (%.1f%%)", format_bytes(e->size_compressed, a),
		 e->size ? 100.0 * (double)e->size_compressed / (double)e->size : 0.0);
	field("Compressed", buf);
	field("Kernel", json_get_str(e->json, "kernel"));
	field("Boot ID", json_get_str(e->json, "boot_id"));
	field("Hostname", json_get_str(e->json, "hostname"));
	field("Content", json_get_str(e->json, "content"));
	snprintf(buf, sizeof(buf), "%s/%s.zst (%s)", s->path, e->name, state_of(e));
	field("Storage", buf);
}

/* What the collector read from the dump's notes, for when the dump itself
 * cannot be read. */
static void print_summary(const struct store_entry *e)
{
	struct json_object *sum;

	if (!json_object_object_get_ex(e->json, "summary", &sum) ||
	    !json_object_is_type(sum, json_type_object))
		return;
	json_object_object_foreach(sum, key, val) {
		bool str = json_object_is_type(val, json_type_string);

		field(key, str ? json_object_get_string(val) : json_object_to_json_string(val));
	}
}

struct mapping {
	uint8_t *p;
	size_t len;
};

static void unmapp(struct mapping *m)
{
	if (m->p)
		munmap(m->p, m->len);
}

/* Where head_memfd's bytes go, and when they are enough. */
struct head {
	uint8_t *p;
	uint64_t pos, want, size;
};

static int head_put(void *ctx, const void *buf, size_t n)
{
	struct head *h = ctx;
	struct ds_dump_file f;

	memcpy(h->p + h->pos, buf, n); /* unzstd_pipe keeps pos + n <= size */
	h->pos += n;
	if (h->pos >= 4 && memcmp(h->p, "\177ELF", 4))
		return -EMEDIUMTYPE;
	if (h->pos < h->want && h->pos < h->size)
		return 0;
	if (ds_dump_open_head(&f, h->p, h->pos, h->size) == 0)
		return 1;
	h->want = h->pos * 2;
	return 0;
}

/*
 * The dump in a sparse memfd of its full size, decompressed only as far as
 * its ELF headers and notes reach (the head ds_dump_open_head accepts):
 * what dump_info_print reads, without paying for the pages.  -EMEDIUMTYPE
 * for a dump devsnap cannot read, without a message.
 */
static int head_memfd(struct store *s, const struct store_entry *e)
{
	_cleanup_close_ int zfd = store_open_dump(s, e->name), mfd = -1;
	_cleanup_(unmapp) struct mapping m = { .len = e->size };
	struct head h = { .want = 1 << 16, .size = e->size };
	struct stat st;
	int r;

	if (zfd < 0)
		return zfd;
	if (e->size < 4 || e->size > SIZE_MAX)
		return -EMEDIUMTYPE;
	if (fstat(zfd, &st) < 0)
		return log_error_errno(-errno, "cannot read %s.zst", e->name);
	if (e->size / ZSTD_MAX_EXPANSION > (uint64_t)st.st_size) {
		log_error("%s.zst (%" PRIu64 " bytes) cannot hold the %" PRIu64
			  " bytes its metadata says", e->name, (uint64_t)st.st_size, e->size);
		return -EBADMSG;
	}
	mfd = memfd_create("devsnap-show", MFD_CLOEXEC);
	if (mfd < 0 || ftruncate(mfd, (off_t)e->size) < 0)
		return log_error_errno(-errno, "cannot make room to read %s", e->name);
	m.p = mmap(NULL, m.len, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	if (m.p == MAP_FAILED) {
		m.p = NULL;
		return log_error_errno(-errno, "cannot make room to read %s", e->name);
	}
	h.p = m.p;
	r = unzstd_bounded(zfd, e->name, e->size, head_put, &h);
	if (r == 1)
		return TAKE_FD(mfd);
	return r < 0 ? r : -EMEDIUMTYPE;
}

/* The dump behind e opened far enough for dump_info_print, or -EMEDIUMTYPE
 * (without a message) when it is not a dump devsnap reads. */
static int open_shown(struct store *s, const struct store_entry *e, struct dumpview *v)
{
	int fd = e->present ? head_memfd(s, e) : -EMEDIUMTYPE;

	/* e->name: what "File:" shows */
	return fd < 0 ? fd : dumpview_open_fd(v, fd, e->name);
}

static int show_text(struct store *s, const struct store_list *l, size_t i)
{
	const struct store_entry *e = &l->entries[i];
	struct dumpview v;
	int r;

	print_meta(s, e, i);
	r = open_shown(s, e, &v);
	if (r == -EMEDIUMTYPE) {
		print_summary(e);
		return 0;
	}
	if (r < 0)
		return r;
	putchar('\n');
	r = dump_info_print(&v, false);
	dumpview_close(&v);
	return r;
}

/* The metadata object, with the dump's info under "info" where devsnap
 * reads the dump. */
static int show_json(struct store *s, const struct store_entry *e, size_t index)
{
	_cleanup_json_ struct json_object *o = NULL;
	struct dumpview v;
	int r = json_object_deep_copy(e->json, &o, NULL) < 0 ? -ENOMEM : 0;

	if (r == 0) {
		json_add_u64(o, "index", index + 1);
		json_add_str(o, "state", state_of(e));
		json_add_time_ns(o, "time", e->time_usec * 1000);
		r = open_shown(s, e, &v);
	}
	if (r == 0) {
		json_object_object_add(o, "info", dump_info_json(&v));
		dumpview_close(&v);
	}
	if (r < 0 && r != -EMEDIUMTYPE)
		return r;
	return json_print(o);
}

int verb_show(int argc, char **argv)
{
	static const struct option options[] = {
		JSON_OPTION, STORE_OPTION, HELP_OPTION, {}
	};
	_cleanup_(store_args_done) struct store_args a = { 0 };
	_cleanup_store_ struct store s = { .dirfd = -1 };
	_cleanup_store_list_ struct store_list l = { 0 };
	size_t i;
	int r = store_args_parse(argc, argv, "h", options, show_usage, &a);

	if (r)
		return r < 0 ? r : 0;
	if (a.nids != 1)
		return log_error("give one ID; see 'devsnap show --help'");
	r = store_open_entry(a.store, a.ids[0], &s, &l, &i);
	if (r < 0)
		return r;
	r = a.json ? show_json(&s, &l.entries[i], i) : show_text(&s, &l, i);
	if (fflush(stdout))
		return log_error_errno(-errno, "cannot write to standard output");
	return r;
}
