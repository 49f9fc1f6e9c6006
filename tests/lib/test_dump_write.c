// SPDX-License-Identifier: MIT
/* lib/dump_write.c: the layout DESIGN.md specifies, served the same
 * whatever the read sizes, and read back by lib/dump_parse.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dump_fixture.h"
#include "dump_parse.h"
#include "formats/formats.h"

#define K4 0x1000ULL

static struct ds_pgtable pt;
static const char fw_log[] = "firmware assertion at 0x1234\n";
static const struct ds_blob blobs[] = {
	{ "firmware-log", fw_log, sizeof(fw_log) - 1 },
	{ "regs", "\x01\x02\x03", 3 },
};
static struct ds_segment segs[] = {
	{ .va = 0x10000, .pa = 0x80010000, .size = 3 * K4, .pte = 0x80010000 | 0x1 | 0x2 | (1ULL << 63),
	  .page_shift = 12, .attrs = { DS_PROT_PR | DS_PROT_PW, DS_MEM_CACHED } },
	{ .va = 0x20000, .pa = 0xfe000000, .size = K4, .page_shift = 12,
	  .attrs = { DS_PROT_PR, DS_MEM_DEVICE }, .skip = DS_SKIP_DEVICE },
	{ .va = 0x30000, .pa = 0x90000000, .size = 2 * K4, .page_shift = 12,
	  .attrs = { DS_PROT_PR, DS_MEM_CACHED }, .skip = DS_SKIP_HWPOISON },
	{ .va = 0xffff800000200000ULL, .pa = 0x200000, .size = 0x200000, .page_shift = 21,
	  .attrs = { DS_PROT_PR | DS_PROT_PX, DS_MEM_CACHED } },
};
static struct ds_dump_info info = {
	.device = "0000:03:00.0", .driver = "testgpu", .reason = "firmware assertion",
	.pt = &pt, .time_ns = 1795588782123456789ULL, .e_machine = 183,
};

static int no_memory(void *opaque, uint64_t pa, void *buf, size_t len)
{
	return -EFAULT;
}

static struct ds_dump_writer make_writer(void)
{
	struct ds_pgtable_config cfg = {
		.format = &ds_format_x86_64, .nroots = 1, .roots = { 0x5000 },
		.read_phys = no_memory,
	};
	struct ds_dump_writer w = {
		.info = &info, .segs = segs, .nsegs = DS_ARRAY_SIZE(segs), .blobs = blobs,
		.nblobs = DS_ARRAY_SIZE(blobs), .read_data = fixture_read_data,
	};

	assert_int_equal(ds_pgtable_init(&pt, &cfg, NULL), 0);
	return w;
}

static void odd_read_sizes_give_the_same_bytes(void **state)
{
	struct ds_dump_writer w = make_writer();
	uint64_t size_a, size_b;
	uint8_t *a = fixture_write_dump(&w, 1 << 20, &size_a);
	uint8_t *b = fixture_write_dump(&w, 7, &size_b);

	assert_int_equal(size_a, size_b);
	assert_memory_equal(a, b, size_a);
	free(a);
	free(b);
}

static void layout_matches_the_design(void **state)
{
	struct ds_dump_writer w = make_writer();
	struct ds_dump_file f;
	struct ds_dump_load l;
	uint64_t size;
	uint8_t *d = fixture_write_dump(&w, 4096, &size);

	assert_int_equal(ds_dump_open(&f, d, size), 0);
	assert_int_equal(f.e_machine, 183);
	assert_int_equal(f.phnum, 5);
	assert_int_equal(f.nloads, 4);
	assert_true(f.sorted);
	assert_int_equal(w.data_off % 4096, 0);
	assert_int_equal(size, w.data_off + 3 * K4 + 0x200000);
	/* Saved: the bytes are there, at p_offset. */
	assert_int_equal(ds_dump_load(&f, 0, &l), 0);
	assert_int_equal(l.va, 0x10000);
	assert_int_equal(l.pa, 0x80010000);
	assert_int_equal(l.filesz, 3 * K4);
	assert_int_equal(l.align, K4);
	assert_int_equal(d[l.offset + 0x1234], fixture_byte(0x11234));
	/* PF_R|PF_W, PTE bits 11:0 = 0x003, bits 63:52 = 0x800. */
	assert_int_equal(l.flags, 0x6 | 0x003 << 8 | 0x800u << 20);
	assert_int_equal(ds_dump_load_pte_bits(&l), 0x003 | 0x800ULL << 52);
	/* Unsaved: memsz only, and the reason is in the note. */
	assert_int_equal(ds_dump_load(&f, 1, &l), 0);
	assert_int_equal(l.filesz, 0);
	assert_int_equal(l.memsz, K4);
	assert_int_equal(ds_dump_skip_reason(&f, 0x20000), DS_SKIP_DEVICE);
	assert_int_equal(ds_dump_skip_reason(&f, 0x31000), DS_SKIP_HWPOISON);
	assert_int_equal(ds_dump_skip_reason(&f, 0x10000), DS_SKIP_REASON_COUNT);
	/* The 2M block keeps its alignment and upper-half VA. */
	assert_int_equal(ds_dump_load(&f, 3, &l), 0);
	assert_int_equal(l.va, 0xffff800000200000ULL);
	assert_int_equal(l.align, 0x200000);
	assert_int_equal(d[l.offset + 0x1fffff], fixture_byte(0xffff8000003fffffULL));
	free(d);
}

