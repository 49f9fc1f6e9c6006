// SPDX-License-Identifier: MIT
/* lib/dump_parse.c on damaged files: each damage is refused with its own
 * message and offset, and an Asahi drm/asahi dump is read as such. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dump_fixture.h"
#include "dump_parse.h"

#define K4 0x1000ULL

static uint8_t *dump;
static uint64_t dump_size;

static struct ds_segment segs[] = {
	{ .va = 0x10000, .pa = 0x10000, .size = K4, .page_shift = 12, .attrs = { DS_PROT_PR, 0 } },
	{ .va = 0x20000, .pa = 0x20000, .size = K4, .page_shift = 12, .attrs = { DS_PROT_PR, 0 },
	  .skip = DS_SKIP_OFFLINE },
};

static int make_dump(void **state)
{
	static const struct ds_dump_info info = { .device = "d", .driver = "x", .reason = "r" };
	struct ds_dump_writer w = {
		.info = &info, .segs = segs, .nsegs = DS_ARRAY_SIZE(segs),
		.read_data = fixture_read_data,
	};

	dump = fixture_write_dump(&w, 4096, &dump_size);
	return 0;
}

static int free_dump(void **state)
{
	free(dump);
	return 0;
}

/* Opens a damaged copy; returns the error text. */
static const char *open_damaged(uint64_t size, uint64_t at, const void *bytes, size_t n)
{
	static struct ds_dump_file f;
	uint8_t *copy = malloc(dump_size);

	memcpy(copy, dump, dump_size);
	if (n)
		memcpy(copy + at, bytes, n);
	assert_int_equal(ds_dump_open(&f, copy, size), -EBADMSG);
	free(copy); /* f.error is static text, not in the copy */
	return f.error;
}

static void put64(uint8_t *b, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> 8 * i);
}

static void damaged_headers(void **state)
{
	uint8_t b[8];

	assert_string_equal(open_damaged(40, 0, NULL, 0), "shorter than an ELF header");
	assert_string_equal(open_damaged(dump_size, 0, "\177ELG", 4), "not an ELF file");
	assert_string_equal(open_damaged(dump_size, 4, "\1", 1), "not a little-endian ELF64 file");
	assert_string_equal(open_damaged(dump_size, 16, "\2\0", 2),
			    "not an ELF core file (e_type is not ET_CORE)");
	assert_string_equal(open_damaged(100, 0, NULL, 0), "program headers run past the end of the file");
	put64(b, ~0ULL - 8);
	assert_string_equal(open_damaged(dump_size, 32, b, 8),
			    "program headers run past the end of the file");
	assert_string_equal(open_damaged(dump_size, 56, "\xff\xff", 2),
			    "e_phnum is PN_XNUM but section header 0 is missing");
	assert_string_equal(open_damaged(dump_size, 56, "\0\0", 2), "no program headers");
}

static void damaged_segments(void **state)
{
	uint64_t ph1 = 64 + 56; /* the first PT_LOAD */
	uint8_t b[8];

	put64(b, dump_size);
	assert_string_equal(open_damaged(dump_size, ph1 + 8, b, 8),
			    "segment data runs past the end of the file");
	put64(b, ~0ULL - 100);
	assert_string_equal(open_damaged(dump_size, ph1 + 8, b, 8),
			    "segment data runs past the end of the file");
	put64(b, 2 * K4);
	assert_string_equal(open_damaged(dump_size, ph1 + 32, b, 8),
			    "segment has more file bytes than memory bytes");
	put64(b, ~0ULL - 100);
	assert_string_equal(open_damaged(dump_size, ph1 + 16, b, 8),
			    "segment is empty or wraps around the address space");
	/* Data cut off by truncation. */
	assert_string_equal(open_damaged(dump_size - 1, 0, NULL, 0),
			    "segment data runs past the end of the file");
}

