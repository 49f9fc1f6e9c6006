// SPDX-License-Identifier: MIT
/* devsnap_dump_* (libdevsnap/dump.c) on a dump made by lib's writer:
 * segments in VA order, reads by VA and PA with their short-read edges,
 * notes and blobs, the three ways to open, and what it refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <cmocka.h>

#include <devsnap/devsnap.h>

#include "dump_fixture.h"

#define K4 0x1000ULL
#define RW (DS_PROT_PR | DS_PROT_PW)

static struct ds_segment segs[] = {
	{ .va = 0x10000, .pa = 0x80000, .size = 2 * K4, .page_shift = 12, .attrs = { RW, 0 } },
	{ .va = 0x12000, .pa = 0x40000, .size = K4, .page_shift = 12, .attrs = { RW, 0 } },
	{ .va = 0x13000, .pa = 0x90000, .size = K4, .page_shift = 12, .attrs = { RW, 0 },
	  .skip = DS_SKIP_OFFLINE },
	{ .va = 0x20000, .pa = 0x40000, .size = K4, .page_shift = 12, .attrs = { DS_PROT_PR, 0 },
	  .pte = 0x0060000000000747ULL },
};

static const char fwlog[] = "fw: halting\n";
static const struct ds_blob blobs[] = { { "fwlog", fwlog, sizeof(fwlog) - 1 } };

static uint8_t *dump;
static uint64_t dump_size;
static char path[64];

static int make_dump(void **state)
{
	static const struct ds_dump_info info = {
		.device = "0000:03:00.0", .driver = "testgpu", .reason = "unit test",
		.time_ns = 1764322547000000000ULL, .e_machine = 183,
	};
	struct ds_dump_writer w = {
		.info = &info, .segs = segs, .nsegs = DS_ARRAY_SIZE(segs),
		.blobs = blobs, .nblobs = DS_ARRAY_SIZE(blobs),
		.read_data = fixture_read_data,
	};
	int fd;

	dump = fixture_write_dump(&w, 4096, &dump_size);
	snprintf(path, sizeof(path), "/tmp/test_libdevsnap.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, dump, dump_size), (ssize_t)dump_size);
	close(fd);
	return 0;
}

static int free_dump(void **state)
{
	unlink(path);
	free(dump);
	return 0;
}

static struct devsnap_dump *open_mem(void)
{
	struct devsnap_dump *d = NULL;

	assert_int_equal(devsnap_dump_open_memory(&d, dump, dump_size, NULL), 0);
	assert_non_null(d);
	return d;
}

static void info_says_what_the_writer_wrote(void **state)
{
	struct devsnap_dump *d = open_mem();
	struct devsnap_dump_info info;

	assert_int_equal(devsnap_dump_get_info(d, &info), 0);
	assert_int_equal(info.producer, DEVSNAP_PRODUCER_DEVSNAP);
	assert_string_equal(info.device, "0000:03:00.0");
	assert_string_equal(info.driver, "testgpu");
	assert_string_equal(info.reason, "unit test");
	assert_int_equal(info.time_ns, 1764322547000000000ULL);
	assert_int_equal(info.e_machine, 183);
	assert_int_equal(info.file_size, dump_size);
	assert_int_equal(info.segment_count, 4);
	assert_int_equal(info.blob_count, 1);
	assert_int_equal(info.mapped_bytes, 5 * K4);
	assert_int_equal(info.saved_bytes, 4 * K4);
	devsnap_dump_close(d);
}

static void segments_come_in_va_order_with_their_state(void **state)
{
	struct devsnap_dump *d = open_mem();
	struct devsnap_segment s;

	assert_int_equal(devsnap_dump_segment_count(d), 4);
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(devsnap_dump_segment(d, i, &s), 0);
		assert_int_equal(s.va, segs[i].va);
		assert_int_equal(s.pa, segs[i].pa);
		assert_int_equal(s.size, segs[i].size);
		assert_int_equal(s.file_size, segs[i].skip ? 0 : segs[i].size);
	}
	assert_int_equal(devsnap_dump_segment(d, 4, &s), -ERANGE);

	assert_int_equal(devsnap_dump_segment(d, 2, &s), 0);
	assert_int_equal(s.state, DEVSNAP_SEGMENT_OFFLINE);
	assert_string_equal(s.state_name, "offline");
	assert_int_equal(devsnap_dump_segment(d, 3, &s), 0);
	assert_int_equal(s.state, DEVSNAP_SEGMENT_SAVED);
	assert_string_equal(s.state_name, "saved");
	assert_int_equal(s.perm, DEVSNAP_PERM_R);
	assert_int_equal(s.pte_bits, 0x0060000000000747ULL);
	devsnap_dump_close(d);
}

static void lookup_finds_the_segment_holding_a_va(void **state)
{
	struct devsnap_dump *d = open_mem();
	struct devsnap_segment s;
	size_t index = 99;

	assert_int_equal(devsnap_dump_lookup_va(d, 0x13ff8, &s, &index), 0);
	assert_int_equal(index, 2);
	assert_int_equal(s.va, 0x13000);
	assert_int_equal(s.state, DEVSNAP_SEGMENT_OFFLINE);
	assert_int_equal(devsnap_dump_lookup_va(d, 0x10000, &s, NULL), 0);
	assert_int_equal(s.va, 0x10000);
	assert_int_equal(devsnap_dump_lookup_va(d, 0x14000, &s, &index), -ENOENT);
	assert_int_equal(devsnap_dump_lookup_va(d, 0xffff, &s, &index), -ENOENT);
	devsnap_dump_close(d);
}

static void assert_fixture_bytes(const uint8_t *buf, uint64_t va, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		if (buf[i] != fixture_byte(va + i))
			fail_msg("byte at VA 0x%llx", (unsigned long long)(va + i));
}

static void read_va_crosses_segments_and_stops_short_at_unsaved_bytes(void **state)
{
	struct devsnap_dump *d = open_mem();
	static uint8_t buf[64 * 1024];

	/* 0x10 bytes of the first segment, the whole second, then the offline one. */
	assert_int_equal(devsnap_dump_read_va(d, 0x11ff0, buf, sizeof(buf)), 0x1010);
	assert_fixture_bytes(buf, 0x11ff0, 0x1010);
	assert_int_equal(devsnap_dump_read_va(d, 0x10000, buf, 16), 16);
	assert_fixture_bytes(buf, 0x10000, 16);
	assert_int_equal(devsnap_dump_read_va(d, 0x20ff0, buf, sizeof(buf)), 16);
	assert_fixture_bytes(buf, 0x20ff0, 16);
	assert_int_equal(devsnap_dump_read_va(d, 0x13000, buf, 1), -ENODATA);
	assert_int_equal(devsnap_dump_read_va(d, 0x14000, buf, 1), -ENOENT);
	assert_int_equal(devsnap_dump_read_va(d, ~0ULL, buf, 1), -ENOENT);
	assert_int_equal(devsnap_dump_read_va(d, 0x10000, buf, 0), 0);
	devsnap_dump_close(d);
}

