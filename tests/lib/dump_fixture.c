// SPDX-License-Identifier: MIT
#include "dump_fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

int fixture_read_data(void *opaque, const struct ds_segment *seg, uint64_t off, void *buf,
		      size_t len)
{
	uint8_t *b = buf;

	for (size_t i = 0; i < len; i++)
		b[i] = fixture_byte(seg->va + off + i);
	return 0;
}

uint8_t *fixture_write_dump(struct ds_dump_writer *w, size_t chunk, uint64_t *size)
{
	uint8_t *buf;
	uint64_t off = 0;

	assert_int_equal(ds_dump_layout(w), 0);
	buf = malloc(w->size);
	assert_non_null(buf);
	while (off < w->size) {
		int64_t n = ds_dump_read(w, off, buf + off, chunk);

		assert_true(n > 0);
		off += (uint64_t)n;
	}
	assert_int_equal(ds_dump_read(w, off, buf, chunk), 0);
	*size = off;
	return buf;
}
