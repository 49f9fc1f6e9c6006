// SPDX-License-Identifier: MIT
/*
 * src/collect/ -- the collector run by udev and systemd: pending
 * devcoredumps found and released through sysfs (devcd.h), their
 * metadata (dump_meta.h), collect.conf (collect_conf.h), the rate limit
 * (ratelimit.h) and the verb (this file), which saves into the store.
 * It includes lib/, basic/, collect/ and store/ (where it saves; the one
 * edge between rooms it needs).  Entry point: verb_collect.
 *
 * This file, devsnap collect: saves pending devcoredumps into the store,
 * compressed, with their metadata, then releases them, on success and on
 * failure alike: while a dump is pending the kernel drops the device's
 * next one.
 */
#define _GNU_SOURCE /* scandirat, signalfd */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <linux/netlink.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <syslog.h>
#include <systemd/sd-journal.h>
#include <zstd.h>

#include "basic/cleanup.h"
#include "basic/fdio.h"
#include "basic/json_out.h"
#include "basic/log.h"
#include "basic/units.h"
#include "collect/collect_conf.h"
#include "collect/devcd.h"
#include "collect/dump_meta.h"
#include "collect/ratelimit.h"
#include "collect/verbs.h"
#include "dump_parse.h"
#include "elf_layout.h"
#include "store/store.h"

#define CHUNK (1u << 20)    /* bytes per read of a dump */
#define HEAD_MAX (16u << 20) /* the most of a dump's start kept for its notes */
#define ZSTD_LEVEL 3
#define MAX_WORKERS 4
#define SYSFS_CLASS "/sys/class/devcoredump"
#define UEVENT_MAX 8192
#define UEVENT_RCVBUF (4 << 20) /* bursts of other devices' uevents must not drop ours */
/* The most one dump may take to read, as devsnap-collect@.service's
 * TimeoutSec: well within the kernel's 5-minute hold, and it bounds
 * --watch, which runs without a timeout of its own. */
#define DUMP_TIME_MAX_SEC 120
/* The journal's MESSAGE_IDs of devsnap's entries (devsnap-collect(8)). */
#define MESSAGE_SAVED \
	SD_ID128_MAKE(3b, d7, 84, eb, 51, 3d, 4f, cf, a8, 3a, 41, 8c, 19, 3d, 1f, 51)
#define MESSAGE_DROPPED \
	SD_ID128_MAKE(4a, 66, 88, 48, 08, a9, 42, 57, 98, 44, f9, 20, f5, ef, 99, 77)

static const char usage_text[] =
	"Usage: devsnap collect (devcdN... | --once | --watch) [OPTIONS...]\n\n"
	"Saves pending devcoredumps into the store, compressed, with their metadata,\n"
	"then releases them; a dump that cannot be saved is released all the same,\n"
	"and why is logged.\n\n"
	"  devcdN...        these dumps (what the udev rule's service runs)\n"
	"  --once           every pending dump\n"
	"  --watch          a pass like --once, then each dump the kernel announces\n"
	"                   (uevent netlink socket), until SIGTERM\n"
	"  --sysfs DIR      where the dumps are (default " SYSFS_CLASS ");\n"
	"                   links are followed only within DIR/../.. when DIR ends in\n"
	"                   class/devcoredump, as /sys's does, else within DIR\n"
	"  --store DIR      the store (default " STORE_DEFAULT_DIR ")\n"
	"  --config FILE    limits (default " COLLECT_CONF_PATH ")\n"
	"  -q, --quiet      log errors only\n";

enum { OPT_ONCE = 256, OPT_WATCH, OPT_SYSFS, OPT_STORE, OPT_CONFIG };

static const struct option long_options[] = {
	{ "once", no_argument, NULL, OPT_ONCE },
	{ "watch", no_argument, NULL, OPT_WATCH },
	{ "sysfs", required_argument, NULL, OPT_SYSFS },
	{ "store", required_argument, NULL, OPT_STORE },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{}
};

struct collect_args {
	bool once, watch;
	const char *sysfs, *store, *config;
	char **names; /* devcdN..., NULL-terminated */
};

struct collector {
	struct collect_conf conf;
	struct store store;
	struct sysfs_root sys;
};

