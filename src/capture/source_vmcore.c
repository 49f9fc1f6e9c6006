// SPDX-License-Identifier: MIT
/*
 * Crash dumps of a whole machine: kdump's ELF /proc/vmcore copies and
 * QEMU's dump-guest-memory files (p_paddr is the guest-physical address)
 * are read directly; the kdump-compressed format (makedumpfile's default)
 * through libkdumpfile.
 */
#include "capture/source.h"
#include "capture/source_file.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <libkdumpfile/kdumpfile.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "basic/cleanup.h"
#include "basic/log.h"

static void elf_vmcore_close(void *priv)
{
	struct elf_phys *e = priv;

	close(e->fd);
	elf_phys_free(e);
	free(e);
}

static int open_elf_vmcore(struct source *src, int fd, const char *path)
{
	struct elf_phys *e = malloc(sizeof(*e));
	int r;

	if (!e)
		return log_error_errno(-ENOMEM, "cannot open %s", path);
	r = elf_phys_load(e, fd, path);
	if (r < 0) {
		elf_phys_free(e);
		free(e);
		return r;
	}
	*src = (struct source){
		.name = path, .read_phys = elf_phys_read, .classify = elf_phys_classify,
		.close = elf_vmcore_close, .priv = e,
	};
	return 0;
}

struct kdump_source {
	kdump_ctx_t *ctx;
	kdump_bmp_t *pages; /* file.pagemap: pages the file holds */
	unsigned page_shift;
	int fd;
	bool opened; /* kdump_open_fd succeeded */
};

/* Machine-physical, as a device sees memory and as the file's page map
 * counts pfns.  KDUMP_KPHYSADDR would go through the kernel's address
 * translation, which libkdumpfile cannot set up without VMCOREINFO. */
static int kdump_phys_read(void *priv, uint64_t pa, void *buf, size_t len)
{
	struct kdump_source *k = priv;
	size_t got = len;

	if (kdump_read(k->ctx, KDUMP_MACHPHYSADDR, pa, buf, &got) != KDUMP_OK || got != len)
		return -EFAULT;
	return 0;
}

/* Pages makedumpfile left out (free, cache, zero pages...) are not in the
 * file: they cannot be read, and are marked so. */
static int kdump_classify(void *priv, uint64_t pa, uint64_t size, enum ds_skip_reason *reason,
			  uint64_t *run_len)
{
	struct kdump_source *k = priv;
	kdump_addr_t pfn = pa >> k->page_shift, next = pfn;
	kdump_status st;

	st = kdump_bmp_find_set(k->pages, &next);
	if (st == KDUMP_OK && next == pfn) {
		*reason = DS_SAVED;
		st = kdump_bmp_find_clear(k->pages, &next);
	} else {
		*reason = DS_SKIP_READ_ERROR;
	}
	if (st == KDUMP_OK && next > pfn)
		*run_len = ((uint64_t)next << k->page_shift) - pa;
	else
		*run_len = size;
	return 0;
}

static void kdump_source_close(void *priv)
{
	struct kdump_source *k = priv;

	if (k->pages)
		kdump_bmp_decref(k->pages);
	/* Once a file is open, kdump_free() reads freed memory in libkdumpfile
	 * 0.5 (drgn issue #280: diskdump's page-size override is removed after
	 * the attributes it hangs on) and may crash.  devsnap opens one vmcore
	 * per run, so that context is left to process exit instead. */
	if (!k->opened)
		kdump_free(k->ctx);
	if (k->fd >= 0)
		close(k->fd);
	free(k);
}

static int kdump_setup(struct kdump_source *k, const char *path)
{
	kdump_attr_t pagemap = { .type = KDUMP_BITMAP };
	kdump_num_t shift;

	if (kdump_open_fd(k->ctx, k->fd) != KDUMP_OK)
		return log_error("cannot read %s as a vmcore: %s", path, kdump_get_err(k->ctx));
	k->opened = true;
	if (kdump_get_number_attr(k->ctx, KDUMP_ATTR_PAGE_SHIFT, &shift) != KDUMP_OK ||
	    kdump_get_typed_attr(k->ctx, KDUMP_ATTR_FILE_PAGEMAP, &pagemap) != KDUMP_OK)
		return log_error("%s: no page map: %s", path, kdump_get_err(k->ctx));
	k->page_shift = (unsigned)shift;
	k->pages = pagemap.val.bitmap;
	kdump_bmp_incref(k->pages);
	return 0;
}

static int open_kdump(struct source *src, int fd, const char *path)
{
	struct kdump_source *k = calloc(1, sizeof(*k));
	int r;

	if (!k || !(k->ctx = kdump_new())) {
		free(k);
		return log_error_errno(-ENOMEM, "cannot open %s", path);
	}
	k->fd = fd;
	r = kdump_setup(k, path);
	if (r < 0) {
		k->fd = -1; /* still the caller's */
		kdump_source_close(k);
		return r;
	}
	*src = (struct source){
		.name = path, .read_phys = kdump_phys_read, .classify = kdump_classify,
		.close = kdump_source_close, .priv = k,
	};
	return 0;
}

int source_open_vmcore(struct source *src, const char *path)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	unsigned char magic[SELFMAG];
	int r;

	if (fd < 0)
		return log_error_errno(-errno, "cannot open vmcore %s", path);
	r = source_pread(fd, magic, sizeof(magic), 0);
	if (r == -ENODATA)
		return log_error("vmcore %s is too short to be a vmcore", path);
	if (r < 0)
		return log_error_errno(r, "cannot read vmcore %s", path);
	if (!memcmp(magic, ELFMAG, SELFMAG))
		r = open_elf_vmcore(src, fd, path);
	else
		r = open_kdump(src, fd, path);
	if (r == 0)
		TAKE_FD(fd);
	return r;
}