static void read_pa_finds_the_lowest_va_alias(void **state)
{
	struct devsnap_dump *d = open_mem();
	uint8_t buf[32];

	/* PA 0x40000 is mapped at VA 0x12000 and 0x20000: the first wins. */
	assert_int_equal(devsnap_dump_read_pa(d, 0x40010, buf, sizeof(buf)), sizeof(buf));
	assert_fixture_bytes(buf, 0x12010, sizeof(buf));
	assert_int_equal(devsnap_dump_read_pa(d, 0x81ff0, buf, sizeof(buf)), 16);
	assert_fixture_bytes(buf, 0x11ff0, 16);
	assert_int_equal(devsnap_dump_read_pa(d, 0x90000, buf, 1), -ENODATA);
	assert_int_equal(devsnap_dump_read_pa(d, 0x1000, buf, 1), -ENOENT);
	devsnap_dump_close(d);
}

static void swap_phdrs(uint8_t *buf, unsigned int a, unsigned int b)
{
	uint8_t tmp[56], *pa = buf + 64 + 56 * a, *pb = buf + 64 + 56 * b;

	memcpy(tmp, pa, 56);
	memcpy(pa, pb, 56);
	memcpy(pb, tmp, 56);
}

/* Program headers in any order: PT_NOTE between PT_LOADs, PT_LOADs not by VA. */
static void headers_out_of_order_read_the_same(void **state)
{
	uint8_t *copy = malloc(dump_size), buf[0x1010];
	struct devsnap_dump *d = NULL;
	struct devsnap_segment s;

	memcpy(copy, dump, dump_size);
	swap_phdrs(copy, 0, 1); /* the writer puts PT_NOTE first */
	swap_phdrs(copy, 2, 4);
	assert_int_equal(devsnap_dump_open_memory(&d, copy, dump_size, NULL), 0);
	assert_int_equal(devsnap_dump_segment_count(d), 4);
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(devsnap_dump_segment(d, i, &s), 0);
		assert_int_equal(s.va, segs[i].va);
	}
	assert_int_equal(devsnap_dump_read_va(d, 0x11ff0, buf, sizeof(buf)), 0x1010);
	assert_fixture_bytes(buf, 0x11ff0, 0x1010);
	assert_int_equal(devsnap_dump_read_pa(d, 0x40000, buf, 16), 16);
	assert_fixture_bytes(buf, 0x12000, 16);
	assert_int_equal(devsnap_dump_note_count(d), 3);
	devsnap_dump_close(d);
	free(copy);
}