/* What streaming a dump found. */
struct stream {
	uint64_t size, compressed;
	uint64_t room;  /* the most the compressed dump may take */
	uint8_t *head;  /* its start, as much as the ELF headers and notes need */
	size_t head_len, head_want;
};

static void zstd_freep(ZSTD_CCtx **z)
{
	ZSTD_freeCCtx(*z);
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* How much of a dump's start its notes take, as far as h (len bytes of
 * it) tells (ds_dump_head_extent); len when it is no ELF file. */
static uint64_t head_need(const uint8_t *h, uint64_t len)
{
	uint64_t end;

	if (len >= ELF_EHDR_SIZE && memcmp(h, "\177ELF", 4))
		return len;
	ds_dump_head_extent(h, len, &end);
	return end;
}

/* Keeps the dump's start while the summary may need more of it. */
static int keep_head(struct stream *st, const uint8_t *buf, size_t n)
{
	while (n && st->head_len < st->head_want) {
		size_t take = (size_t)min_u64(n, st->head_want - st->head_len);
		uint8_t *p = realloc(st->head, st->head_want);

		if (!p)
			return -ENOMEM;
		st->head = p;
		memcpy(st->head + st->head_len, buf, take);
		st->head_len += take;
		buf += take;
		n -= take;
		st->head_want = (size_t)min_u64(head_need(st->head, st->head_len), HEAD_MAX);
	}
	return 0;
}

static ZSTD_CCtx *new_cctx(void)
{
	ZSTD_CCtx *z = ZSTD_createCCtx();
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	if (!z)
		return NULL;
	ZSTD_CCtx_setParameter(z, ZSTD_c_compressionLevel, ZSTD_LEVEL);
	ZSTD_CCtx_setParameter(z, ZSTD_c_checksumFlag, 1);
	/* Workers compress while this thread reads and writes, as zstd(1) does;
	 * the output does not depend on how many there are.  Without
	 * multithreading in libzstd this fails and compression runs inline. */
	ZSTD_CCtx_setParameter(z, ZSTD_c_nbWorkers, (int)min_u64(cpus > 0 ? cpus : 1, MAX_WORKERS));
	return z;
}

/* Compresses n bytes of in to fd; -EFBIG, not logged, past st->room. */
static int compress_chunk(const struct devcd *d, ZSTD_CCtx *z, struct stream *st, int fd,
			  const uint8_t *in, size_t n, uint8_t *out, size_t out_len)
{
	ZSTD_EndDirective mode = n < CHUNK ? ZSTD_e_end : ZSTD_e_continue;
	ZSTD_inBuffer ib = { in, n, 0 };
	size_t left;
	int r;

	do {
		ZSTD_outBuffer ob = { out, out_len, 0 };

		left = ZSTD_compressStream2(z, &ob, &ib, mode);
		if (ZSTD_isError(left))
			return log_error_errno(-EIO, "%s: zstd: %s", d->name, ZSTD_getErrorName(left));
		if (st->compressed + ob.pos > st->room)
			return -EFBIG;
		r = write_all(fd, out, ob.pos);
		if (r < 0)
			return log_error_errno(r, "%s: cannot write to the store", d->name);
		st->compressed += ob.pos;
	} while (mode == ZSTD_e_end ? left != 0 : ib.pos < ib.size);
	return 0;
}

static uint64_t now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec;
}

/* data, in CHUNK reads until its end, through zstd into fd. */
static int stream(struct collector *c, const struct devcd *d, int datafd, int fd,
		  struct stream *st)
{
	size_t out_len = ZSTD_CStreamOutSize();
	_cleanup_free_ uint8_t *in = malloc(CHUNK), *out = malloc(out_len);
	_cleanup_(zstd_freep) ZSTD_CCtx *z = new_cctx();
	char b1[BYTES_BUF], b2[BYTES_BUF];
	uint64_t deadline = now_sec() + DUMP_TIME_MAX_SEC;
	ssize_t n;
	int r;

