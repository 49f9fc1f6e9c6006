// SPDX-License-Identifier: MIT
/*
 * The dump writer.  The layout is computed once; every byte of the file
 * is then generated on demand for the window [off, off + len): the ELF
 * header, the program headers and the notes from the segment list, the
 * data through read_data.  Nothing is assembled in one buffer, which is
 * what devcoredump's read callback and a streaming writer need.
 *
 *   ELF header | PT_NOTE, PT_LOAD... | [section header 0] | notes | pad | data
 */
#include "dump.h"
#include "dump_share.h"
#include "elf_layout.h"

#define DATA_ALIGN 4096ULL
#define NOTE_NAME_SIZE 8 /* "DEVSNAP\0" */

static const char *const skip_names[DS_SKIP_REASON_COUNT] = {
	[DS_SAVED] = "saved",
	[DS_SKIP_NOT_RAM] = "not-ram",
	[DS_SKIP_OFFLINE] = "offline",
	[DS_SKIP_HWPOISON] = "hwpoison",
	[DS_SKIP_DEVICE] = "device-memory",
	[DS_SKIP_BUDGET] = "over-budget",
	[DS_SKIP_READ_ERROR] = "read-error",
};

const char *ds_skip_reason_name(enum ds_skip_reason r)
{
	return (unsigned int)r < DS_SKIP_REASON_COUNT ? skip_names[r] : "unknown";
}

u32 ds_segment_p_flags(const struct ds_segment *seg)
{
	u8 p = seg->attrs.prot | seg->attrs.prot >> 3; /* either accessor */
	u32 flags = (p & DS_PROT_PR ? PF_R : 0) | (p & DS_PROT_PW ? PF_W : 0) |
			 (p & DS_PROT_PX ? PF_X : 0);

	return flags | (u32)(seg->pte & 0xfff) << 8 | (u32)(seg->pte >> 52) << 20;
}

static u64 str_size(const char *s)
{
	u64 n = 0;

	while (s && s[n])
		n++;
	return n + 1;
}

static const char *format_name(const struct ds_dump_info *info)
{
	return info->pt ? info->pt->fmt->name : "";
}

static u64 info_desc_size(const struct ds_dump_info *info)
{
	return INFO_STRINGS + str_size(format_name(info)) + str_size(info->device) +
	       str_size(info->driver) + str_size(info->reason) + (info->pci ? INFO_PCI_SIZE : 0);
}

static u64 note_size(u64 desc)
{
	return ELF_NHDR_SIZE + NOTE_NAME_SIZE + ds_align_up(desc, 4);
}

static u64 blob_desc_size(const struct ds_blob *b)
{
	return BLOB_HEADER + ds_align_up(str_size(b->name) - 1, 4) + b->size;
}

/* Checks the segments, gives each its file offset, totals what is saved.
 * Compares last addresses, never ends: a segment may end at 2^64, and
 * then nothing may follow it.  A shared segment's file_offset names its
 * holder until place_shared() makes it an offset.
 */
static int layout_segments(struct ds_dump_writer *w, u64 data_off)
{
	u64 cursor = data_off, prev_last = 0;

	w->mapped_bytes = 0;
	w->saved_bytes = 0;
	w->nskipped = 0;
	for (size_t i = 0; i < w->nsegs; i++) {
		struct ds_segment *s = &w->segs[i];

		if (!s->size || (s->size | s->va) & (DATA_ALIGN - 1) ||
		    s->va + (s->size - 1) < s->va)
			return -EINVAL;
		if (i && s->va <= prev_last)
			return -EINVAL; /* unsorted or overlapping */
		prev_last = s->va + (s->size - 1);
		if (w->mapped_bytes + s->size < w->mapped_bytes)
			return -EOVERFLOW;
		w->mapped_bytes += s->size;
		/* Only a saved segment is shared: a flag left on one skipped since
		 * an earlier layout counts for nothing.
		 */
		if (w->index && s->shared && s->skip == DS_SAVED) {
			w->saved_bytes += s->size;
			continue;
		}
		s->file_offset = cursor;
		if (s->skip == DS_SAVED) {
			if (cursor + s->size < cursor)
				return -EOVERFLOW; /* the file would pass 2^64 bytes */
			cursor += s->size;
			w->saved_bytes += s->size;
		} else {
			w->nskipped++;
		}
	}
	w->size = cursor;
	w->file_bytes = cursor - data_off;
	return 0;
}

/* With an index: shared segments point into their holders' bytes, and
 * the index lists the holders in file order for ds_dump_read.
 */
static void place_shared(struct ds_dump_writer *w)
{
	w->nholders = 0;
	for (size_t i = 0; i < w->nsegs; i++) {
		struct ds_segment *s = &w->segs[i];

		if (s->shared)
			s->file_offset = w->segs[s->file_offset].file_offset +
					 (s->pa - w->segs[s->file_offset].pa);
		else if (s->skip == DS_SAVED)
			w->index[w->nholders++].seg = (u32)i;
	}
}

