// SPDX-License-Identifier: MIT
/*
 * Physical memory from an ELF core's PT_LOADs, by p_paddr: kcore's direct
 * map (its other segments carry p_paddr -1), kdump's ELF vmcores and QEMU's
 * dump-guest-memory files.  Only 64-bit little-endian cores, the ones the
 * machines with device MMUs devsnap knows produce.
 */
#include "capture/source_file.h"

#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "basic/cleanup.h"
#include "basic/log.h"

#define MAX_PHDRS (1u << 20) /* far above any real core; bounds a hostile e_phnum */

/* Not an ELF file at all, or one cut short, or not a core devsnap reads. */
static int read_ehdr(int fd, Elf64_Ehdr *eh, const char *path)
{
	ssize_t n = pread(fd, eh, sizeof(*eh), 0);

	if (n < 0)
		return log_error_errno(-errno, "cannot read %s", path);
	if (n < SELFMAG || memcmp(eh->e_ident, ELFMAG, SELFMAG))
		return log_error("%s is not an ELF file", path);
	if ((size_t)n < sizeof(*eh))
		return log_error("%s is cut short: it ends inside the ELF header", path);
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return log_error("%s is not a 64-bit little-endian ELF core", path);
	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		return log_error("%s: program headers of %u bytes, not %zu", path, eh->e_phentsize,
				 sizeof(Elf64_Phdr));
	return 0;
}

/* A header the file ends inside is a file cut short, not an I/O error. */
static int read_header(int fd, void *buf, size_t len, uint64_t off, const char *path,
		       const char *what)
{
	int r = source_pread(fd, buf, len, off);

	if (r == -ENODATA)
		return log_error("%s is cut short: it ends inside %s", path, what);
	if (r < 0)
		return log_error_errno(r, "cannot read %s of %s", what, path);
	return 0;
}

/* e_phnum, or with PN_XNUM the count kept in section header 0. */
static int phdr_count(int fd, const Elf64_Ehdr *eh, const char *path, uint32_t *count)
{
	Elf64_Shdr sh0;
	int r;

	*count = eh->e_phnum;
	if (eh->e_phnum != PN_XNUM)
		return 0;
	r = read_header(fd, &sh0, sizeof(sh0), eh->e_shoff, path, "section header 0 (PN_XNUM)");
	if (r < 0)
		return r;
	if (sh0.sh_info > MAX_PHDRS)
		return log_error("%s claims %u program headers", path, sh0.sh_info);
	*count = sh0.sh_info;
	return 0;
}

static int by_pa(const void *a, const void *b)
{
	const struct elf_phys_load *x = a, *y = b;

	if (x->pa != y->pa)
		return x->pa < y->pa ? -1 : 1;
	return x->memsz > y->memsz ? -1 : x->memsz < y->memsz;
}

/* Sorts the loads and trims each to start past the one before: kcore's
 * kernel-text segment, for one, lies inside a RAM segment. */
static void sort_and_trim(struct elf_phys *e)
{
	size_t kept = 0;
	uint64_t end = 0;

	qsort(e->loads, e->nloads, sizeof(*e->loads), by_pa);
	for (size_t i = 0; i < e->nloads; i++) {
		struct elf_phys_load l = e->loads[i];
		uint64_t cut = kept && l.pa < end ? end - l.pa : 0;

		if (cut >= l.memsz)
			continue;
		l.pa += cut;
		l.memsz -= cut;
		l.offset += cut;
		l.filesz = l.filesz > cut ? l.filesz - cut : 0;
		e->loads[kept++] = l;
		end = l.pa + l.memsz;
	}
	e->nloads = kept;
}

/* A core copied only in part keeps what it has: bytes past the file's
 * end are, like a tail past p_filesz, not in the file. */
static uint64_t in_file(const Elf64_Phdr *ph, uint64_t file_size)
{
	if (ph->p_offset >= file_size)
		return 0;
	return ph->p_filesz < file_size - ph->p_offset ? ph->p_filesz : file_size - ph->p_offset;
}