/* Segments' bytes in place, and their p_align, without a copy. */
static void bytes_are_the_file_in_place(void **state)
{
	struct devsnap_dump *d = open_mem();
	struct devsnap_segment s;
	const uint8_t *file;
	uint64_t size = 0;

	file = devsnap_dump_bytes(d, &size);
	assert_ptr_equal(file, dump); /* borrowed, not copied */
	assert_int_equal(size, dump_size);
	assert_int_equal(devsnap_dump_segment(d, 1, &s), 0);
	assert_int_equal(s.align, K4);
	assert_true(s.file_offset + s.file_size <= size);
	assert_fixture_bytes(file + s.file_offset, s.va, s.file_size);
	assert_null(devsnap_dump_bytes(NULL, &size));
	assert_int_equal(size, 0);
	devsnap_dump_close(d);
}

/* The writer's segments are disjoint; move the second into the first. */
static void overlapping_segments_are_reported(void **state)
{
	uint8_t *copy = malloc(dump_size);
	struct devsnap_dump *d = open_mem();
	uint64_t a = 0, b = 0;

	assert_int_equal(devsnap_dump_overlap(d, &a, &b), 0);
	assert_int_equal(devsnap_dump_overlap(NULL, &a, &b), -EINVAL);
	devsnap_dump_close(d);

	memcpy(copy, dump, dump_size);
	for (unsigned int i = 0; i < 8; i++) /* PT_LOAD 1 (phdr 2): p_vaddr 0x11000 */
		copy[64 + 56 * 2 + 16 + i] = (uint8_t)(0x11000ULL >> 8 * i);
	assert_int_equal(devsnap_dump_open_memory(&d, copy, dump_size, NULL), 0);
	assert_int_equal(devsnap_dump_overlap(d, &a, &b), 1);
	assert_int_equal(a, 0x10000);
	assert_int_equal(b, 0x11000);
	assert_int_equal(devsnap_dump_overlap(d, NULL, NULL), 1);
	devsnap_dump_close(d);
	free(copy);
}

static void notes_and_blobs(void **state)
{
	struct devsnap_dump *d = open_mem();
	struct devsnap_note n;
	struct devsnap_blob b;
	size_t count = devsnap_dump_note_count(d);
	bool saw_info = false;

	assert_int_equal(count, 3); /* INFO, SKIPPED, BLOB */
	for (size_t i = 0; i < count; i++) {
		assert_int_equal(devsnap_dump_note(d, i, &n), 0);
		assert_string_equal(n.name, "DEVSNAP");
		saw_info |= n.type == DS_NT_INFO;
		assert_true(n.file_offset + n.size < dump_size);
	}
	assert_true(saw_info);
	assert_int_equal(devsnap_dump_note(d, count, &n), -ERANGE);

	assert_int_equal(devsnap_dump_blob_count(d), 1);
	assert_int_equal(devsnap_dump_blob(d, 0, &b), 0);
	assert_int_equal(b.name_len, 5);
	assert_memory_equal(b.name, "fwlog", 5);
	assert_int_equal(b.size, sizeof(fwlog) - 1);
	assert_memory_equal(b.data, fwlog, b.size);
	assert_int_equal(devsnap_dump_blob(d, 1, &b), -ERANGE);
	memset(&b, 0, sizeof(b));
	assert_int_equal(devsnap_dump_find_blob(d, "fwlog", &b), 0);
	assert_memory_equal(b.data, fwlog, b.size);
	assert_int_equal(devsnap_dump_find_blob(d, "fwlo", &b), -ENOENT);
	devsnap_dump_close(d);
}