static void notes_carry_info_skips_and_blobs(void **state)
{
	struct ds_dump_writer w = make_writer();
	struct ds_dump_file f;
	struct ds_note_iter it = { 0 };
	struct ds_note n;
	struct ds_note_info ni;
	struct ds_skipped_range sr;
	struct ds_note_blob blob;
	uint64_t size;
	uint8_t *d = fixture_write_dump(&w, 100, &size);

	assert_int_equal(ds_dump_open(&f, d, size), 0);
	assert_int_equal(ds_dump_next_note(&f, &it, &n), 1);
	assert_true(ds_note_is(&n, DS_NOTE_NAME, DS_NT_INFO));
	assert_int_equal(ds_note_info_decode(&n, &ni), 0);
	assert_string_equal(ni.format, "x86_64");
	assert_string_equal(ni.device, "0000:03:00.0");
	assert_string_equal(ni.driver, "testgpu");
	assert_string_equal(ni.reason, "firmware assertion");
	assert_int_equal(ni.page_size, 4096);
	assert_int_equal(ni.roots[0], 0x5000);
	assert_int_equal(ni.nroots, 1);
	assert_int_equal(ni.va_bits, 48);
	assert_int_equal(ni.time_ns, 1795588782123456789ULL);
	assert_int_equal(ni.nsegs, 4);
	assert_int_equal(ni.mapped, 6 * K4 + 0x200000);
	assert_int_equal(ni.saved, 3 * K4 + 0x200000);
	assert_false(ni.has_pci);

	assert_int_equal(ds_dump_next_note(&f, &it, &n), 1);
	assert_true(ds_note_is(&n, DS_NOTE_NAME, DS_NT_SKIPPED));
	assert_int_equal(ds_note_skipped_at(&n, 1, &sr), 0);
	assert_int_equal(sr.va, 0x30000);
	assert_int_equal(sr.pa, 0x90000000);
	assert_int_equal(sr.size, 2 * K4);
	assert_int_equal(sr.reason, DS_SKIP_HWPOISON);
	assert_int_equal(ds_note_skipped_at(&n, 2, &sr), -EBADMSG);

	for (unsigned i = 0; i < DS_ARRAY_SIZE(blobs); i++) {
		assert_int_equal(ds_dump_next_note(&f, &it, &n), 1);
		assert_true(ds_note_is(&n, DS_NOTE_NAME, DS_NT_BLOB));
		assert_int_equal(ds_note_blob_decode(&n, &blob), 0);
		assert_int_equal(blob.name_len, strlen(blobs[i].name));
		assert_memory_equal(blob.name, blobs[i].name, blob.name_len);
		assert_int_equal(blob.size, blobs[i].size);
		assert_memory_equal(blob.data, blobs[i].data, blob.size);
	}
	assert_int_equal(ds_dump_next_note(&f, &it, &n), 0);
	free(d);
}

