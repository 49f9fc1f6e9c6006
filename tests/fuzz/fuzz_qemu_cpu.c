// SPDX-License-Identifier: MIT
/*
 * capture --root cr3's reader of QEMU dump-guest-memory notes over any
 * file: the input is the file.  It must end in CR3 and CR4 or one clean
 * error, within the notes' size.
 */
#define _GNU_SOURCE /* memfd_create */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "capture/qemu_cpu.h"
#include "quiet_stderr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("vmcore", MFD_CLOEXEC);
	char path[64];
	uint64_t cr3, cr4;

	if (fd < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		qemu_dump_cpu_paging(path, &cr3, &cr4);
	}
	close(fd);
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_quiet_stderr();
	return 0;
}
