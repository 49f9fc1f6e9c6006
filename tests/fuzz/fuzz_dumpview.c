// SPDX-License-Identifier: MIT
/*
 * A reader's view of arbitrary bytes, as devsnap info, maps, read and
 * extract take them: plain or zstd-compressed (dump_input.c), then the
 * segment index (shuffled, overlapping, interleaved), lookups of every
 * segment's first and last byte, and the bytes themselves.  Any input ends
 * in a view that answers consistently or in one clean error.
 */
#define _GNU_SOURCE /* memfd_create */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "quiet_stderr.h"
#include "read/dumpinfo.h"
#include "read/dumpview.h"

static volatile uint8_t sink;

static void walk(const struct dumpview *v)
{
	struct devsnap_segment l, found, prev;
	struct dump_totals t;
	const uint8_t *bytes;
	uint32_t idx;
	uint64_t n;

	dump_totals(v, &t);
	for (uint32_t i = 0; i < v->nsegs && i < 4096; i++) {
		dumpview_load(v, i, &l);
		if (i && l.va < prev.va)
			__builtin_trap(); /* the index is in VA order */
		prev = l;
		if (v->overlaps)
			continue; /* lookups answer for disjoint segments only */
		if (dumpview_find(v, l.va, &found, &idx) < 0 || idx != i ||
		    dumpview_find(v, l.va + (l.size - 1), &found, &idx) < 0 || idx != i)
			__builtin_trap();
		if (dumpview_first_after(v, l.va) != i)
			__builtin_trap();
		if (l.file_size && dumpview_bytes(v, l.va + (l.file_size - 1), 16, &bytes, &n) == 0)
			sink ^= bytes[n - 1];
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_quiet_stderr();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dumpview v;
	char path[64];
	int fd;

	fd = memfd_create("fuzz-dump", MFD_CLOEXEC);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (dumpview_open(&v, path) == 0) {
		walk(&v);
		dumpview_close(&v);
	}
	close(fd);
	return 0;
}