int ds_dump_layout(struct ds_dump_writer *w)
{
	u64 notes = 0, info = info_desc_size(w->info), skipped;
	int r;

	if (w->nsegs >= 0xffffffffULL - 1)
		return -EOVERFLOW;
	w->nphdrs = (u32)w->nsegs + 1;
	w->phdr_off = ELF_EHDR_SIZE;
	w->shdr_off = w->nphdrs >= PN_XNUM ? w->phdr_off + (u64)w->nphdrs * ELF_PHDR_SIZE : 0;
	w->notes_off =
	    w->phdr_off + (u64)w->nphdrs * ELF_PHDR_SIZE + (w->shdr_off ? ELF_SHDR_SIZE : 0);
	w->nshared = 0;
	w->nholders = 0;
	if (w->index && w->index_cap < w->nsegs)
		return -EINVAL;
	/* Count the skipped segments first: the SKIPPED note's size needs it. */
	r = layout_segments(w, 0);
	if (r < 0)
		return r;
	if (w->index)
		w->nshared = (u32)ds_dump_find_shared(w->segs, w->nsegs, w->index,
						      w->index_cap - w->nsegs >= w->nsegs ?
						      w->index + w->nsegs : NULL);
	skipped = SKIPPED_HEADER + (u64)w->nskipped * SKIPPED_ENTRY;
	if (info > 0xffffffffULL || skipped > 0xffffffffULL)
		return -EOVERFLOW;
	w->info_size = (u32)info;
	w->skipped_size = (u32)skipped;
	notes = note_size(info) + note_size(skipped);
	for (size_t i = 0; i < w->nblobs; i++) {
		if (blob_desc_size(&w->blobs[i]) > 0xffffffffULL)
			return -EOVERFLOW;
		notes += note_size(blob_desc_size(&w->blobs[i]));
	}
	w->notes_size = notes;
	w->data_off = ds_align_up(w->notes_off + notes, DATA_ALIGN);
	r = layout_segments(w, w->data_off);
	if (r == 0 && w->index)
		place_shared(w);
	return r;
}

/* Copies the part of a generated piece that falls in the read window. */
struct window {
	u64 pos;   /* file offset of the next piece */
	u64 start; /* the window */
	u64 end;
	u8 *buf;
};

static bool window_past(const struct window *win)
{
	return win->pos >= win->end;
}

/* Skips a piece wholly before the window: true if it did. */
static bool window_skip(struct window *win, u64 n)
{
	if (win->pos + n > win->start)
		return false;
	win->pos += n;
	return true;
}

static void window_put(struct window *win, const void *src, u64 n)
{
	u64 lo = win->pos > win->start ? win->pos : win->start;
	u64 hi = win->pos + n < win->end ? win->pos + n : win->end;

	if (lo < hi) {
		if (src)
			ds_memcpy(win->buf + (lo - win->start), (const u8 *)src + (lo - win->pos),
				  hi - lo);
		else
			ds_memset(win->buf + (lo - win->start), 0, hi - lo);
	}
	win->pos += n;
}

static void put_elf_header(const struct ds_dump_writer *w, struct window *win)
{
	u8 h[ELF_EHDR_SIZE] = { 0x7f, 'E', 'L', 'F', ELFCLASS64, ELFDATA2LSB, EV_CURRENT };

	if (window_skip(win, sizeof(h)))
		return;
	ds_put_le(h + EH_TYPE, ET_CORE, 2);
	ds_put_le(h + EH_MACHINE, w->info->e_machine, 2);
	ds_put_le(h + EH_EVERSION, EV_CURRENT, 4);
	ds_put_le(h + EH_PHOFF, w->phdr_off, 8);
	ds_put_le(h + EH_SHOFF, w->shdr_off, 8);
	ds_put_le(h + EH_EHSIZE, ELF_EHDR_SIZE, 2);
	ds_put_le(h + EH_PHENTSIZE, ELF_PHDR_SIZE, 2);
	ds_put_le(h + EH_PHNUM, w->shdr_off ? PN_XNUM : w->nphdrs, 2);
	if (w->shdr_off) {
		ds_put_le(h + EH_SHENTSIZE, ELF_SHDR_SIZE, 2);
		ds_put_le(h + EH_SHNUM, 1, 2);
	}
	window_put(win, h, sizeof(h));
}