static void overlapping_segments_are_read_but_not_searched(void **state)
{
	struct ds_dump_file f;
	uint8_t *copy = malloc(dump_size);
	uint32_t idx;

	memcpy(copy, dump, dump_size);
	put64(copy + 64 + 2 * 56 + 16, 0x10800); /* second PT_LOAD's VA inside the first */
	assert_int_equal(ds_dump_open(&f, copy, dump_size), 0);
	assert_false(f.sorted);
	assert_int_equal(ds_dump_find(&f, 0x10000, &idx), -EOPNOTSUPP);
	free(copy);
}

static void damaged_notes(void **state)
{
	struct ds_dump_file f;
	uint64_t notes;
	uint8_t b[4] = { 0xff, 0xff, 0xff, 0x7f };

	assert_int_equal(ds_dump_open(&f, dump, dump_size), 0);
	notes = 64 + 3 * 56;
	/* namesz huge */
	assert_string_equal(open_damaged(dump_size, notes, b, 4), "note runs past the end of its segment");
	/* descsz huge */
	assert_string_equal(open_damaged(dump_size, notes + 4, b, 4),
			    "note runs past the end of its segment");
	/* name without its NUL */
	assert_string_equal(open_damaged(dump_size, notes + 12 + 7, "X", 1),
			    "note name is not NUL-terminated");
	/* a SKIPPED note claiming more entries than it holds */
	{
		struct ds_note_iter it = { 0 };
		struct ds_note n;

		assert_int_equal(ds_dump_next_note(&f, &it, &n), 1);
		assert_int_equal(ds_dump_next_note(&f, &it, &n), 1);
		assert_string_equal(open_damaged(dump_size, (uint64_t)(n.desc - dump) + 4, "\x09", 1),
				    "DEVSNAP skipped-ranges note is malformed");
	}
}

/* The head of a file, up to its last note, opens alone: loads and notes
 * read as from the whole file, and a head cut short names what it lacks. */
static void heads_open_without_segment_data(void **state)
{
	uint64_t head_len = ds_get_le(dump + 64 + 8, 8) + ds_get_le(dump + 64 + 32, 8);
	uint8_t *head = malloc(head_len); /* exactly the head: ASan sees any read past it */
	struct ds_note_iter wit = { 0 }, hit = { 0 };
	struct ds_dump_file whole, f;
	struct ds_note wn, hn;
	struct ds_dump_load wl, hl;
	int r;

	assert_true(head_len < dump_size);
	memcpy(head, dump, head_len);
	assert_int_equal(ds_dump_open(&whole, dump, dump_size), 0);
	assert_int_equal(ds_dump_open_head(&f, head, head_len, dump_size), 0);
	assert_int_equal(f.nloads, whole.nloads);
	for (uint32_t i = 0; i < f.nloads; i++) {
		assert_int_equal(ds_dump_load(&f, i, &hl), 0);
		assert_int_equal(ds_dump_load(&whole, i, &wl), 0);
		assert_true(hl.va == wl.va && hl.pa == wl.pa && hl.memsz == wl.memsz &&
			    hl.filesz == wl.filesz && hl.offset == wl.offset &&
			    hl.align == wl.align && hl.flags == wl.flags);
	}
	assert_int_equal(ds_dump_skip_reason(&f, 0x20000), DS_SKIP_OFFLINE);
	while ((r = ds_dump_next_note(&f, &hit, &hn)) == 1) {
		assert_int_equal(ds_dump_next_note(&whole, &wit, &wn), 1);
		assert_string_equal(hn.name, wn.name);
		assert_int_equal(hn.type, wn.type);
		assert_int_equal(hn.offset, wn.offset);
		assert_memory_equal(hn.desc, wn.desc, hn.desc_size);
	}
	assert_int_equal(r, 0);
	assert_int_equal(ds_dump_next_note(&whole, &wit, &wn), 0);

	assert_int_equal(ds_dump_open_head(&f, head, head_len - 1, dump_size), -EBADMSG);
	assert_string_equal(f.error, "notes run past the end of the head");
	assert_int_equal(ds_dump_open_head(&f, head, 100, dump_size), -EBADMSG);
	assert_string_equal(f.error, "program headers run past the end of the head");
	assert_int_equal(ds_dump_open_head(&f, head, 10, dump_size), -EBADMSG);
	assert_string_equal(f.error, "ELF header cut short by the end of the head");
	/* Segments are checked against the whole file's size. */
	assert_int_equal(ds_dump_open_head(&f, head, head_len, dump_size - 1), -EBADMSG);
	assert_string_equal(f.error, "segment data runs past the end of the file");
	free(head);
}