static int add_load(struct elf_phys *e, const Elf64_Phdr *ph, uint64_t file_size,
		    const char *path)
{
	if (ph->p_type != PT_LOAD || ph->p_paddr == ~0ULL || !ph->p_memsz)
		return 0;
	if (ph->p_filesz > ph->p_memsz || ph->p_paddr + ph->p_memsz < ph->p_paddr ||
	    ph->p_offset + ph->p_filesz < ph->p_offset)
		return log_error("%s: corrupt PT_LOAD at physical address 0x%llx", path,
				 (unsigned long long)ph->p_paddr);
	e->loads[e->nloads++] = (struct elf_phys_load){
		.pa = ph->p_paddr, .memsz = ph->p_memsz, .filesz = in_file(ph, file_size),
		.offset = ph->p_offset,
	};
	return 0;
}

/* A regular file's size; no limit for others (/proc/kcore's is its own). */
static uint64_t file_size_of(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? (uint64_t)st.st_size : ~0ULL;
}

int elf_phys_load(struct elf_phys *e, int fd, const char *path)
{
	_cleanup_free_ Elf64_Phdr *phdrs = NULL;
	uint64_t file_size = file_size_of(fd);
	Elf64_Ehdr eh;
	uint32_t n;
	int r;

	*e = (struct elf_phys){ .fd = fd };
	r = read_ehdr(fd, &eh, path);
	if (r == 0)
		r = phdr_count(fd, &eh, path, &n);
	if (r < 0)
		return r;
	phdrs = calloc(n ? n : 1, sizeof(*phdrs));
	e->loads = calloc(n ? n : 1, sizeof(*e->loads));
	if (!phdrs || !e->loads)
		return log_error_errno(-ENOMEM, "cannot index %s", path);
	r = read_header(fd, phdrs, n * sizeof(*phdrs), eh.e_phoff, path, "the program headers");
	for (uint32_t i = 0; i < n && r == 0; i++)
		r = add_load(e, &phdrs[i], file_size, path);
	if (r < 0)
		return r;
	sort_and_trim(e);
	if (!e->nloads)
		return log_error("%s has no PT_LOAD with a physical address", path);
	return 0;
}

void elf_phys_free(struct elf_phys *e)
{
	free(e->loads);
	e->loads = NULL;
	e->nloads = 0;
}

/* Index of the first load starting above pa (nloads if none). */
static size_t first_above(const struct elf_phys *e, uint64_t pa)
{
	size_t lo = 0, hi = e->nloads;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (e->loads[mid].pa <= pa)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The load holding pa, or NULL. */
static const struct elf_phys_load *find_load(const struct elf_phys *e, uint64_t pa)
{
	size_t i = first_above(e, pa);

	if (!i || pa - e->loads[i - 1].pa >= e->loads[i - 1].memsz)
		return NULL;
	return &e->loads[i - 1];
}

int elf_phys_read(void *priv, uint64_t pa, void *buf, size_t len)
{
	const struct elf_phys *e = priv;
	uint8_t *p = buf;

	while (len) {
		const struct elf_phys_load *l = find_load(e, pa);
		uint64_t in_file;
		size_t n;
		int r;

		if (!l || pa - l->pa >= l->filesz)
			return -EFAULT;
		in_file = l->filesz - (pa - l->pa);
		n = len < in_file ? len : (size_t)in_file;
		r = source_pread(e->fd, p, n, l->offset + (pa - l->pa));
		if (r < 0)
			return r;
		p += n;
		pa += n;
		len -= n;
	}
	return 0;
}

int elf_phys_classify(void *priv, uint64_t pa, uint64_t size, enum ds_skip_reason *reason,
		      uint64_t *run_len)
{
	const struct elf_phys *e = priv;
	const struct elf_phys_load *l = find_load(e, pa);
	size_t next;

	if (l && pa - l->pa < l->filesz) {
		*reason = DS_SAVED;
		*run_len = l->filesz - (pa - l->pa);
	} else if (l) {
		*reason = DS_SKIP_READ_ERROR; /* not in the file: filtered out when dumped */
		*run_len = l->memsz - (pa - l->pa);
	} else {
		next = first_above(e, pa);
		*reason = DS_SKIP_NOT_RAM;
		*run_len = next < e->nloads ? e->loads[next].pa - pa : size;
	}
	return 0;
}