static void path_fd_and_copied_memory_open_the_same_dump(void **state)
{
	struct devsnap_open_options opts = DEVSNAP_OPEN_OPTIONS_INIT;
	struct devsnap_dump *d = NULL;
	uint8_t *copy = malloc(dump_size), buf[16];
	int fd;

	assert_int_equal(devsnap_dump_open_path(&d, path, NULL), 0);
	assert_int_equal(devsnap_dump_read_va(d, 0x12000, buf, 16), 16);
	assert_fixture_bytes(buf, 0x12000, 16);
	devsnap_dump_close(d);

	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_int_equal(devsnap_dump_open_fd(&d, fd, NULL), 0);
	close(fd); /* the handle does not need it */
	assert_int_equal(devsnap_dump_read_va(d, 0x12000, buf, 16), 16);
	assert_fixture_bytes(buf, 0x12000, 16);
	devsnap_dump_close(d);

	memcpy(copy, dump, dump_size);
	opts.flags = DEVSNAP_OPEN_COPY;
	assert_int_equal(devsnap_dump_open_memory(&d, copy, dump_size, &opts), 0);
	memset(copy, 0, dump_size);
	free(copy);
	assert_int_equal(devsnap_dump_read_va(d, 0x12000, buf, 16), 16);
	assert_fixture_bytes(buf, 0x12000, 16);
	devsnap_dump_close(d);
}

static void nofollow_refuses_a_symlink(void **state)
{
	struct devsnap_open_options opts = DEVSNAP_OPEN_OPTIONS_INIT;
	struct devsnap_dump *d = NULL;
	char link[80];

	snprintf(link, sizeof(link), "%s.link", path);
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(devsnap_dump_open_path(&d, link, NULL), 0);
	devsnap_dump_close(d);
	opts.flags = DEVSNAP_OPEN_NOFOLLOW;
	assert_int_equal(devsnap_dump_open_path(&d, link, &opts), -ELOOP);
	unlink(link);
}

static void truncated_dumps_are_refused_with_a_reason(void **state)
{
	struct devsnap_open_error err = { 0 };
	struct devsnap_open_options opts = DEVSNAP_OPEN_OPTIONS_INIT;
	struct devsnap_dump *d = NULL;

	opts.error = &err;
	d = (struct devsnap_dump *)&err; /* a failed open sets *out to NULL */
	assert_int_equal(devsnap_dump_open_memory(&d, dump, 40, &opts), -EBADMSG);
	assert_string_equal(err.message, "shorter than an ELF header");
	assert_null(d);
	assert_int_equal(devsnap_dump_open_memory(&d, dump, dump_size - 1, &opts), -EBADMSG);
	assert_string_equal(err.message, "segment data runs past the end of the file");
	assert_int_equal(devsnap_dump_open_memory(&d, dump, 0, &opts), -EBADMSG);
	assert_string_equal(err.message, "empty file");
	/* Every cut ends in an error, never in a handle reading past the end. */
	for (uint64_t size = 0; size < dump_size; size += 61) {
		assert_int_equal(devsnap_dump_open_memory(&d, dump, size, &opts), -EBADMSG);
		assert_non_null(err.message);
	}
	assert_int_equal(devsnap_dump_open_path(&d, "/nonexistent/dump", NULL), -ENOENT);
	assert_int_equal(devsnap_dump_open_path(&d, "/", NULL), -EINVAL);
	assert_int_equal(devsnap_dump_open_path(&d, "/dev/null", NULL), -EINVAL);
}