/* PT_LOADs each after a PT_NULL, VAs descending: ds_dump_loads hands every
 * one over in file order in one pass, whatever the header table holds. */
static void interleaved_loads_come_out_in_file_order(void **state)
{
	enum { N = 1000 };
	uint64_t size = 64 + 2 * N * 56;
	uint8_t *d = calloc(1, size);
	struct ds_dump_load *loads = calloc(N + 1, sizeof(*loads));
	struct ds_dump_file f;

	memcpy(d, "\177ELF\2\1\1", 7);
	d[16] = 4, d[32] = 64, d[54] = 56;
	d[56] = (uint8_t)(2 * N), d[57] = (uint8_t)(2 * N >> 8);
	for (uint32_t i = 0; i < N; i++) {
		uint8_t *ph = d + 64 + (2 * i + 1) * 56;

		ph[0] = 1;
		put64(ph + 16, (uint64_t)(N - i) << 12);
		put64(ph + 40, K4);
	}
	assert_int_equal(ds_dump_open(&f, d, size), 0);
	assert_int_equal(f.nloads, N);
	assert_false(f.loads_contiguous);
	assert_false(f.sorted);
	assert_int_equal(ds_dump_loads(&f, loads, N + 1), N);
	for (uint32_t i = 0; i < N; i++) {
		assert_int_equal(loads[i].va, (uint64_t)(N - i) << 12);
		assert_int_equal(loads[i].memsz, K4);
	}
	assert_int_equal(ds_dump_loads(&f, loads, 10), 10); /* no more than asked */
	assert_int_equal(loads[9].va, (uint64_t)(N - 9) << 12);
	free(loads);
	free(d);
}

/* Past 65535 headers, e_phnum is in section header 0: a head that stops
 * before it says so, not that it is missing. */
static void a_head_short_of_section_header_0(void **state)
{
	uint64_t shoff = 64 + 56, size = shoff + 64;
	uint8_t d[64 + 56 + 64] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };
	struct ds_dump_file f;

	d[16] = 4, d[32] = 64, d[54] = 56, d[56] = d[57] = 0xff;
	put64(d + 40, shoff);
	d[shoff + 44] = 1; /* sh_info: one program header */
	d[64] = 1, d[64 + 40] = 0x10; /* PT_LOAD, 16 bytes of memory */
	assert_int_equal(ds_dump_open_head(&f, d, shoff, size), -EBADMSG);
	assert_string_equal(f.error, "section header 0 (for e_phnum PN_XNUM) is past the end of the head");
	assert_int_equal(ds_dump_open(&f, d, shoff), -EBADMSG);
	assert_string_equal(f.error, "e_phnum is PN_XNUM but section header 0 is missing");
	assert_int_equal(ds_dump_open(&f, d, size), 0);
	assert_int_equal(f.nloads, 1);
}

/* A stream is judged by its first bytes, however few have arrived. */
static void a_start_is_refused_by_its_first_bytes(void **state)
{
	struct ds_dump_file f;

	assert_int_equal(ds_dump_check_start(&f, "", 0), 0);
	assert_int_equal(ds_dump_check_start(&f, "\177EL", 3), 0);
	assert_int_equal(ds_dump_check_start(&f, "\177ELG", 4), -EBADMSG);
	assert_string_equal(f.error, "not an ELF file");
	assert_int_equal(ds_dump_check_start(&f, "\0\0\0\0\0", 5), -EBADMSG);
	assert_int_equal(ds_dump_check_start(&f, "\177ELF\1\1", 6), -EBADMSG);
	assert_string_equal(f.error, "not a little-endian ELF64 file");
	assert_int_equal(ds_dump_check_start(&f, dump, 17), 0);
	assert_int_equal(ds_dump_check_start(&f, dump, 64), 0);
}