	if (!in || !out || !z)
		return log_error_errno(-ENOMEM, "%s: cannot compress", d->name);
	do {
		if (now_sec() > deadline) {
			log_error("%s: not saved: reading it took more than %d s", d->name,
				  DUMP_TIME_MAX_SEC);
			return -ETIMEDOUT;
		}
		n = read_full(datafd, in, CHUNK);
		if (n < 0)
			return log_error_errno((int)n, "%s: cannot read data", d->name);
		st->size += (uint64_t)n;
		if (st->size > c->conf.max_dump_size) {
			log_error("%s: not saved: larger than MaxDumpSize=%s", d->name,
				  format_bytes(c->conf.max_dump_size, b1));
			return -EFBIG;
		}
		if (keep_head(st, in, (size_t)n) < 0)
			return log_error_errno(-ENOMEM, "%s: cannot keep its headers", d->name);
		r = compress_chunk(d, z, st, fd, in, (size_t)n, out, out_len);
		if (r == -EFBIG) {
			log_error("%s: not saved: compressed, it passes %s, the room MaxUse and "
				  "KeepFree leave in %s", d->name, format_bytes(st->room, b2),
				  c->store.path);
			return r;
		}
		if (r < 0)
			return r;
	} while ((size_t)n == CHUNK);
	return 0;
}

/*
 * Removes the oldest entries while the store breaks MaxCount, MaxUse or
 * KeepFree; never keep, the entry just saved.  Under the store's lock from
 * listing to the last removal: collectors running at once (a crash loop, or
 * two devices) each see the others' removals, so the limits hold whatever the
 * interleaving.  An entry already gone (removed by hand) is no error; one
 * that cannot be removed is logged and passed over.  Errors leave the store
 * as it is: a full store must not stop a dump from being released.
 */
static void vacuum_locked(struct collector *c, const char *keep)
{
	uint64_t used, fs_size, avail, max_use, keep_free, count;
	struct store_list l;
	char b1[BYTES_BUF];

	if (store_list(&c->store, &l) < 0)
		return;
	if (store_used_bytes(&c->store, &used) < 0 ||
	    store_fs_space(&c->store, &fs_size, &avail) < 0) {
		store_list_free(&l);
		return;
	}
	collect_conf_limits(&c->conf, fs_size, &max_use, &keep_free);
	count = l.n;
	for (size_t i = 0; i < l.n; i++) {
		const struct store_entry *e = &l.entries[i];
		const char *why = count > c->conf.max_count ? "MaxCount"
				  : used > max_use	     ? "MaxUse"
				  : avail < keep_free	     ? "KeepFree"
							     : NULL;
		int r;

		if (!why)
			break;
		if (keep && !strcmp(e->name, keep))
			continue;
		r = store_remove_locked(&c->store, e->name);
		if (r < 0 && r != -ENOENT)
			continue;
		if (r == 0)
			log_info("removed %s (%s from %s, %s) to keep within %s", e->name, e->devcd,
				 e->driver[0] ? e->driver : "unknown driver",
				 format_bytes(e->disk_usage, b1), why);
		count--;
		used -= min_u64(used, e->disk_usage);
		avail += e->disk_usage;
	}
	store_list_free(&l);
}

static void vacuum(struct collector *c, const char *keep)
{
	if (store_lock(&c->store) < 0)
		return;
	vacuum_locked(c, keep);
	store_unlock(&c->store);
}

/* The most a compressed dump may take: over MaxUse it could never be
 * kept, and it must not eat into KeepFree. */
static int room(struct collector *c, uint64_t *out)
{
	uint64_t fs_size, avail, max_use, keep_free;
	int r = store_fs_space(&c->store, &fs_size, &avail);

	if (r < 0)
		return r;
	collect_conf_limits(&c->conf, fs_size, &max_use, &keep_free);
	*out = min_u64(max_use, avail > keep_free ? avail - keep_free : 0);
	return 0;
}

/* A new entry from the dump in datafd; its name in name. */
static int save_entry(struct collector *c, const struct devcd *d, int datafd, struct stream *st,
		      char *name, size_t len)
{
	_cleanup_json_ struct json_object *meta = NULL;
	struct store_save sv;
	char base[NAME_MAX];
	int r = store_save_begin(&c->store, &sv);

	if (r < 0)
		return r;
	r = stream(c, d, datafd, sv.fd, st);
	if (r == 0) {
		meta = dump_meta_new(d, st->size, st->compressed, st->head, st->head_len);
		r = meta ? store_base_name(d->time_usec, d->driver, d->name, base, sizeof(base))
			 : -ENOMEM;
		if (r < 0)
			log_error_errno(r, "%s: cannot describe the dump", d->name);
	}
	if (r == 0)
		r = store_save_commit(&sv, base, meta, name, len);
	store_save_abort(&sv);
	return r;
}

