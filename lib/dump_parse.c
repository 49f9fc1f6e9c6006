// SPDX-License-Identifier: MIT
/*
 * The dump parser.  The file is untrusted: every field is range-checked
 * with overflow-safe arithmetic before it is used, and the first problem
 * found is reported with its file offset.
 */
#include "dump_parse.h"
#include "elf_layout.h"

static int bad(struct ds_dump_file *f, const char *what, u64 off)
{
	f->error = what;
	f->error_offset = off;
	return -EBADMSG;
}

/* [off, off + len) lies inside [0, size). */
static bool inside(u64 size, u64 off, u64 len)
{
	return off <= size && len <= size - off;
}

static const u8 *phdr_at(const struct ds_dump_file *f, u32 i)
{
	return f->buf + f->phoff + (u64)i * ELF_PHDR_SIZE;
}

static void read_load(const u8 *p, struct ds_dump_load *l)
{
	l->flags = (u32)ds_get_le(p + PH_FLAGS, 4);
	l->offset = ds_get_le(p + PH_OFFSET, 8);
	l->va = ds_get_le(p + PH_VADDR, 8);
	l->pa = ds_get_le(p + PH_PADDR, 8);
	l->filesz = ds_get_le(p + PH_FILESZ, 8);
	l->memsz = ds_get_le(p + PH_MEMSZ, 8);
	l->align = ds_get_le(p + PH_ALIGN, 8);
}

/* What the first bytes alone can refute; len may be short of a header. */
static int check_ident(struct ds_dump_file *f, const u8 *h, u64 len)
{
	if (len >= 4 && ds_memcmp(h, "\177ELF", 4))
		return bad(f, "not an ELF file", 0);
	if (len > EH_DATA && (h[EH_CLASS] != ELFCLASS64 || h[EH_DATA] != ELFDATA2LSB))
		return bad(f, "not a little-endian ELF64 file", EH_CLASS);
	if (len >= EH_TYPE + 2 && ds_get_le(h + EH_TYPE, 2) != ET_CORE)
		return bad(f, "not an ELF core file (e_type is not ET_CORE)", EH_TYPE);
	if (len >= EH_PHENTSIZE + 2 && ds_get_le(h + EH_PHENTSIZE, 2) != ELF_PHDR_SIZE)
		return bad(f, "program header size is not 56", EH_PHENTSIZE);
	return 0;
}

int ds_dump_check_start(struct ds_dump_file *f, const void *head, u64 len)
{
	ds_memset(f, 0, sizeof(*f));
	return check_ident(f, head, len);
}

/* off + len, or the top of the 64-bit range if that wraps. */
static u64 end_of(u64 off, u64 len)
{
	return off + len < off ? ~0ULL : off + len;
}

static u64 max_of(u64 a, u64 b)
{
	return a > b ? a : b;
}

/* ds_dump_extent, counting segments' data only with loads. */
static int reach(const void *head, u64 len, u64 *end, bool loads)
{
	const u8 *h = head;
	u64 phoff, phnum, shoff, tables;

	if (len < ELF_EHDR_SIZE) {
		*end = ELF_EHDR_SIZE;
		return 1;
	}
	phoff = ds_get_le(h + EH_PHOFF, 8);
	phnum = ds_get_le(h + EH_PHNUM, 2);
	shoff = ds_get_le(h + EH_SHOFF, 8);
	tables = max_of(ELF_EHDR_SIZE, end_of(shoff, ds_get_le(h + EH_SHNUM, 2) *
					  ds_get_le(h + EH_SHENTSIZE, 2)));
	if (phnum == PN_XNUM && shoff) {
		*end = end_of(shoff, ELF_SHDR_SIZE);
		if (len < *end)
			return 1;
		phnum = ds_get_le(h + shoff + SH_INFO, 4);
	}
	tables = max_of(tables, end_of(phoff, phnum * ELF_PHDR_SIZE));
	if (len < tables) {
		*end = tables;
		return 1;
	}
	*end = tables;
	for (u64 i = 0; i < phnum; i++) {
		const u8 *p = h + phoff + i * ELF_PHDR_SIZE;
		u32 type = (u32)ds_get_le(p + PH_TYPE, 4);

		if ((loads && type == PT_LOAD) || type == PT_NOTE)
			*end = max_of(*end, end_of(ds_get_le(p + PH_OFFSET, 8),
						   ds_get_le(p + PH_FILESZ, 8)));
	}
	return 0;
}