/* A stream's extent, from its headers as they arrive: the whole dump. */
static void the_extent_is_known_from_the_headers(void **state)
{
	uint64_t phend = 64 + 3 * 56, end = 0;
	uint8_t *copy = malloc(dump_size);

	assert_int_equal(ds_dump_extent(dump, 10, &end), 1);
	assert_int_equal(end, 64);
	assert_int_equal(ds_dump_extent(dump, 64, &end), 1);
	assert_int_equal(end, phend);
	assert_int_equal(ds_dump_extent(dump, phend, &end), 0);
	assert_int_equal(end, dump_size);
	memcpy(copy, dump, dump_size);
	put64(copy + 64 + 56 + 8, ~0ULL - 10); /* a saved segment's offset near 2^64: clamped */
	assert_int_equal(ds_dump_extent(copy, phend, &end), 0);
	assert_int_equal(end, ~0ULL);
	put64(copy + 32, ~0ULL - 10); /* e_phoff near 2^64: never all there */
	assert_int_equal(ds_dump_extent(copy, dump_size, &end), 1);
	assert_int_equal(end, ~0ULL);
	free(copy);
}

/* The head a collector keeps: exactly what ds_dump_open_head needs. */
static void the_head_extent_stops_at_the_notes(void **state)
{
	uint64_t phend = 64 + 3 * 56, end = 0;
	struct ds_dump_file f;

	assert_int_equal(ds_dump_head_extent(dump, 10, &end), 1);
	assert_int_equal(end, 64);
	assert_int_equal(ds_dump_head_extent(dump, 64, &end), 1);
	assert_int_equal(end, phend);
	assert_int_equal(ds_dump_head_extent(dump, phend, &end), 0);
	assert_true(end > phend && end < dump_size);
	assert_int_equal(ds_dump_open_head(&f, dump, end, dump_size), 0);
	assert_int_equal(ds_dump_open_head(&f, dump, end - 1, dump_size), -EBADMSG);
}

/* Lengths inside notes that would wrap an offset are refused. */
static void hostile_note_lengths_are_refused(void **state)
{
	uint8_t desc[64] = { 0 };
	struct ds_note n = { .name = "DEVSNAP", .type = DS_NT_BLOB, .desc = desc,
			     .desc_size = sizeof(desc) };
	struct ds_note_blob blob;
	struct ds_skipped_range sr;
	uint32_t count;

	for (uint64_t len = 0xfffffffc; len <= 0xffffffff; len++) {
		put64(desc, len);
		desc[4] = desc[5] = desc[6] = desc[7] = 0;
		assert_int_equal(ds_note_blob_decode(&n, &blob), -EBADMSG);
	}
	put64(desc, 60); /* exactly fills the desc: no bytes */
	assert_int_equal(ds_note_blob_decode(&n, &blob), 0);
	assert_int_equal(blob.size, 0);
	put64(desc, 61);
	assert_int_equal(ds_note_blob_decode(&n, &blob), -EBADMSG);
	/* SKIPPED: a count that would wrap count * 32 */
	n.type = DS_NT_SKIPPED;
	put64(desc, 1);
	put64(desc + 4, 0x08000001);
	desc[8] = desc[9] = desc[10] = desc[11] = 0;
	assert_int_equal(ds_note_skipped_count(&n, &count), -EBADMSG);
	put64(desc + 4, 1);
	desc[8] = 0;
	assert_int_equal(ds_note_skipped_count(&n, &count), 0);
	assert_int_equal(ds_note_skipped_at(&n, 1, &sr), -EBADMSG);
}