/* The dump's data file: sysfs makes it a regular file.  Anything else (a
 * FIFO in a fake tree would block the collector for good) is refused
 * before it is read. */
static int open_data(const struct devcd *d)
{
	int fd = openat(d->dirfd, "data", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;

	if (fd < 0)
		return log_error_errno(-errno, "%s: cannot open data", d->name);
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		return fd;
	close(fd);
	log_error("%s: data is not a regular file, as sysfs makes it: not read", d->name);
	return -EBADFD;
}

/*
 * One line per saved dump; in the journal, a structured entry as
 * systemd-coredump writes one per core, so that
 * `journalctl MESSAGE_ID=3bd784eb513d4fcfa83a418c193d1f51` lists every saved
 * dump with its fields (devsnap-collect(8)).
 */
static void log_saved(struct collector *c, const struct devcd *d, const char *name,
		      const struct stream *st)
{
	char what[512], b1[BYTES_BUF], b2[BYTES_BUF];
	_cleanup_free_ char *message = NULL;

	if (log_quiet)
		return;
	devcd_describe(d, what, sizeof(what));
	format_bytes(st->size, b1);
	format_bytes(st->compressed, b2);
	message = log_escaped("saved %s as %s, %s -> %s", what, name, b1, b2);
	if (message && log_to_journal() &&
	    sd_journal_send("MESSAGE=%s", message,
			    "MESSAGE_ID=" SD_ID128_FORMAT_STR, SD_ID128_FORMAT_VAL(MESSAGE_SAVED),
			    "PRIORITY=%d", LOG_INFO, "DEVSNAP_DEVCD=%s", d->name,
			    "DEVSNAP_DEVICE=%s", d->device, "DEVSNAP_DRIVER=%s", d->driver,
			    "DEVSNAP_NAME=%s", name, "DEVSNAP_SIZE=%" PRIu64, st->size,
			    "DEVSNAP_COMPRESSED_SIZE=%" PRIu64, st->compressed,
			    "DEVSNAP_STORAGE=%s/%s.zst", c->store.path, name, NULL) >= 0)
		return;
	log_info("saved %s as %s, %s -> %s", what, name, b1, b2);
}

static int save(struct collector *c, const struct devcd *d, char *name, size_t len)
{
	_cleanup_close_ int datafd = open_data(d);
	struct stream st = { .head_want = ELF_EHDR_SIZE };
	int r;

	if (datafd < 0)
		return datafd;
	vacuum(c, NULL);
	r = room(c, &st.room);
	if (r < 0)
		return r;
	if (!st.room) {
		log_error("%s: not saved: MaxUse and KeepFree leave no room in %s", d->name,
			  c->store.path);
		return -ENOSPC;
	}
	r = save_entry(c, d, datafd, &st, name, len);
	free(st.head);
	if (r < 0)
		return r;
	log_saved(c, d, name, &st);
	vacuum(c, name);
	return 0;
}

static void format_time(uint64_t usec, char *buf, size_t len)
{
	time_t secs = (time_t)(usec / 1000000);
	struct tm tm;

	if (!gmtime_r(&secs, &tm) || !strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm))
		snprintf(buf, len, "@%llu", (unsigned long long)secs);
}

/*
 * A crash loop: past RateLimitBurst= dumps in RateLimitIntervalSec=, the
 * dump is released unsaved.  The first dropped in a window says so; the
 * others are counted, and the first dump of a later window logs the count
 * (journalctl MESSAGE_ID=4a66884808a942579844f920f5ef9977).
 */