static void more_than_65535_segments_use_pn_xnum(void **state)
{
	enum { N = 70000 };
	struct ds_segment *many = calloc(N, sizeof(*many));
	struct ds_dump_writer w = make_writer();
	struct ds_dump_file f;
	struct ds_dump_load l;
	uint32_t idx;
	uint64_t size;
	uint8_t *d;

	assert_non_null(many);
	for (unsigned i = 0; i < N; i++) /* every other page, so none merge */
		many[i] = (struct ds_segment){ .va = 0x2000ULL * i, .pa = 0x1000ULL * i, .size = K4,
					       .page_shift = 12, .attrs = { DS_PROT_PR, 0 },
					       .skip = i % 3 ? DS_SAVED : DS_SKIP_NOT_RAM };
	w.segs = many;
	w.nsegs = N;
	d = fixture_write_dump(&w, 1 << 16, &size);
	assert_int_equal(d[56] | d[57] << 8, 0xffff);
	assert_int_equal(ds_dump_open(&f, d, size), 0);
	assert_int_equal(f.phnum, N + 1);
	assert_int_equal(f.nloads, N);
	assert_int_equal(ds_dump_find(&f, 0x2000ULL * 69999 + 5, &idx), 0);
	assert_int_equal(idx, 69999);
	assert_int_equal(ds_dump_find(&f, 0x1000, &idx), -ENOENT);
	assert_int_equal(ds_dump_load(&f, 69998, &l), 0); /* 69999 % 3 == 0: not saved */
	assert_int_equal(l.filesz, K4);
	assert_int_equal(d[l.offset + 7], fixture_byte(0x2000ULL * 69998 + 7));
	assert_int_equal(ds_dump_skip_reason(&f, 0x2000ULL * 69999), DS_SKIP_NOT_RAM);
	free(d);
	free(many);
}

static void bad_segment_lists_are_refused(void **state)
{
	struct ds_dump_writer w = make_writer();
	struct ds_segment two[2] = {
		{ .va = 0x10000, .size = 2 * K4 }, { .va = 0x11000, .size = K4 },
	};

	w.segs = two;
	w.nsegs = 2;
	assert_int_equal(ds_dump_layout(&w), -EINVAL); /* overlap */
	two[1].va = 0x8000;
	assert_int_equal(ds_dump_layout(&w), -EINVAL); /* unsorted */
	two[1].va = 0x20000;
	two[1].size = 100;
	assert_int_equal(ds_dump_layout(&w), -EINVAL); /* not page sized */
	two[1].size = 0;
	assert_int_equal(ds_dump_layout(&w), -EINVAL);
	two[1] = (struct ds_segment){ .va = ~0ULL - K4 + 1, .size = 2 * K4 };
	assert_int_equal(ds_dump_layout(&w), -EINVAL); /* wraps */
}

/* The last page of the 64-bit space is a segment like any other, but
 * nothing may follow it: its end, va + size, is 0. */
static void a_segment_may_end_at_the_top_and_nothing_follows_it(void **state)
{
	struct ds_dump_writer w = make_writer();
	struct ds_segment two[2] = {
		{ .va = 0x10000, .size = K4 },
		{ .va = ~0ULL - 2 * K4 + 1, .size = 2 * K4 },
	};

	w.segs = two;
	w.nsegs = 2;
	assert_int_equal(ds_dump_layout(&w), 0);
	assert_int_equal(w.mapped_bytes, 3 * K4);
	assert_int_equal(two[1].file_offset, w.data_off + K4);
	assert_int_equal(w.size, w.data_off + 3 * K4);

	two[0] = two[1];
	two[1] = (struct ds_segment){ .va = 0x10000, .size = K4 };
	assert_int_equal(ds_dump_layout(&w), -EINVAL); /* unsorted after the top */
	two[1].va = ~0ULL - K4 + 1;
	assert_int_equal(ds_dump_layout(&w), -EINVAL); /* overlaps the top page */
}

/* Saved bytes past 2^64 cannot have file offsets. */
static void a_file_past_2_64_bytes_is_refused(void **state)
{
	struct ds_dump_writer w = make_writer();
	struct ds_segment two[2] = {
		{ .va = 0, .size = 1ULL << 63 },
		{ .va = 1ULL << 63, .size = 1ULL << 63 },
	};

	w.segs = two;
	w.nsegs = 2;
	w.nblobs = 0;
	assert_int_equal(ds_dump_layout(&w), -EOVERFLOW);
}

/* A PCI function's domain: its fields follow the strings, which a reader
 * that knows only the strings still decodes. */
