/* SPDX-License-Identifier: MIT */
/* capture --root cr3: the paging state of a QEMU dump-guest-memory's CPU 0. */
#ifndef DS_QEMU_CPU_H
#define DS_QEMU_CPU_H

#include <stdint.h>

/* CR3 and CR4 of the first CPU, from the file's "QEMU" notes (QEMU's
 * QEMUCPUState, one per CPU).  0, or -errno with one line printed. */
int qemu_dump_cpu_paging(const char *path, uint64_t *cr3, uint64_t *cr4);

#endif /* DS_QEMU_CPU_H */