int ds_dump_extent(const void *head, u64 len, u64 *end)
{
	return reach(head, len, end, true);
}

int ds_dump_head_extent(const void *head, u64 len, u64 *end)
{
	return reach(head, len, end, false);
}

static int check_header(struct ds_dump_file *f)
{
	const u8 *h = f->buf;
	u64 phnum;
	int r;

	if (f->len < ELF_EHDR_SIZE)
		return bad(f, f->len < f->size ? "ELF header cut short by the end of the head"
					       : "shorter than an ELF header", 0);
	r = check_ident(f, h, f->len);
	if (r < 0)
		return r;
	f->e_machine = (u16)ds_get_le(h + EH_MACHINE, 2);
	f->phoff = ds_get_le(h + EH_PHOFF, 8);
	phnum = ds_get_le(h + EH_PHNUM, 2);
	if (phnum == PN_XNUM) {
		u64 shoff = ds_get_le(h + EH_SHOFF, 8);

		if (shoff && f->len < f->size && !inside(f->len, shoff, ELF_SHDR_SIZE) &&
		    inside(f->size, shoff, ELF_SHDR_SIZE))
			return bad(f, "section header 0 (for e_phnum PN_XNUM) is past the end of the "
				   "head", EH_SHOFF);
		if (!shoff || !inside(f->len, shoff, ELF_SHDR_SIZE))
			return bad(f, "e_phnum is PN_XNUM but section header 0 is missing", EH_SHOFF);
		phnum = ds_get_le(f->buf + shoff + SH_INFO, 4);
	}
	if (!phnum)
		return bad(f, "no program headers", EH_PHNUM);
	if (!inside(f->len, f->phoff, phnum * ELF_PHDR_SIZE))
		return bad(f, f->len < f->size ? "program headers run past the end of the head"
					       : "program headers run past the end of the file",
			   EH_PHOFF);
	f->phnum = (u32)phnum;
	return 0;
}

static int check_load(struct ds_dump_file *f, u32 i, u64 *prev_end)
{
	u64 where = f->phoff + (u64)i * ELF_PHDR_SIZE;
	struct ds_dump_load l;

	read_load(phdr_at(f, i), &l);
	if (l.filesz > l.memsz)
		return bad(f, "segment has more file bytes than memory bytes", where + PH_FILESZ);
	if (!inside(f->size, l.offset, l.filesz))
		return bad(f, "segment data runs past the end of the file", where + PH_OFFSET);
	if (!l.memsz || l.va + (l.memsz - 1) < l.va)
		return bad(f, "segment is empty or wraps around the address space", where + PH_MEMSZ);
	if (!f->nloads)
		f->first_load = i;
	else if (f->first_load + f->nloads != i)
		f->loads_contiguous = false;
	if (f->nloads && l.va < *prev_end)
		f->sorted = false;
	*prev_end = l.va + l.memsz; /* 0 if it ends at the top: then nothing may follow */
	if (!*prev_end)
		*prev_end = ~0ULL;
	f->nloads++;
	return 0;
}

static int check_phdrs(struct ds_dump_file *f)
{
	u64 prev_end = 0;

	f->loads_contiguous = f->sorted = true;
	for (u32 i = 0; i < f->phnum; i++) {
		const u8 *p = phdr_at(f, i);
		u32 type = (u32)ds_get_le(p + PH_TYPE, 4);
		int r = 0;

		if (type == PT_LOAD)
			r = check_load(f, i, &prev_end);
		else if (type == PT_NOTE && !inside(f->len, ds_get_le(p + PH_OFFSET, 8),
						     ds_get_le(p + PH_FILESZ, 8)))
			r = bad(f, f->len < f->size ? "notes run past the end of the head"
						    : "notes run past the end of the file",
				f->phoff + (u64)i * ELF_PHDR_SIZE);
		if (r < 0)
			return r;
	}
	f->sorted = f->sorted && f->loads_contiguous;
	return 0;
}