static void info_carries_a_pci_function(void **state)
{
	static const struct ds_dump_pci pci = {
		.segment = 1, .rid = 0x0318, .domain_id = 4, .iommu_table = 0x2a22000,
	};
	struct ds_dump_writer w = make_writer();
	struct ds_dump_file f;
	struct ds_note_iter it = { 0 };
	struct ds_note n;
	struct ds_note_info ni;
	uint64_t size;
	uint8_t *d;

	info.pci = &pci;
	d = fixture_write_dump(&w, 100, &size);
	info.pci = NULL;
	assert_int_equal(ds_dump_open(&f, d, size), 0);
	assert_int_equal(ds_dump_next_note(&f, &it, &n), 1);
	assert_int_equal(ds_note_info_decode(&n, &ni), 0);
	assert_string_equal(ni.reason, "firmware assertion");
	assert_true(ni.has_pci);
	assert_int_equal(ni.pci.segment, 1);
	assert_int_equal(ni.pci.rid, 0x0318);
	assert_int_equal(ni.pci.domain_id, 4);
	assert_int_equal(ni.pci.iommu_table, 0x2a22000);
	/* Cut to the strings, as an older writer wrote it. */
	n.desc_size -= 20;
	assert_int_equal(ds_note_info_decode(&n, &ni), 0);
	assert_false(ni.has_pci);
	free(d);
}

/* Bytes by PA, as a memory source gives them: aliases read the same. */
static int read_by_pa(void *opaque, const struct ds_segment *seg, uint64_t off, void *buf,
		      size_t len)
{
	uint8_t *b = buf;

	(*(unsigned *)opaque)++;
	for (size_t i = 0; i < len; i++)
		b[i] = fixture_byte(seg->pa + off + i);
	return 0;
}

static struct ds_segment page(uint64_t va, uint64_t pa, uint64_t size)
{
	return (struct ds_segment){ .va = va, .pa = pa, .size = size, .page_shift = 12,
				    .attrs = { DS_PROT_PR, DS_MEM_CACHED } };
}

/* Every saved PT_LOAD of the dump holds the bytes of its PAs. */
static void assert_loads_read_their_pas(const uint8_t *d, uint64_t size, uint32_t nloads)
{
	struct ds_dump_file f;
	struct ds_dump_load l;

	assert_int_equal(ds_dump_open(&f, d, size), 0);
	assert_int_equal(f.nloads, nloads);
	for (uint32_t i = 0; i < nloads; i++) {
		assert_int_equal(ds_dump_load(&f, i, &l), 0);
		for (uint64_t at = 0; at < l.filesz; at += 0x7ff)
			assert_int_equal(d[l.offset + at], fixture_byte(l.pa + at));
		if (l.filesz)
			assert_int_equal(d[l.offset + l.filesz - 1], fixture_byte(l.pa + l.filesz - 1));
	}
}

static void aliases_share_offsets_and_an_unrelated_pa_does_not(void **state)
{
	struct ds_dump_writer w = make_writer();
	struct ds_segment s[] = {
		page(0x10000, 0x80000000, K4),
		page(0x20000, 0x80000000, K4),     /* alias of the first */
		page(0x30000, 0x90000000, 2 * K4), /* unrelated */
		page(0x40000, 0x80000000, K4),     /* alias again */
		page(0x50000, 0x8ffff000, 2 * K4), /* half over the last: its own copy */
		page(0x60000, 0x80000000, K4),     /* same PA, not saved */
	};
	struct ds_share_entry index[DS_ARRAY_SIZE(s)];
	unsigned reads = 0;
	uint64_t size_a, size_b;
	uint8_t *a, *b;

	s[5].skip = DS_SKIP_BUDGET;
	w.segs = s;
	w.nsegs = DS_ARRAY_SIZE(s);
	w.nblobs = 0;
	w.index = index;
	w.index_cap = DS_ARRAY_SIZE(index);
	w.read_data = read_by_pa;
	w.opaque = &reads;
	a = fixture_write_dump(&w, 1 << 20, &size_a);
	assert_int_equal(w.nshared, 2);
	assert_true(s[1].shared && s[3].shared && !s[0].shared && !s[2].shared && !s[4].shared);
	assert_int_equal(s[1].file_offset, s[0].file_offset);
	assert_int_equal(s[3].file_offset, s[0].file_offset);
	assert_int_not_equal(s[2].file_offset, s[0].file_offset);
	assert_int_equal(s[4].file_offset, s[2].file_offset + 2 * K4);
	assert_int_equal(w.saved_bytes, 7 * K4);
	assert_int_equal(w.file_bytes, 5 * K4);
	assert_int_equal(size_a, w.data_off + 5 * K4);
	assert_int_equal(reads, 3); /* each holder read once, nothing for the aliases */
	b = fixture_write_dump(&w, 7, &size_b);
	assert_int_equal(size_a, size_b);
	assert_memory_equal(a, b, size_a);
	assert_loads_read_their_pas(a, size_a, DS_ARRAY_SIZE(s));
	free(a);
	free(b);
}