/* An Asahi drm/asahi crash dump as crashdump.rs lays it out. */
static void asahi_dumps_decode(void **state)
{
	uint8_t d[4096] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };
	uint8_t *ph = d + 64, *note = d + 64 + 2 * 56;
	uint8_t log[32 + 16 + 8] = { 'E', 'H', 'L', 'C', 0, 0, 0, 0, sizeof(log) };
	struct ds_dump_file f;
	struct ds_note_iter it = { 0 };
	struct ds_note n;
	struct ds_agx_info agx;
	struct ds_rtkit_section sec;
	uint64_t pos = 0, desc;

	d[16] = 4;   /* ET_CORE */
	d[18] = 183; /* EM_AARCH64 */
	d[32] = 64;  /* e_phoff */
	d[54] = 56;
	d[56] = 2;
	ph[0] = 4; /* PT_NOTE */
	put64(ph + 8, 64 + 2 * 56);
	ph[56] = 1; /* PT_LOAD, unsaved (p_offset 0, as Asahi writes) */
	put64(ph + 56 + 16, 0xffffffa000000000ULL);
	put64(ph + 56 + 40, 0x4000);
	/* AGX note, type 1 */
	note[0] = 4, note[4] = 56, note[8] = 1;
	memcpy(note + 12, "AGX", 4);
	put64(note + 16, 0x1234000);
	note[24] = 0x03, note[25] = 0x81; /* chip 0x8103 */
	note[16 + 24] = 8;                /* cores */
	/* RTKIT note, type 1: a CLHE header, one Cstr section */
	desc = 16 + 56 + 12 + 8;
	note[16 + 56] = 6, note[16 + 56 + 4] = sizeof(log), note[16 + 56 + 8] = 1;
	memcpy(note + 16 + 56 + 12, "RTKIT", 6);
	memcpy(log + 32, "rtsC", 4);
	log[32 + 12] = 24;
	memcpy(log + 48, "panic!\0", 8);
	memcpy(note + desc, log, sizeof(log));
	put64(ph + 32, desc + sizeof(log));
	assert_int_equal(ds_dump_open(&f, d, sizeof(d)), 0);
	assert_int_equal(f.nloads, 1);
	assert_int_equal(ds_dump_next_note(&f, &it, &n), 1);
	assert_true(ds_note_is(&n, "AGX", 1));
	assert_int_equal(ds_note_agx_decode(&n, &agx), 0);
	assert_int_equal(agx.initdata_address, 0x1234000);
	assert_int_equal(agx.chip_id, 0x8103);
	assert_int_equal(agx.total_active_cores, 8);
	assert_int_equal(ds_dump_next_note(&f, &it, &n), 1);
	assert_true(ds_note_is(&n, "RTKIT", 1));
	assert_int_equal(ds_rtkit_next_section(n.desc, n.desc_size, &pos, &sec), 1);
	assert_string_equal(sec.fourcc, "Cstr");
	assert_int_equal(sec.payload_size, 8);
	assert_string_equal((const char *)sec.payload, "panic!");
	assert_int_equal(ds_rtkit_next_section(n.desc, n.desc_size, &pos, &sec), 0);
	assert_int_equal(ds_dump_next_note(&f, &it, &n), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(damaged_headers),
		cmocka_unit_test(damaged_segments),
		cmocka_unit_test(overlapping_segments_are_read_but_not_searched),
		cmocka_unit_test(damaged_notes),
		cmocka_unit_test(heads_open_without_segment_data),
		cmocka_unit_test(asahi_dumps_decode),
		cmocka_unit_test(interleaved_loads_come_out_in_file_order),
		cmocka_unit_test(a_start_is_refused_by_its_first_bytes),
		cmocka_unit_test(a_head_short_of_section_header_0),
		cmocka_unit_test(hostile_note_lengths_are_refused),
		cmocka_unit_test(the_extent_is_known_from_the_headers),
		cmocka_unit_test(the_head_extent_stops_at_the_notes),
	};

	return cmocka_run_group_tests(tests, make_dump, free_dump);
}