static void bad_options_and_null_arguments_are_einval(void **state)
{
	struct devsnap_open_options opts = DEVSNAP_OPEN_OPTIONS_INIT;
	struct devsnap_dump *d = open_mem(), *none = NULL;
	struct devsnap_segment s;
	struct devsnap_note n;
	struct devsnap_blob b;
	struct devsnap_dump_info info;
	uint8_t buf[4];

	opts.version = 2;
	assert_int_equal(devsnap_dump_open_memory(&none, dump, dump_size, &opts), -EINVAL);
	assert_int_equal(devsnap_dump_open_path(&none, path, &opts), -EINVAL);
	opts.version = DEVSNAP_OPEN_OPTIONS_VERSION;
	opts.flags = 1u << 30;
	assert_int_equal(devsnap_dump_open_memory(&none, dump, dump_size, &opts), -EINVAL);
	opts.flags = DEVSNAP_OPEN_NOFOLLOW; /* a path's flag, not memory's */
	assert_int_equal(devsnap_dump_open_memory(&none, dump, dump_size, &opts), -EINVAL);
	assert_null(none);
	assert_int_equal(devsnap_open_options_init(&opts, 2), -EINVAL);
	assert_int_equal(devsnap_open_options_init(NULL, DEVSNAP_OPEN_OPTIONS_VERSION), -EINVAL);
	assert_int_equal(devsnap_open_options_init(&opts, DEVSNAP_OPEN_OPTIONS_VERSION), 0);
	assert_int_equal(opts.version, DEVSNAP_OPEN_OPTIONS_VERSION);

	assert_int_equal(devsnap_dump_open_memory(NULL, dump, dump_size, NULL), -EINVAL);
	assert_int_equal(devsnap_dump_open_memory(&none, NULL, 10, NULL), -EINVAL);
	assert_int_equal(devsnap_dump_open_path(&none, NULL, NULL), -EINVAL);
	assert_int_equal(devsnap_dump_open_path(NULL, path, NULL), -EINVAL);
	assert_int_equal(devsnap_dump_open_fd(&none, -1, NULL), -EINVAL);
	assert_int_equal(devsnap_dump_get_info(NULL, &info), -EINVAL);
	assert_int_equal(devsnap_dump_get_info(d, NULL), -EINVAL);
	assert_int_equal(devsnap_dump_segment(NULL, 0, &s), -EINVAL);
	assert_int_equal(devsnap_dump_segment(d, 0, NULL), -EINVAL);
	assert_int_equal(devsnap_dump_lookup_va(NULL, 0x10000, &s, NULL), -EINVAL);
	assert_int_equal(devsnap_dump_lookup_va(d, 0x10000, NULL, NULL), -EINVAL);
	assert_int_equal(devsnap_dump_read_va(NULL, 0x10000, buf, 4), -EINVAL);
	assert_int_equal(devsnap_dump_read_va(d, 0x10000, NULL, 4), -EINVAL);
	assert_int_equal(devsnap_dump_read_pa(NULL, 0x80000, buf, 4), -EINVAL);
	assert_int_equal(devsnap_dump_read_pa(d, 0x80000, NULL, 4), -EINVAL);
	assert_int_equal(devsnap_dump_note(NULL, 0, &n), -EINVAL);
	assert_int_equal(devsnap_dump_note(d, 0, NULL), -EINVAL);
	assert_int_equal(devsnap_dump_blob(NULL, 0, &b), -EINVAL);
	assert_int_equal(devsnap_dump_blob(d, 0, NULL), -EINVAL);
	assert_int_equal(devsnap_dump_find_blob(d, NULL, &b), -EINVAL);
	assert_int_equal(devsnap_dump_segment_count(NULL), 0);
	assert_int_equal(devsnap_dump_note_count(NULL), 0);
	assert_int_equal(devsnap_dump_blob_count(NULL), 0);
	devsnap_dump_close(NULL);
	devsnap_dump_close(d);
}

static void version_matches_the_headers(void **state)
{
	int major = -1, minor = -1, patch = -1;
	char want[32];

	snprintf(want, sizeof(want), "%d.%d.%d", DEVSNAP_VERSION_MAJOR, DEVSNAP_VERSION_MINOR,
		 DEVSNAP_VERSION_PATCH);
	assert_string_equal(devsnap_version(&major, &minor, &patch), want);
	assert_string_equal(DEVSNAP_VERSION_STRING, want);
	assert_int_equal(major, DEVSNAP_VERSION_MAJOR);
	assert_int_equal(minor, DEVSNAP_VERSION_MINOR);
	assert_int_equal(patch, DEVSNAP_VERSION_PATCH);
	assert_non_null(devsnap_version(NULL, NULL, NULL));
	assert_true(DEVSNAP_VERSION_CHECK(0, 1, 0));
	assert_false(DEVSNAP_VERSION_CHECK(DEVSNAP_VERSION_MAJOR + 1, 0, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(info_says_what_the_writer_wrote),
		cmocka_unit_test(segments_come_in_va_order_with_their_state),
		cmocka_unit_test(lookup_finds_the_segment_holding_a_va),
		cmocka_unit_test(read_va_crosses_segments_and_stops_short_at_unsaved_bytes),
		cmocka_unit_test(read_pa_finds_the_lowest_va_alias),
		cmocka_unit_test(headers_out_of_order_read_the_same),
		cmocka_unit_test(bytes_are_the_file_in_place),
		cmocka_unit_test(overlapping_segments_are_reported),
		cmocka_unit_test(notes_and_blobs),
		cmocka_unit_test(path_fd_and_copied_memory_open_the_same_dump),
		cmocka_unit_test(nofollow_refuses_a_symlink),
		cmocka_unit_test(truncated_dumps_are_refused_with_a_reason),
		cmocka_unit_test(bad_options_and_null_arguments_are_einval),
		cmocka_unit_test(version_matches_the_headers),
	};

	return cmocka_run_group_tests(tests, make_dump, free_dump);
}