/* Finds the DEVSNAP SKIPPED note, checking every note on the way. */
static int index_notes(struct ds_dump_file *f)
{
	struct ds_note_iter it = { 0 };
	struct ds_note n;
	int r;

	while ((r = ds_dump_next_note(f, &it, &n)) == 1) {
		u32 count;

		if (!ds_note_is(&n, DS_NOTE_NAME, DS_NT_SKIPPED))
			continue;
		if (ds_note_skipped_count(&n, &count) < 0)
			return bad(f, "DEVSNAP skipped-ranges note is malformed", n.offset);
		f->skipped = n.desc + SKIPPED_HEADER;
		f->nskipped_entries = count;
	}
	return r;
}

int ds_dump_open_head(struct ds_dump_file *f, const void *head, u64 head_len,
		      u64 file_size)
{
	int r;

	ds_memset(f, 0, sizeof(*f));
	f->buf = head;
	f->size = file_size;
	f->len = head_len < file_size ? head_len : file_size;
	r = check_header(f);
	if (r < 0)
		return r;
	r = check_phdrs(f);
	if (r < 0)
		return r;
	return index_notes(f);
}

int ds_dump_open(struct ds_dump_file *f, const void *buf, u64 size)
{
	return ds_dump_open_head(f, buf, size, size);
}

u32 ds_dump_loads(const struct ds_dump_file *f, struct ds_dump_load *out, u32 n)
{
	u32 got = 0;

	for (u32 p = f->first_load; p < f->phnum && got < n && got < f->nloads; p++)
		if (ds_get_le(phdr_at(f, p) + PH_TYPE, 4) == PT_LOAD)
			read_load(phdr_at(f, p), &out[got++]);
	return got;
}

int ds_dump_load(const struct ds_dump_file *f, u32 i, struct ds_dump_load *out)
{
	if (i >= f->nloads)
		return -ERANGE;
	if (f->loads_contiguous) {
		read_load(phdr_at(f, f->first_load + i), out);
		return 0;
	}
	for (u32 p = f->first_load; p < f->phnum; p++) {
		if (ds_get_le(phdr_at(f, p) + PH_TYPE, 4) != PT_LOAD)
			continue;
		if (!i--) {
			read_load(phdr_at(f, p), out);
			return 0;
		}
	}
	return -ERANGE;
}

u32 ds_dump_bisect(u32 n, ds_dump_load_at_fn at, const void *ctx, u64 va)
{
	u32 lo = 0, hi = n;
	struct ds_dump_load l;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		at(ctx, mid, &l);
		if (l.va <= va)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void file_load_at(const void *f, u32 i, struct ds_dump_load *out)
{
	ds_dump_load(f, i, out);
}

int ds_dump_find(const struct ds_dump_file *f, u64 va, u32 *index)
{
	struct ds_dump_load l;
	u32 k;

	if (!f->sorted)
		return -EOPNOTSUPP;
	k = ds_dump_bisect(f->nloads, file_load_at, f, va);
	if (!k)
		return -ENOENT;
	ds_dump_load(f, k - 1, &l);
	if (va < l.va || va - l.va >= l.memsz)
		return -ENOENT;
	*index = k - 1;
	return 0;
}

enum ds_skip_reason ds_dump_skip_reason(const struct ds_dump_file *f, u64 va)
{
	u32 lo = 0, hi = f->nskipped_entries;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;
		const u8 *e = f->skipped + (u64)mid * SKIPPED_ENTRY;
		u64 start = ds_get_le(e, 8), size = ds_get_le(e + 16, 8);
		u32 reason = (u32)ds_get_le(e + 24, 4);

		if (va < start)
			hi = mid;
		else if (va - start >= size)
			lo = mid + 1;
		else
			return reason > DS_SAVED && reason < DS_SKIP_REASON_COUNT ? reason
										 : DS_SKIP_REASON_COUNT;
	}
	return DS_SKIP_REASON_COUNT;
}

static bool next_note_segment(const struct ds_dump_file *f, struct ds_note_iter *it)
{
	for (; it->phdr < f->phnum; it->phdr++) {
		const u8 *p = phdr_at(f, it->phdr);

		if (ds_get_le(p + PH_TYPE, 4) != PT_NOTE)
			continue;
		it->pos = ds_get_le(p + PH_OFFSET, 8);
		it->end = it->pos + ds_get_le(p + PH_FILESZ, 8); /* checked at open */
		it->phdr++;
		return true;
	}
	return false;
}