/* A page of a 2M block mapped on its own, before the block in VA order:
 * it points into the block's bytes, later in the file. */
static void an_alias_of_a_blocks_sub_range_points_into_the_block(void **state)
{
	struct ds_dump_writer w = make_writer();
	struct ds_segment s[] = {
		page(0x1000, 0x203000, K4),
		page(0x200000, 0x200000, 0x200000),
		page(0x400000, 0x3ff000, 2 * K4), /* the block's last page and the next */
	};
	struct ds_share_entry index[DS_ARRAY_SIZE(s)];
	unsigned reads = 0;
	uint64_t size;
	uint8_t *d;

	w.segs = s;
	w.nsegs = DS_ARRAY_SIZE(s);
	w.index = index;
	w.index_cap = DS_ARRAY_SIZE(index);
	w.read_data = read_by_pa;
	w.opaque = &reads;
	d = fixture_write_dump(&w, 4096, &size);
	assert_true(s[0].shared && !s[1].shared && !s[2].shared);
	assert_int_equal(s[0].file_offset, s[1].file_offset + 0x3000);
	assert_true(s[0].file_offset > s[2].file_offset - 0x200000);
	assert_int_equal(w.file_bytes, 0x200000 + 2 * K4);
	assert_loads_read_their_pas(d, size, DS_ARRAY_SIZE(s));
	free(d);
}

/* A list laid out again after a shared segment was cut out as skipped (the
 * kernel does this when a page fails its copy): the stale flag counts for
 * nothing, the SKIPPED note has an entry for it. */
static void a_skipped_segment_laid_out_again_is_counted_skipped(void **state)
{
	struct ds_dump_writer w = make_writer();
	struct ds_segment s[] = { page(0x10000, 0x80000000, K4), page(0x20000, 0x80000000, K4) };
	struct ds_segment fresh[] = { s[0], s[1] };
	struct ds_share_entry index[2];
	u32 skipped_size;

	fresh[1].skip = DS_SKIP_HWPOISON;
	w.segs = fresh;
	w.nsegs = 2;
	w.nblobs = 0;
	w.index = index;
	w.index_cap = 2;
	assert_int_equal(ds_dump_layout(&w), 0);
	skipped_size = w.skipped_size;

	w.segs = s;
	assert_int_equal(ds_dump_layout(&w), 0);
	assert_true(s[1].shared);
	s[1].skip = DS_SKIP_HWPOISON;
	assert_int_equal(ds_dump_layout(&w), 0);
	assert_int_equal(w.nskipped, 1);
	assert_int_equal(w.skipped_size, skipped_size);
	assert_int_equal(w.nshared, 0);
	assert_false(s[1].shared);
	assert_int_equal(w.saved_bytes, K4);
	assert_int_equal(w.file_bytes, K4);
}

/* The index must have room for every segment; without one, nothing is shared. */
static void the_index_bound_is_checked_and_no_index_shares_nothing(void **state)
{
	struct ds_dump_writer w = make_writer();
	struct ds_segment s[] = { page(0x10000, 0x80000000, K4), page(0x20000, 0x80000000, K4) };
	struct ds_share_entry index[2];

	w.segs = s;
	w.nsegs = 2;
	w.index = index;
	w.index_cap = 1;
	assert_int_equal(ds_dump_layout(&w), -EINVAL);
	w.index = NULL;
	w.index_cap = 0;
	assert_int_equal(ds_dump_layout(&w), 0);
	assert_int_equal(w.nshared, 0);
	assert_int_equal(s[1].file_offset, s[0].file_offset + K4);
	assert_int_equal(w.file_bytes, 2 * K4);
}