static bool rate_limited(struct collector *c, const struct devcd *d)
{
	struct ratelimit_verdict v;
	char what[512], t1[64], t2[64];

	ratelimit_take(c->store.dirfd, c->conf.ratelimit_interval_usec, c->conf.ratelimit_burst,
		       d->time_usec, &v);
	if (v.prev_dropped) {
		format_time(v.prev_start, t1, sizeof(t1));
		if (!log_to_journal() ||
		    sd_journal_send("MESSAGE=rate limit: %" PRIu64 " device coredumps were dropped "
				    "in the window that began %s", v.prev_dropped, t1,
				    "MESSAGE_ID=" SD_ID128_FORMAT_STR,
				    SD_ID128_FORMAT_VAL(MESSAGE_DROPPED), "PRIORITY=%d", LOG_WARNING,
				    "DEVSNAP_DROPPED=%" PRIu64, v.prev_dropped, NULL) < 0)
			log_warn("rate limit: %" PRIu64 " device coredumps were dropped in the "
				 "window that began %s", v.prev_dropped, t1);
	}
	if (v.allow)
		return false;
	if (v.dropped == 1) {
		format_time(v.window_end, t2, sizeof(t2));
		log_warn("%s: not saved: RateLimitBurst=%" PRIu64 " dumps in RateLimitIntervalSec=%"
			 PRIu64 "s reached; dumps are released unsaved and counted until %s",
			 devcd_describe(d, what, sizeof(what)), c->conf.ratelimit_burst,
			 c->conf.ratelimit_interval_usec / 1000000, t2);
	}
	return true;
}

static int collect_one(struct collector *c, const char *name)
{
	struct devcd d = { .name = name, .dirfd = -1 };
	char what[512], saved[NAME_MAX];
	struct timespec now;
	int r, rr;

	if (!devcd_name_valid(name))
		return log_error("'%s' is not a devcoredump's name (devcdN)", name);
	clock_gettime(CLOCK_REALTIME, &now);
	d.time_usec = (uint64_t)now.tv_sec * 1000000 + (uint64_t)now.tv_nsec / 1000;
	r = devcd_open(&c->sys, &d);
	/* The udev-started unit and a --watch daemon may both see it. */
	if (r == 0 && flock(d.dirfd, LOCK_EX | LOCK_NB) < 0) {
		r = errno == EWOULDBLOCK ? 0 : log_error_errno(-errno, "cannot lock %s", name);
		if (r == 0)
			log_info("%s: another collector is saving it", name);
	} else if (r == 0) {
		devcd_identify(&c->sys, &d);
		r = rate_limited(c, &d) ? -EBUSY : save(c, &d, saved, sizeof(saved));
		rr = devcd_release(&d);
		if (r == -EBUSY)
			r = 0; /* dropped on purpose, and said so */
		if (r < 0 && rr == 0)
			log_warn("released %s unsaved", devcd_describe(&d, what, sizeof(what)));
		r = r < 0 ? r : rr;
	}
	devcd_close(&d);
	return r;
}

static int only_devcds(const struct dirent *de)
{
	return devcd_name_valid(de->d_name);
}

/* Every pending dump, oldest (lowest N) first; the first error, after trying all. */
static int collect_pending(struct collector *c)
{
	struct dirent **list = NULL;
	int n, r = sysfs_open_class(&c->sys);

	if (r == -ENOENT) {
		log_info("no pending devcoredump: %s does not exist", c->sys.sysfs);
		return 0;
	}
	if (r < 0)
		return r;
	n = scandirat(c->sys.classfd, ".", &list, only_devcds, versionsort);
	if (n < 0)
		return log_error_errno(-errno, "cannot read %s", c->sys.sysfs);
	if (n == 0)
		log_info("no pending devcoredump in %s", c->sys.sysfs);
	for (int i = 0; i < n; i++) {
		int rr = collect_one(c, list[i]->d_name);

		r = r < 0 ? r : rr;
		free(list[i]);
	}
	free(list);
	return r;
}

static int uevent_socket(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = 1 /* the kernel's */ };
	int size = UEVENT_RCVBUF, r;
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
			NETLINK_KOBJECT_UEVENT);

	if (fd < 0)
		return log_error_errno(-errno, "cannot open the kernel's uevent socket");
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		r = log_error_errno(-errno, "cannot listen to the kernel's uevents");
		close(fd);
		return r;
	}
	return fd;
}