int ds_dump_next_note(struct ds_dump_file *f, struct ds_note_iter *it, struct ds_note *out)
{
	u64 namesz, descsz, desc_off;
	const u8 *h;

	while (it->pos >= it->end)
		if (!next_note_segment(f, it))
			return 0;
	if (it->end - it->pos < ELF_NHDR_SIZE)
		return bad(f, "note header cut short by the end of its segment", it->pos);
	h = f->buf + it->pos;
	namesz = ds_get_le(h, 4);
	descsz = ds_get_le(h + 4, 4);
	desc_off = it->pos + ELF_NHDR_SIZE + ds_align_up(namesz, 4);
	if (desc_off > it->end || ds_align_up(descsz, 4) > it->end - desc_off)
		return bad(f, "note runs past the end of its segment", it->pos);
	if (namesz && h[ELF_NHDR_SIZE + namesz - 1])
		return bad(f, "note name is not NUL-terminated", it->pos + ELF_NHDR_SIZE);
	out->name = namesz ? (const char *)h + ELF_NHDR_SIZE : "";
	out->type = (u32)ds_get_le(h + 8, 4);
	out->desc = f->buf + desc_off;
	out->desc_size = (u32)descsz;
	out->offset = it->pos;
	it->pos = desc_off + ds_align_up(descsz, 4);
	return 1;
}

bool ds_note_is(const struct ds_note *n, const char *name, u32 type)
{
	const char *a = n->name;

	while (*a && *a == *name)
		a++, name++;
	return *a == *name && n->type == type;
}

/* The NUL-terminated string at *pos within the desc; advances *pos. */
static const char *desc_string(const struct ds_note *n, u32 *pos)
{
	const char *s = (const char *)n->desc + *pos;

	while (*pos < n->desc_size)
		if (!n->desc[(*pos)++])
			return s;
	return NULL;
}

/* The fields after the strings, which older writers did not write. */
static void info_decode_pci(const u8 *d, u32 size, struct ds_note_info *out)
{
	out->has_pci = size >= INFO_PCI_SIZE &&
		       (ds_get_le(d + INFO_PCI_FLAGS, 4) & INFO_PCI_PRESENT);
	if (!out->has_pci)
		return;
	out->pci.segment = (u16)ds_get_le(d + INFO_PCI_SEGMENT, 2);
	out->pci.rid = (u16)ds_get_le(d + INFO_PCI_RID, 2);
	out->pci.domain_id = (u32)ds_get_le(d + INFO_PCI_DOMAIN, 4);
	out->pci.iommu_table = ds_get_le(d + INFO_PCI_TABLE, 8);
}

int ds_note_info_decode(const struct ds_note *n, struct ds_note_info *out)
{
	const u8 *d = n->desc;
	u32 pos = INFO_STRINGS;

	if (n->desc_size < INFO_STRINGS || ds_get_le(d + INFO_VERSION, 4) != DS_NOTE_VERSION)
		return -EBADMSG;
	out->version = DS_NOTE_VERSION;
	out->page_size = (u32)ds_get_le(d + INFO_PAGE_SIZE, 4);
	out->time_ns = ds_get_le(d + INFO_TIME, 8);
	out->nroots = (u32)ds_get_le(d + INFO_NROOTS, 4);
	if (out->nroots > DS_MAX_ROOTS)
		return -EBADMSG;
	for (unsigned int i = 0; i < DS_MAX_ROOTS; i++)
		out->roots[i] = ds_get_le(d + INFO_ROOTS + 8 * i, 8);
	out->va_bits = (u32)ds_get_le(d + INFO_VA_BITS, 4);
	out->flags = (u32)ds_get_le(d + INFO_FLAGS, 4);
	out->nsegs = (u32)ds_get_le(d + INFO_NSEGS, 4);
	out->mapped = ds_get_le(d + INFO_MAPPED, 8);
	out->saved = ds_get_le(d + INFO_SAVED, 8);
	out->format = desc_string(n, &pos);
	out->device = out->format ? desc_string(n, &pos) : NULL;
	out->driver = out->device ? desc_string(n, &pos) : NULL;
	out->reason = out->driver ? desc_string(n, &pos) : NULL;
	if (!out->reason)
		return -EBADMSG;
	info_decode_pci(d + pos, n->desc_size - pos, out);
	return 0;
}

