// SPDX-License-Identifier: MIT
/*
 * The control registers QEMU's dump-guest-memory writes for each CPU in a
 * "QEMU" note (target/i386/arch_dump.c, QEMUCPUState: version, size, 18
 * general registers, 10 segment descriptors of 24 bytes, then cr[0..4]).
 * kdump vmcores have no such note: their PRSTATUS holds no CR3.
 */
#include "capture/qemu_cpu.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "basic/cleanup.h"
#include "basic/log.h"
#include "capture/source_file.h"

#define QEMU_CPU_CR3 (8 + 18 * 8 + 10 * 24 + 3 * 8)
#define QEMU_CPU_CR4 (QEMU_CPU_CR3 + 8)
#define MAX_NOTES_SIZE (16u << 20) /* QEMU writes a few KiB per CPU */

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* The first QEMU note's CR3 and CR4 in a PT_NOTE's bytes; 1 if found. */
static int find_in_notes(const uint8_t *n, uint64_t size, uint64_t *cr3, uint64_t *cr4)
{
	for (uint64_t pos = 0; size - pos >= 12;) {
		uint64_t namesz = le32(n + pos), descsz = le32(n + pos + 4);
		uint64_t name = pos + 12, desc = name + ((namesz + 3) & ~3ULL);

		if (desc > size || ((descsz + 3) & ~3ULL) > size - desc)
			return 0;
		if (namesz == 5 && !memcmp(n + name, "QEMU", 5) && descsz >= QEMU_CPU_CR4 + 8) {
			*cr3 = le64(n + desc + QEMU_CPU_CR3);
			*cr4 = le64(n + desc + QEMU_CPU_CR4);
			return 1;
		}
		pos = desc + ((descsz + 3) & ~3ULL);
	}
	return 0;
}

static int find_in_phdrs(int fd, const char *path, const Elf64_Ehdr *eh, uint64_t *cr3,
			 uint64_t *cr4)
{
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		_cleanup_free_ uint8_t *notes = NULL;
		Elf64_Phdr ph;
		int r = source_pread(fd, &ph, sizeof(ph), eh->e_phoff + (uint64_t)i * sizeof(ph));

		if (r < 0)
			return log_error_errno(r, "cannot read %s's program headers", path);
		if (ph.p_type != PT_NOTE || !ph.p_filesz || ph.p_filesz > MAX_NOTES_SIZE)
			continue;
		notes = malloc(ph.p_filesz);
		if (!notes)
			return log_error_errno(-ENOMEM, "cannot read %s's notes", path);
		r = source_pread(fd, notes, ph.p_filesz, ph.p_offset);
		if (r < 0)
			return log_error_errno(r, "cannot read %s's notes", path);
		if (find_in_notes(notes, ph.p_filesz, cr3, cr4))
			return 0;
	}
	return log_error("%s has no QEMU CPU state: --root cr3 needs a QEMU dump-guest-memory "
			 "file (a kdump vmcore holds no CR3)", path);
}

int qemu_dump_cpu_paging(const char *path, uint64_t *cr3, uint64_t *cr4)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	Elf64_Ehdr eh;
	int r;

	if (fd < 0)
		return log_error_errno(-errno, "cannot open %s", path);
	r = source_pread(fd, &eh, sizeof(eh), 0);
	if (r < 0 || memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_ident[EI_DATA] != ELFDATA2LSB || eh.e_phentsize != sizeof(Elf64_Phdr))
		return log_error("%s is not a little-endian ELF64 file: --root cr3 needs a QEMU "
				 "dump-guest-memory file", path);
	return find_in_phdrs(fd, path, &eh, cr3, cr4);
}