static void put_phdr(struct window *win, u32 type, u32 flags, u64 offset,
		     u64 va, u64 pa, u64 filesz, u64 memsz, u64 align)
{
	u8 p[ELF_PHDR_SIZE];

	ds_put_le(p + PH_TYPE, type, 4);
	ds_put_le(p + PH_FLAGS, flags, 4);
	ds_put_le(p + PH_OFFSET, offset, 8);
	ds_put_le(p + PH_VADDR, va, 8);
	ds_put_le(p + PH_PADDR, pa, 8);
	ds_put_le(p + PH_FILESZ, filesz, 8);
	ds_put_le(p + PH_MEMSZ, memsz, 8);
	ds_put_le(p + PH_ALIGN, align, 8);
	window_put(win, p, sizeof(p));
}

static void put_phdrs(const struct ds_dump_writer *w, struct window *win)
{
	size_t first = 0;

	if (!window_skip(win, ELF_PHDR_SIZE))
		put_phdr(win, PT_NOTE, PF_R, w->notes_off, 0, 0, w->notes_size, 0, 4);
	/* Jump straight to the first program header in the window. */
	if (win->start > win->pos) {
		first = (win->start - win->pos) / ELF_PHDR_SIZE;
		first = first < w->nsegs ? first : w->nsegs;
		win->pos += first * ELF_PHDR_SIZE;
	}
	for (size_t i = first; i < w->nsegs && !window_past(win); i++) {
		const struct ds_segment *s = &w->segs[i];
		bool saved = s->skip == DS_SAVED;

		put_phdr(win, PT_LOAD, ds_segment_p_flags(s), s->file_offset, s->va, s->pa,
			 saved ? s->size : 0, s->size, 1ULL << s->page_shift);
	}
	win->pos = w->phdr_off + (u64)w->nphdrs * ELF_PHDR_SIZE;
}

static void put_extnum_shdr(const struct ds_dump_writer *w, struct window *win)
{
	u8 sh[ELF_SHDR_SIZE] = { 0 };

	if (!w->shdr_off || window_skip(win, sizeof(sh)))
		return;
	ds_put_le(sh + SH_INFO, w->nphdrs, 4);
	window_put(win, sh, sizeof(sh));
}

static void put_note_header(struct window *win, u32 type, u64 desc_size)
{
	u8 h[ELF_NHDR_SIZE + NOTE_NAME_SIZE] = { 0 };

	ds_put_le(h, NOTE_NAME_SIZE, 4);
	ds_put_le(h + 4, desc_size, 4);
	ds_put_le(h + 8, type, 4);
	ds_memcpy(h + ELF_NHDR_SIZE, DS_NOTE_NAME, sizeof(DS_NOTE_NAME));
	window_put(win, h, sizeof(h));
}

static void put_string(struct window *win, const char *s)
{
	window_put(win, s ? s : "", str_size(s));
}

static void put_info_pci(struct window *win, const struct ds_dump_pci *pci)
{
	u8 d[INFO_PCI_SIZE];

	ds_put_le(d + INFO_PCI_FLAGS, INFO_PCI_PRESENT, 4);
	ds_put_le(d + INFO_PCI_SEGMENT, pci->segment, 2);
	ds_put_le(d + INFO_PCI_RID, pci->rid, 2);
	ds_put_le(d + INFO_PCI_DOMAIN, pci->domain_id, 4);
	ds_put_le(d + INFO_PCI_TABLE, pci->iommu_table, 8);
	window_put(win, d, sizeof(d));
}

static void put_info_note(const struct ds_dump_writer *w, struct window *win)
{
	const struct ds_dump_info *info = w->info;
	const struct ds_pgtable *pt = info->pt;
	u8 d[INFO_STRINGS] = { 0 };

	if (window_skip(win, note_size(w->info_size)))
		return;
	put_note_header(win, DS_NT_INFO, w->info_size);
	ds_put_le(d + INFO_VERSION, DS_NOTE_VERSION, 4);
	ds_put_le(d + INFO_TIME, info->time_ns, 8);
	if (pt) {
		ds_put_le(d + INFO_PAGE_SIZE, 1u << pt->fmt->page_shift, 4);
		for (unsigned int i = 0; i < pt->cfg.nroots; i++)
			ds_put_le(d + INFO_ROOTS + 8 * i, pt->cfg.roots[i], 8);
		ds_put_le(d + INFO_NROOTS, pt->cfg.nroots, 4);
		ds_put_le(d + INFO_VA_BITS, pt->cfg.va_bits, 4);
		ds_put_le(d + INFO_FLAGS, pt->cfg.upper_half ? INFO_UPPER_HALF : 0, 4);
	}
	ds_put_le(d + INFO_NSEGS, w->nsegs, 4);
	ds_put_le(d + INFO_MAPPED, w->mapped_bytes, 8);
	ds_put_le(d + INFO_SAVED, w->saved_bytes, 8);
	window_put(win, d, sizeof(d));
	put_string(win, format_name(info));
	put_string(win, info->device);
	put_string(win, info->driver);
	put_string(win, info->reason);
	if (info->pci)
		put_info_pci(win, info->pci);
	window_put(win, NULL, ds_align_up(w->info_size, 4) - w->info_size);
}

