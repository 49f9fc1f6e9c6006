// SPDX-License-Identifier: MIT
/*
 * libdevsnap's public API over arbitrary bytes: devsnap_dump_open_memory(),
 * then everything a library user would touch: info, every segment and a
 * lookup and VA and PA reads around it (edges and the byte past the end),
 * every note and blob.  Any input must end in data or a clean error, and
 * every read must stay inside the buffer (ASan watches).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <devsnap/devsnap.h>

static volatile uint8_t sink;

static void touch(const void *p, size_t n)
{
	const uint8_t *b = p;

	if (n)
		sink ^= b[0] ^ b[n - 1];
}

static void read_around(const struct devsnap_dump *d, const struct devsnap_segment *s)
{
	static uint8_t buf[8192];
	uint64_t last = s->va + (s->size - 1);
	int64_t n;

	n = devsnap_dump_read_va(d, s->va, buf, sizeof(buf));
	if (n > 0)
		touch(buf, (size_t)n);
	n = devsnap_dump_read_va(d, last, buf, 2); /* into the next segment, if any */
	if (n > 0)
		touch(buf, (size_t)n);
	n = devsnap_dump_read_pa(d, s->pa + s->file_size / 2, buf, 64);
	if (n > 0)
		touch(buf, (size_t)n);
}

static void read_everything(const struct devsnap_dump *d)
{
	struct devsnap_dump_info info;
	struct devsnap_segment s, found;
	struct devsnap_note note;
	struct devsnap_blob blob;
	size_t count = devsnap_dump_segment_count(d);

	if (devsnap_dump_get_info(d, &info) == 0 && info.device)
		touch(info.device, strlen(info.device));
	for (size_t i = 0; i < count && i < 4096; i++) {
		if (devsnap_dump_segment(d, i, &s) < 0)
			abort();
		if (devsnap_dump_lookup_va(d, s.va, &found, NULL) < 0)
			abort(); /* every segment's first byte is mapped */
		read_around(d, &s);
	}
	for (size_t i = 0; devsnap_dump_note(d, i, &note) == 0; i++)
		touch(note.data, note.size);
	for (size_t i = 0; devsnap_dump_blob(d, i, &blob) == 0; i++) {
		touch(blob.name, blob.name_len);
		touch(blob.data, blob.size);
	}
	devsnap_dump_find_blob(d, "fwlog", &blob);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct devsnap_open_error err = { 0 };
	struct devsnap_open_options opts = DEVSNAP_OPEN_OPTIONS_INIT;
	struct devsnap_dump *d = NULL;
	/* An exact-size copy, so ASan flags a read one byte past the end. */
	uint8_t *copy = malloc(size ? size : 1);
	int r;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	opts.error = &err;
	r = devsnap_dump_open_memory(&d, copy, size, &opts);
	if (r == 0)
		read_everything(d);
	else if (r == -EBADMSG && !err.message)
		abort(); /* a refused file always says why */
	devsnap_dump_close(d);
	free(copy);
	return 0;
}
