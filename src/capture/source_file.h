/* SPDX-License-Identifier: MIT */
/* Helpers the memory sources share. */
#ifndef DS_SOURCE_FILE_H
#define DS_SOURCE_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "dump.h"

/* Reads exactly len bytes at off: 0, -errno, or -ENODATA past the end. */
int source_pread(int fd, void *buf, size_t len, uint64_t off);

/* Classifies for a source holding exactly [base, base + len): RAM
 * inside, not RAM outside. */
void classify_window(uint64_t base, uint64_t len, uint64_t pa, uint64_t size,
		     enum ds_skip_reason *reason, uint64_t *run_len);

/* Physical memory as the PT_LOADs of an ELF core describe it (kcore,
 * kdump vmcore, QEMU dump-guest-memory): sorted, overlaps trimmed. */
struct elf_phys_load {
	uint64_t pa, memsz, filesz, offset;
};

struct elf_phys {
	int fd;
	struct elf_phys_load *loads;
	size_t nloads;
};

/* Reads the program headers of fd (kept open by the caller); loads whose
 * p_paddr is -1 (kcore's vmalloc, modules...) hold no physical memory.
 * Prints what is wrong with the file; 0 or -errno. */
int elf_phys_load(struct elf_phys *e, int fd, const char *path);
void elf_phys_free(struct elf_phys *e);

/* ds_read_phys_fn and ds_classify_fn over the loads: bytes a load has in
 * the file are RAM, its zero-filled tail (p_memsz past p_filesz) was not
 * dumped, and a PA in no load is not RAM. */
int elf_phys_read(void *priv, uint64_t pa, void *buf, size_t len);
int elf_phys_classify(void *priv, uint64_t pa, uint64_t size, enum ds_skip_reason *reason,
		      uint64_t *run_len);

#endif /* DS_SOURCE_FILE_H */