static void put_skipped_note(const struct ds_dump_writer *w, struct window *win)
{
	u8 h[SKIPPED_HEADER];

	if (window_skip(win, note_size(w->skipped_size)))
		return;
	put_note_header(win, DS_NT_SKIPPED, w->skipped_size);
	ds_put_le(h, DS_NOTE_VERSION, 4);
	ds_put_le(h + 4, w->nskipped, 4);
	window_put(win, h, sizeof(h));
	for (size_t i = 0; i < w->nsegs && !window_past(win); i++) {
		const struct ds_segment *s = &w->segs[i];
		u8 e[SKIPPED_ENTRY] = { 0 };

		if (s->skip == DS_SAVED || window_skip(win, SKIPPED_ENTRY))
			continue;
		ds_put_le(e, s->va, 8);
		ds_put_le(e + 8, s->pa, 8);
		ds_put_le(e + 16, s->size, 8);
		ds_put_le(e + 24, s->skip, 4);
		window_put(win, e, sizeof(e));
	}
}

static void put_blob_note(struct window *win, const struct ds_blob *b)
{
	u64 desc = blob_desc_size(b), name = str_size(b->name) - 1;
	u8 h[BLOB_HEADER];

	if (window_skip(win, note_size(desc)))
		return;
	put_note_header(win, DS_NT_BLOB, desc);
	ds_put_le(h, name, 4);
	window_put(win, h, sizeof(h));
	window_put(win, b->name, name);
	window_put(win, NULL, ds_align_up(name, 4) - name);
	window_put(win, b->data, b->size);
	window_put(win, NULL, ds_align_up(desc, 4) - desc);
}

static void put_notes(const struct ds_dump_writer *w, struct window *win)
{
	win->pos = w->notes_off;
	put_info_note(w, win);
	put_skipped_note(w, win);
	for (size_t i = 0; i < w->nblobs && !window_past(win); i++)
		put_blob_note(win, &w->blobs[i]);
	win->pos = w->notes_off + w->notes_size;
	window_put(win, NULL, w->data_off - win->pos); /* padding to the data */
}

/* The segments whose file offsets rise with the file: with an index, the
 * holders it lists; without, every segment (the unsaved hold nothing).
 */
static size_t nholders(const struct ds_dump_writer *w)
{
	return w->index ? w->nholders : w->nsegs;
}

static const struct ds_segment *holder(const struct ds_dump_writer *w, size_t i)
{
	return &w->segs[w->index ? w->index[i].seg : i];
}

/* The last holder whose data starts at or before off. */
static size_t segment_index_at(const struct ds_dump_writer *w, u64 off)
{
	size_t lo = 0, hi = nholders(w);

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (holder(w, mid)->file_offset <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* The saved segment holding file offset off, searching forward from i:
 * one binary search per read, then a step per segment, so reading many
 * small segments costs what copying them does.
 */
static const struct ds_segment *saved_segment(const struct ds_dump_writer *w, size_t *i,
					      u64 off)
{
	for (; *i < nholders(w); (*i)++) {
		const struct ds_segment *s = holder(w, *i);

		if (s->skip == DS_SAVED && off - s->file_offset < s->size)
			return off >= s->file_offset ? s : NULL;
	}
	return NULL;
}

static int put_data(const struct ds_dump_writer *w, struct window *win)
{
	u64 off = win->start > w->data_off ? win->start : w->data_off;
	size_t i = nholders(w) ? segment_index_at(w, off) : 0;

	while (off < win->end && off < w->size) {
		const struct ds_segment *s = saved_segment(w, &i, off);
		u64 in, n;
		int r;

		if (!s)
			return -EIO; /* segments changed since ds_dump_layout */
		in = off - s->file_offset;
		n = s->size - in;
		if (n > win->end - off)
			n = win->end - off;
		r = w->read_data(w->opaque, s, in, win->buf + (off - win->start), n);
		if (r < 0)
			return r;
		off += n;
	}
	return 0;
}

s64 ds_dump_read(const struct ds_dump_writer *w, u64 off, void *buf, size_t len)
{
	struct window win = { 0, off, off, buf };
	int r;

	if (off >= w->size)
		return 0;
	win.end = len < w->size - off ? off + len : w->size;
	if (off < w->data_off) {
		put_elf_header(w, &win);
		put_phdrs(w, &win);
		put_extnum_shdr(w, &win);
		if (!window_past(&win))
			put_notes(w, &win);
	}
	r = put_data(w, &win);
	if (r < 0)
		return r;
	return (s64)(win.end - win.start);
}
