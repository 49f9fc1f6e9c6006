// SPDX-License-Identifier: MIT
/*
 * The dump parser over arbitrary bytes: open, then touch everything a
 * reader would (every segment, its bytes, VA lookups, every note and its
 * decoders, RTKit logs).  Any input must end in data or a clean error.
 */
#include <stddef.h>
#include <stdint.h>

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ds_dump_file f;
	struct ds_dump_load l;
	uint32_t idx;

	if (ds_dump_open(&f, data, size) < 0) {
		if (!f.error)
			__builtin_trap(); /* every failure names its cause */
		return 0;
	}
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