/* espfix: one page mapped 65536 times is stored once. */
static void a_page_mapped_65536_times_is_stored_once(void **state)
{
	enum { N = 65536 };
	struct ds_dump_writer w = make_writer();
	struct ds_segment *s = calloc(N, sizeof(*s));
	struct ds_share_entry *index = calloc(N, sizeof(*index));
	unsigned reads = 0;
	uint64_t size;
	uint8_t *d;

	assert_non_null(s);
	assert_non_null(index);
	for (size_t i = 0; i < N; i++)
		s[i] = page(0xffffff0000000000ULL + i * 0x10000, 0x7000, K4);
	w.segs = s;
	w.nsegs = N;
	w.index = index;
	w.index_cap = N;
	w.read_data = read_by_pa;
	w.opaque = &reads;
	d = fixture_write_dump(&w, 1 << 20, &size);
	assert_int_equal(w.nshared, N - 1);
	assert_int_equal(w.nholders, 1);
	assert_int_equal(w.saved_bytes, (uint64_t)N * K4);
	assert_int_equal(size, w.data_off + K4);
	assert_int_equal(s[N - 1].file_offset, w.data_off);
	assert_loads_read_their_pas(d, size, N);
	free(d);
	free(index);
	free(s);
}

/* Against the definition, on 3000 segments of 1-4 pages at 64 PAs in
 * shuffled order: shared exactly when another saved range holds it (of
 * equal ranges, the first), and pointing into a holder at its own PA. */
static void sharing_matches_the_definition_on_shuffled_ranges(void **state)
{
	enum { N = 3000 };
	struct ds_dump_writer w = make_writer();
	struct ds_segment *s = calloc(N, sizeof(*s));
	struct ds_share_entry *index = calloc(N, sizeof(*index));
	unsigned seed = 12345, expected = 0;

	assert_non_null(s);
	assert_non_null(index);
	for (size_t i = 0; i < N; i++) {
		seed = seed * 1103515245 + 12345;
		s[i] = page(0x100000000ULL + i * 0x10000, ((seed >> 8) % 64) * K4,
			    (1 + (seed >> 20) % 4) * K4);
		s[i].skip = (seed >> 28) % 8 == 0 ? DS_SKIP_BUDGET : DS_SAVED;
	}
	w.segs = s;
	w.nsegs = N;
	w.index = index;
	w.index_cap = N;
	assert_int_equal(ds_dump_layout(&w), 0);
	for (size_t i = 0; i < N; i++) {
		bool held = false;

		for (size_t j = 0; j < N && s[i].skip == DS_SAVED && !held; j++)
			held = j != i && s[j].skip == DS_SAVED && s[j].pa <= s[i].pa &&
			       s[j].pa + s[j].size >= s[i].pa + s[i].size &&
			       (s[j].pa != s[i].pa || s[j].size != s[i].size || j < i);
		assert_int_equal(s[i].shared, held);
		expected += held;
	}
	assert_int_equal(w.nshared, expected);
	for (size_t i = 0; i < N; i++) {
		size_t j = 0;

		if (!s[i].shared)
			continue;
		for (; j < N; j++) /* the holder whose bytes it points into */
			if (!s[j].shared && s[j].skip == DS_SAVED &&
			    s[i].file_offset - s[j].file_offset < s[j].size)
				break;
		assert_true(j < N);
		assert_int_equal(s[i].file_offset - s[j].file_offset, s[i].pa - s[j].pa);
		assert_true(s[i].pa + s[i].size <= s[j].pa + s[j].size);
	}
	free(index);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(odd_read_sizes_give_the_same_bytes),
		cmocka_unit_test(layout_matches_the_design),
		cmocka_unit_test(notes_carry_info_skips_and_blobs),
		cmocka_unit_test(info_carries_a_pci_function),
		cmocka_unit_test(more_than_65535_segments_use_pn_xnum),
		cmocka_unit_test(bad_segment_lists_are_refused),
		cmocka_unit_test(a_segment_may_end_at_the_top_and_nothing_follows_it),
		cmocka_unit_test(a_file_past_2_64_bytes_is_refused),
		cmocka_unit_test(aliases_share_offsets_and_an_unrelated_pa_does_not),
		cmocka_unit_test(an_alias_of_a_blocks_sub_range_points_into_the_block),
		cmocka_unit_test(the_index_bound_is_checked_and_no_index_shares_nothing),
		cmocka_unit_test(a_skipped_segment_laid_out_again_is_counted_skipped),
		cmocka_unit_test(a_page_mapped_65536_times_is_stored_once),
		cmocka_unit_test(sharing_matches_the_definition_on_shuffled_ranges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