int ds_note_skipped_count(const struct ds_note *n, u32 *count)
{
	if (n->desc_size < SKIPPED_HEADER || ds_get_le(n->desc, 4) != DS_NOTE_VERSION)
		return -EBADMSG;
	*count = (u32)ds_get_le(n->desc + 4, 4);
	if ((n->desc_size - SKIPPED_HEADER) / SKIPPED_ENTRY < *count)
		return -EBADMSG;
	return 0;
}

int ds_note_skipped_at(const struct ds_note *n, u32 i, struct ds_skipped_range *out)
{
	u32 count;
	const u8 *e;

	if (ds_note_skipped_count(n, &count) < 0 || i >= count)
		return -EBADMSG;
	e = n->desc + SKIPPED_HEADER + (u64)i * SKIPPED_ENTRY;
	out->va = ds_get_le(e, 8);
	out->pa = ds_get_le(e + 8, 8);
	out->size = ds_get_le(e + 16, 8);
	out->reason = (u32)ds_get_le(e + 24, 4);
	return 0;
}

int ds_note_blob_decode(const struct ds_note *n, struct ds_note_blob *out)
{
	u64 name_len, data_off;

	if (n->desc_size < BLOB_HEADER)
		return -EBADMSG;
	name_len = ds_get_le(n->desc, 4);
	data_off = BLOB_HEADER + ds_align_up(name_len, 4);
	if (data_off > n->desc_size)
		return -EBADMSG;
	out->name = (const char *)n->desc + BLOB_HEADER;
	out->name_len = (u32)name_len;
	out->data = n->desc + data_off;
	out->size = n->desc_size - data_off;
	return 0;
}

int ds_note_agx_decode(const struct ds_note *n, struct ds_agx_info *out)
{
	const u8 *d = n->desc;

	if (n->desc_size < 52)
		return -EBADMSG;
	out->initdata_address = ds_get_le(d, 8);
	out->chip_id = (u32)ds_get_le(d + 8, 4);
	out->gpu_gen = (u32)ds_get_le(d + 12, 4);
	out->gpu_variant = (u32)ds_get_le(d + 16, 4);
	out->gpu_rev = (u32)ds_get_le(d + 20, 4);
	out->total_active_cores = (u32)ds_get_le(d + 24, 4);
	for (unsigned int i = 0; i < 6; i++)
		out->firmware_version[i] = (u32)ds_get_le(d + 28 + 4 * i, 4);
	return 0;
}

/* Linux drivers/soc/apple/rtkit-crashlog.c: a 32-byte "CLHE" header whose
 * size covers the log, then sections of fourcc, 8 bytes, u32 size (header
 * included), payload; a second CLHE ends it. */
#define RTKIT_HEADER_FOURCC 0x434c4845u /* 'C' 'L' 'H' 'E' */
#define RTKIT_LOG_HEADER 32
#define RTKIT_SECTION_HEADER 16

int ds_rtkit_next_section(const u8 *log, u64 size, u64 *pos,
			  struct ds_rtkit_section *out)
{
	u64 log_size;
	u32 fourcc, section;

	if (size < RTKIT_LOG_HEADER || ds_get_le(log, 4) != RTKIT_HEADER_FOURCC)
		return -EBADMSG;
	log_size = ds_get_le(log + 8, 4);
	if (log_size > size)
		return -EBADMSG;
	if (*pos < RTKIT_LOG_HEADER)
		*pos = RTKIT_LOG_HEADER;
	if (*pos >= log_size)
		return 0;
	if (log_size - *pos < RTKIT_SECTION_HEADER)
		return -EBADMSG;
	fourcc = (u32)ds_get_le(log + *pos, 4);
	section = (u32)ds_get_le(log + *pos + 12, 4);
	if (fourcc == RTKIT_HEADER_FOURCC)
		return 0;
	if (section < RTKIT_SECTION_HEADER || section > log_size - *pos)
		return -EBADMSG;
	for (unsigned int i = 0; i < 4; i++)
		out->fourcc[i] = (char)(fourcc >> (24 - 8 * i));
	out->fourcc[4] = '\0';
	out->offset = *pos;
	out->size = section;
	out->payload = log + *pos + RTKIT_SECTION_HEADER;
	out->payload_size = section - RTKIT_SECTION_HEADER;
	*pos += section;
	return 1;
}
