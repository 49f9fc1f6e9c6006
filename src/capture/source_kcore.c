// SPDX-License-Identifier: MIT
/*
 * /proc/kcore, or a copy of it.  Its direct-map segments carry p_paddr.
 * The kernel zero-fills what it will not read (offline, hwpoisoned, not
 * RAM), which looks like RAM full of zeros through the file, so every page
 * is checked first against /proc/iomem's System RAM and, where readable,
 * /proc/kpageflags.
 */
#include "capture/source.h"
#include "capture/source_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "basic/cleanup.h"
#include "basic/log.h"

/* include/uapi/linux/kernel-page-flags.h */
#define KPF_HWPOISON 19
#define KPF_NOPAGE 20 /* no online page frame: an offline memory block */
#define KPF_OFFLINE 23 /* logically offline: ballooned, hot-unplug in progress */

#define FLAGS_BATCH 512 /* kpageflags entries per read */

struct ram_range {
	uint64_t start, end; /* end exclusive */
};

struct kcore_source {
	struct elf_phys elf;
	struct ram_range *ram;
	size_t nram, ram_cap;
	int flags_fd; /* -1: kpageflags unreadable, pages not checked */
	unsigned host_page_shift;
	uint64_t flags[FLAGS_BATCH];
	uint64_t flags_pfn; /* pfn of flags[0] */
	size_t nflags;
};

static int by_start(const void *a, const void *b)
{
	const struct ram_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static int add_ram(struct kcore_source *k, uint64_t start, uint64_t last)
{
	struct ram_range *more;

	if (k->nram == k->ram_cap) {
		more = reallocarray(k->ram, 2 * k->ram_cap + 8, sizeof(*more));
		if (!more)
			return -ENOMEM;
		k->ram = more;
		k->ram_cap = 2 * k->ram_cap + 8;
	}
	k->ram[k->nram++] = (struct ram_range){ start, last == ~0ULL ? last : last + 1 };
	return 0;
}

/* "  00100000-bffdffff : System RAM", at any nesting depth. */
static int read_iomem(struct kcore_source *k, const char *path)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	bool any_address = false;
	char line[512];

	if (!f)
		return log_error_errno(-errno, "cannot open %s", path);
	while (fgets(line, sizeof(line), f)) {
		unsigned long long start, last;
		int name_at = 0;

		if (sscanf(line, " %llx-%llx : %n", &start, &last, &name_at) != 2 || !name_at ||
		    strcmp(line + name_at, "System RAM\n") || last < start)
			continue;
		if (add_ram(k, start, last) < 0)
			return log_error_errno(-ENOMEM, "cannot read %s", path);
		any_address |= start || last;
	}
	if (!k->nram)
		return log_error("%s lists no System RAM", path);
	if (!any_address)
		return log_error("%s shows no addresses: reading them needs root", path);
	qsort(k->ram, k->nram, sizeof(*k->ram), by_start);
	return 0;
}

/* Narrows the reason and run by System RAM: a PA outside it is not RAM. */
static void limit_to_ram(const struct kcore_source *k, uint64_t pa, enum ds_skip_reason *reason,
			 uint64_t *run_len)
{
	for (size_t i = 0; i < k->nram; i++) {
		const struct ram_range *r = &k->ram[i];

		if (pa < r->start) {
			*reason = DS_SKIP_NOT_RAM;
			*run_len = r->start - pa;
			return;
		}
		if (pa < r->end) {
			if (r->end - pa < *run_len)
				*run_len = r->end - pa;
			return;
		}
	}
	*reason = DS_SKIP_NOT_RAM;
}

static int page_flags(struct kcore_source *k, uint64_t pfn, uint64_t *flags)
{
	ssize_t n;

	if (pfn - k->flags_pfn >= k->nflags || pfn < k->flags_pfn) {
		n = pread(k->flags_fd, k->flags, sizeof(k->flags), (off_t)(pfn * 8));
		if (n < 0)
			return -errno;
		if (n < 8)
			return -EIO; /* past the kernel's last pfn */
		k->flags_pfn = pfn;
		k->nflags = (size_t)n / 8;
	}
	*flags = k->flags[pfn - k->flags_pfn];
	return 0;
}