/* Collects what "add@/devices/virtual/devcoredump/devcdN" uevents announce. */
static int read_uevents(struct collector *c, int fd)
{
	static const char prefix[] = "add@/devices/virtual/devcoredump/";
	char buf[UEVENT_MAX + 1];

	for (;;) {
		struct sockaddr_nl sa = { 0 };
		struct iovec iov = { buf, UEVENT_MAX };
		struct msghdr mh = { .msg_name = &sa, .msg_namelen = sizeof(sa), .msg_iov = &iov,
				     .msg_iovlen = 1 };
		ssize_t n = recvmsg(fd, &mh, MSG_DONTWAIT);

		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n < 0 && errno == ENOBUFS) {
			log_warn("uevents were lost: looking for pending dumps");
			collect_pending(c);
			continue;
		}
		if (n < 0)
			return log_error_errno(-errno, "cannot read the kernel's uevents");
		/* Only the kernel sends from port 0. */
		if (sa.nl_pid != 0 || mh.msg_flags & MSG_TRUNC)
			continue;
		buf[n] = '\0';
		if (!strncmp(buf, prefix, sizeof(prefix) - 1) &&
		    devcd_name_valid(buf + sizeof(prefix) - 1))
			collect_one(c, buf + sizeof(prefix) - 1);
	}
}

static int watch(struct collector *c)
{
	struct signalfd_siginfo si;
	_cleanup_close_ int sfd = -1, ufd = -1;
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (sfd < 0)
		return log_error_errno(-errno, "cannot wait for signals");
	ufd = uevent_socket();
	if (ufd < 0)
		return ufd;
	log_info("watching for devcoredumps in %s", c->sys.sysfs);
	/* After the socket is open, so that no dump falls between the two. */
	collect_pending(c);
	for (;;) {
		struct pollfd p[2] = { { .fd = sfd, .events = POLLIN }, { .fd = ufd, .events = POLLIN } };
		int r;

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return log_error_errno(-errno, "cannot wait for uevents");
		}
		if (p[0].revents && read(sfd, &si, sizeof(si)) == sizeof(si)) {
			log_info("stopping on %s", strsignal((int)si.ssi_signo));
			return 0;
		}
		r = p[1].revents ? read_uevents(c, ufd) : 0;
		if (r < 0)
			return r;
	}
}

static void collector_close(struct collector *c)
{
	sysfs_root_close(&c->sys);
	store_close(&c->store);
}

static int collector_open(struct collector *c, const struct collect_args *a)
{
	int r;

	*c = (struct collector){ .sys = { .rootfd = -1, .classfd = -1 } };
	c->store.dirfd = -1;
	collect_conf_init(&c->conf);
	r = collect_conf_load(&c->conf, a->config ? a->config : COLLECT_CONF_PATH, a->config);
	if (r == 0)
		r = sysfs_root_open(&c->sys, a->sysfs);
	if (r == 0)
		r = store_open(&c->store, a->store, true);
	if (r == 0)
		r = store_recover(&c->store);
	return r < 0 ? r : 0;
}

static int parse_args(struct collect_args *a, int argc, char **argv)
{
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "qh", long_options, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(usage_text, stdout);
			return 1;
		case OPT_ONCE:
			a->once = true;
			break;
		case OPT_WATCH:
			a->watch = true;
			break;
		case OPT_SYSFS:
			a->sysfs = optarg;
			break;
		case OPT_STORE:
			a->store = optarg;
			break;
		case OPT_CONFIG:
			a->config = optarg;
			break;
		case 'q':
			log_quiet = true;
			break;
		default:
			return log_error("see 'devsnap collect --help'");
		}
	}
	a->names = argv + optind;
	if (a->once + a->watch + (optind < argc) != 1)
		return log_error("give devcdN names, --once or --watch; see 'devsnap collect --help'");
	return 0;
}

int verb_collect(int argc, char **argv)
{
	struct collect_args a = { .sysfs = SYSFS_CLASS };
	struct collector c;
	int r = parse_args(&a, argc, argv);

	if (r != 0)
		return r < 0 ? r : 0;
	r = collector_open(&c, &a);
	if (r == 0 && a.watch)
		r = watch(&c);
	else if (r == 0 && a.once)
		r = collect_pending(&c);
	else if (r == 0)
		for (char **n = a.names; *n; n++) {
			int rr = collect_one(&c, *n);

			r = r < 0 ? r : rr;
		}
	collector_close(&c);
	return r;
}
