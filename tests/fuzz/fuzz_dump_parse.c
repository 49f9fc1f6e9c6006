// SPDX-License-Identifier: MIT
/*
 * The dump parser over arbitrary bytes: the check of a stream's first
 * bytes, open, then touch everything a reader would (every segment, one by
 * one and all at once, its bytes, VA lookups, every note and its
 * decoders, RTKit logs), and again as the head of a file (collect's view).
 * Any input must end in data or a clean error.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dump_parse.h"

static volatile uint8_t sink;

static void touch(const uint8_t *p, uint64_t n)
{
	if (n)
		sink ^= p[0] ^ p[n - 1];
}

static void read_notes(struct ds_dump_file *f)
{
	struct ds_note_iter it = { 0 };
	struct ds_note n;

	while (ds_dump_next_note(f, &it, &n) == 1) {
		struct ds_note_info info;
		struct ds_note_blob blob;
		struct ds_agx_info agx;
		struct ds_skipped_range sr;
		struct ds_rtkit_section sec;
		uint64_t pos = 0;
		uint32_t count;

		touch(n.desc, n.desc_size);
		if (ds_note_info_decode(&n, &info) == 0)
			sink ^= (uint8_t)(info.format[0] ^ info.reason[0]);
		if (ds_note_skipped_count(&n, &count) == 0 && count)
			ds_note_skipped_at(&n, count - 1, &sr);
		if (ds_note_blob_decode(&n, &blob) == 0)
			touch(blob.data, blob.size);
		ds_note_agx_decode(&n, &agx);
		while (ds_rtkit_next_section(n.desc, n.desc_size, &pos, &sec) == 1)
			touch(sec.payload, sec.payload_size);
	}
}

/* The input as the head of a file (what collect reads): the last byte says
 * how much of the tail is missing; only the head is in memory, so ASan
 * catches any read of the tail.  Segment data is not touched. */
static void open_head(const uint8_t *data, size_t size)
{
	size_t cut = size ? data[size - 1] : 0, head_len = size - (cut < size ? cut : size);
	uint8_t *head = malloc(head_len ? head_len : 1);
	struct ds_dump_file f;
	struct ds_dump_load l;
	uint32_t idx;

	if (!head)
		return;
	memcpy(head, data, head_len);
	if (ds_dump_open_head(&f, head, head_len, size) < 0) {
		if (!f.error)
			__builtin_trap();
		free(head);
		return;
	}
	for (uint32_t i = 0; i < f.nloads && i < 4096; i++) {
		if (ds_dump_load(&f, i, &l) < 0 || l.offset + l.filesz > size)
			__builtin_trap();
		if (ds_dump_find(&f, l.va, &idx) == 0 && ds_dump_load(&f, idx, &l) < 0)
			__builtin_trap();
	}
	read_notes(&f);
	free(head);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every segment in one pass, as readers index them: the same as one by one. */
static void index_loads(const struct ds_dump_file *f)
{
	struct ds_dump_load *all = malloc(((size_t)f->nloads + 1) * sizeof(*all)), l;

	if (!all)
		return;
	if (ds_dump_loads(f, all, f->nloads) != f->nloads)
		__builtin_trap();
	for (uint32_t i = 0; i < f->nloads && i < 64; i++)
		if (ds_dump_load(f, i, &l) < 0 || l.va != all[i].va || l.offset != all[i].offset ||
		    l.filesz != all[i].filesz || l.memsz != all[i].memsz || l.flags != all[i].flags)
			__builtin_trap();
	free(all);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ds_dump_file f;
	struct ds_dump_load l;
	uint32_t idx;

	/* A stream is refused by its first bytes only if the whole file is. */
	for (size_t len = 0; len <= size && len <= 64; len += 7)
		if (ds_dump_check_start(&f, data, len) < 0 && ds_dump_open(&f, data, size) == 0)
			__builtin_trap();
	{
		uint64_t end;

		if (ds_dump_extent(data, size, &end) == 1 && end <= size)
			__builtin_trap(); /* asks for bytes it has */
	}
	open_head(data, size);
	if (ds_dump_open(&f, data, size) < 0) {
		if (!f.error)
			__builtin_trap(); /* every failure names its cause */
		return 0;
	}
	index_loads(&f);
	for (uint32_t i = 0; i < f.nloads && i < 4096; i++) {
		if (ds_dump_load(&f, i, &l) < 0)
			__builtin_trap();
		touch(data + l.offset, l.filesz);
		if (ds_dump_find(&f, l.va, &idx) == 0 && ds_dump_load(&f, idx, &l) < 0)
			__builtin_trap();
		ds_dump_skip_reason(&f, l.va);
	}
	read_notes(&f);
	return 0;
}