static enum ds_skip_reason flags_class(uint64_t flags)
{
	if (flags & (1ULL << KPF_HWPOISON))
		return DS_SKIP_HWPOISON;
	if (flags & (1ULL << KPF_OFFLINE | 1ULL << KPF_NOPAGE))
		return DS_SKIP_OFFLINE;
	return DS_SAVED;
}

/* Splits a run of System RAM where the pages' flags change class. */
static int limit_by_flags(struct kcore_source *k, uint64_t pa, enum ds_skip_reason *reason,
			  uint64_t *run_len)
{
	unsigned shift = k->host_page_shift;
	uint64_t pfn = pa >> shift, last = (pa + *run_len - 1) >> shift, p, flags;
	int r = page_flags(k, pfn, &flags);

	if (r < 0)
		return r;
	*reason = flags_class(flags);
	for (p = pfn + 1; p <= last; p++) {
		r = page_flags(k, p, &flags);
		if (r < 0)
			return r;
		if (flags_class(flags) != *reason)
			break;
	}
	if (p <= last)
		*run_len = (p << shift) - pa;
	return 0;
}

/*
 * iomem decides RAM or not, kpageflags online and healthy or not, and only
 * then kcore whether it has the bytes: it leaves out memory blocks that
 * were offline when it built its list, which are RAM all the same.
 */
static int kcore_classify(void *priv, uint64_t pa, uint64_t size, enum ds_skip_reason *reason,
			  uint64_t *run_len)
{
	struct kcore_source *k = priv;
	enum ds_skip_reason in_kcore;
	int r;

	elf_phys_classify(&k->elf, pa, size, &in_kcore, run_len);
	*reason = DS_SAVED;
	limit_to_ram(k, pa, reason, run_len);
	if (*reason != DS_SAVED)
		return 0;
	if (k->flags_fd >= 0) {
		/* Flags past size would be read for nothing: the run can
		 * reach the end of RAM, gigabytes on, and classify is asked
		 * once per range. */
		if (*run_len > size)
			*run_len = size;
		r = limit_by_flags(k, pa, reason, run_len);
		if (r < 0 || *reason != DS_SAVED)
			return r;
	}
	/* Online RAM the kernel does not show through kcore. */
	if (in_kcore != DS_SAVED)
		*reason = DS_SKIP_READ_ERROR;
	return 0;
}

static int kcore_read(void *priv, uint64_t pa, void *buf, size_t len)
{
	struct kcore_source *k = priv;

	return elf_phys_read(&k->elf, pa, buf, len);
}

static void kcore_close(void *priv)
{
	struct kcore_source *k = priv;

	if (k->elf.fd >= 0)
		close(k->elf.fd);
	if (k->flags_fd >= 0)
		close(k->flags_fd);
	elf_phys_free(&k->elf);
	free(k->ram);
	free(k);
}

/* kpageflags named on the command line must open; the default one is
 * skipped with a warning, as it needs root. */
static int open_kpageflags(struct kcore_source *k, const char *path)
{
	const char *p = path ? path : "/proc/kpageflags";

	k->flags_fd = open(p, O_RDONLY | O_CLOEXEC);
	if (k->flags_fd >= 0)
		return 0;
	if (path)
		return log_error_errno(-errno, "cannot open %s", path);
	log_warn("cannot open %s (%s): offline and hwpoisoned pages are not detected", p,
		 strerror(errno));
	return 0;
}

int source_open_kcore(struct source *src, const struct kcore_paths *paths)
{
	const char *path = paths->kcore ? paths->kcore : "/proc/kcore";
	struct kcore_source *k = calloc(1, sizeof(*k));
	int fd, r;

	if (!k)
		return log_error_errno(-ENOMEM, "cannot open %s", path);
	k->elf.fd = k->flags_fd = -1;
	k->host_page_shift = (unsigned)__builtin_ctzl((unsigned long)sysconf(_SC_PAGESIZE));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	r = fd < 0 ? log_error_errno(-errno, "cannot open %s", path)
		   : elf_phys_load(&k->elf, fd, path);
	k->elf.fd = fd;
	if (r == 0)
		r = read_iomem(k, paths->iomem ? paths->iomem : "/proc/iomem");
	if (r == 0)
		r = open_kpageflags(k, paths->kpageflags);
	if (r < 0) {
		kcore_close(k);
		return r;
	}
	*src = (struct source){
		.name = path, .read_phys = kcore_read, .classify = kcore_classify,
		.close = kcore_close, .priv = k,
	};
	return 0;
}
