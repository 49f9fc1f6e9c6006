// SPDX-License-Identifier: MIT
/*
 * The dump parser.  The file is untrusted: every field is range-checked
 * with overflow-safe arithmetic before it is used, and the first problem
 * found is reported with its file offset.
 */
#include "dump_parse.h"
#include "elf_layout.h"

static int bad(struct ds_dump_file *f, const char *what, uint64_t off)
{
	f->error = what;
	f->error_offset = off;
	return -EBADMSG;
}

/* [off, off + len) lies inside [0, size). */
static bool inside(uint64_t size, uint64_t off, uint64_t len)
{
	return off <= size && len <= size - off;
}

static const uint8_t *phdr_at(const struct ds_dump_file *f, uint32_t i)
{
	return f->buf + f->phoff + (uint64_t)i * ELF_PHDR_SIZE;
}

static void read_load(const uint8_t *p, struct ds_dump_load *l)
{
	l->flags = (uint32_t)ds_get_le(p + PH_FLAGS, 4);
	l->offset = ds_get_le(p + PH_OFFSET, 8);
	l->va = ds_get_le(p + PH_VADDR, 8);
	l->pa = ds_get_le(p + PH_PADDR, 8);
	l->filesz = ds_get_le(p + PH_FILESZ, 8);
	l->memsz = ds_get_le(p + PH_MEMSZ, 8);
	l->align = ds_get_le(p + PH_ALIGN, 8);
}

/* What the first bytes alone can refute; len may be short of a header. */
static int check_ident(struct ds_dump_file *f, const uint8_t *h, uint64_t len)
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

int ds_dump_check_start(struct ds_dump_file *f, const void *head, uint64_t len)
{
	ds_memset(f, 0, sizeof(*f));
	return check_ident(f, head, len);
}

/* off + len, or the top of the 64-bit range if that wraps. */
static uint64_t end_of(uint64_t off, uint64_t len)
{
	return off + len < off ? ~0ULL : off + len;
}

static uint64_t max_of(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

/* ds_dump_extent, counting segments' data only with loads. */
static int reach(const void *head, uint64_t len, uint64_t *end, bool loads)
{
	const uint8_t *h = head;
	uint64_t phoff, phnum, shoff, tables;

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
	for (uint64_t i = 0; i < phnum; i++) {
		const uint8_t *p = h + phoff + i * ELF_PHDR_SIZE;
		uint32_t type = (uint32_t)ds_get_le(p + PH_TYPE, 4);

		if ((loads && type == PT_LOAD) || type == PT_NOTE)
			*end = max_of(*end, end_of(ds_get_le(p + PH_OFFSET, 8),
						   ds_get_le(p + PH_FILESZ, 8)));
	}
	return 0;
}

int ds_dump_extent(const void *head, uint64_t len, uint64_t *end)
{
	return reach(head, len, end, true);
}

int ds_dump_head_extent(const void *head, uint64_t len, uint64_t *end)
{
	return reach(head, len, end, false);
}

static int check_header(struct ds_dump_file *f)
{
	const uint8_t *h = f->buf;
	uint64_t phnum;
	int r;

	if (f->len < ELF_EHDR_SIZE)
		return bad(f, f->len < f->size ? "ELF header cut short by the end of the head"
					       : "shorter than an ELF header", 0);
	r = check_ident(f, h, f->len);
	if (r < 0)
		return r;
	f->e_machine = (uint16_t)ds_get_le(h + EH_MACHINE, 2);
	f->phoff = ds_get_le(h + EH_PHOFF, 8);
	phnum = ds_get_le(h + EH_PHNUM, 2);
	if (phnum == PN_XNUM) {
		uint64_t shoff = ds_get_le(h + EH_SHOFF, 8);

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
	f->phnum = (uint32_t)phnum;
	return 0;
}

static int check_load(struct ds_dump_file *f, uint32_t i, uint64_t *prev_end)
{
	uint64_t where = f->phoff + (uint64_t)i * ELF_PHDR_SIZE;
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
	uint64_t prev_end = 0;

	f->loads_contiguous = f->sorted = true;
	for (uint32_t i = 0; i < f->phnum; i++) {
		const uint8_t *p = phdr_at(f, i);
		uint32_t type = (uint32_t)ds_get_le(p + PH_TYPE, 4);
		int r = 0;

		if (type == PT_LOAD)
			r = check_load(f, i, &prev_end);
		else if (type == PT_NOTE && !inside(f->len, ds_get_le(p + PH_OFFSET, 8),
						     ds_get_le(p + PH_FILESZ, 8)))
			r = bad(f, f->len < f->size ? "notes run past the end of the head"
						    : "notes run past the end of the file",
				f->phoff + (uint64_t)i * ELF_PHDR_SIZE);
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
		uint32_t count;

		if (!ds_note_is(&n, DS_NOTE_NAME, DS_NT_SKIPPED))
			continue;
		if (ds_note_skipped_count(&n, &count) < 0)
			return bad(f, "DEVSNAP skipped-ranges note is malformed", n.offset);
		f->skipped = n.desc + SKIPPED_HEADER;
		f->nskipped_entries = count;
	}
	return r;
}

int ds_dump_open_head(struct ds_dump_file *f, const void *head, uint64_t head_len,
		      uint64_t file_size)
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

int ds_dump_open(struct ds_dump_file *f, const void *buf, uint64_t size)
{
	return ds_dump_open_head(f, buf, size, size);
}

uint32_t ds_dump_loads(const struct ds_dump_file *f, struct ds_dump_load *out, uint32_t n)
{
	uint32_t got = 0;

	for (uint32_t p = f->first_load; p < f->phnum && got < n && got < f->nloads; p++)
		if (ds_get_le(phdr_at(f, p) + PH_TYPE, 4) == PT_LOAD)
			read_load(phdr_at(f, p), &out[got++]);
	return got;
}

int ds_dump_load(const struct ds_dump_file *f, uint32_t i, struct ds_dump_load *out)
{
	if (i >= f->nloads)
		return -ERANGE;
	if (f->loads_contiguous) {
		read_load(phdr_at(f, f->first_load + i), out);
		return 0;
	}
	for (uint32_t p = f->first_load; p < f->phnum; p++) {
		if (ds_get_le(phdr_at(f, p) + PH_TYPE, 4) != PT_LOAD)
			continue;
		if (!i--) {
			read_load(phdr_at(f, p), out);
			return 0;
		}
	}
	return -ERANGE;
}

uint32_t ds_dump_bisect(uint32_t n, ds_dump_load_at_fn at, const void *ctx, uint64_t va)
{
	uint32_t lo = 0, hi = n;
	struct ds_dump_load l;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		at(ctx, mid, &l);
		if (l.va <= va)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void file_load_at(const void *f, uint32_t i, struct ds_dump_load *out)
{
	ds_dump_load(f, i, out);
}

int ds_dump_find(const struct ds_dump_file *f, uint64_t va, uint32_t *index)
{
	struct ds_dump_load l;
	uint32_t k;

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

enum ds_skip_reason ds_dump_skip_reason(const struct ds_dump_file *f, uint64_t va)
{
	uint32_t lo = 0, hi = f->nskipped_entries;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const uint8_t *e = f->skipped + (uint64_t)mid * SKIPPED_ENTRY;
		uint64_t start = ds_get_le(e, 8), size = ds_get_le(e + 16, 8);
		uint32_t reason = (uint32_t)ds_get_le(e + 24, 4);

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
		const uint8_t *p = phdr_at(f, it->phdr);

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
	uint64_t namesz, descsz, desc_off;
	const uint8_t *h;

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
	out->type = (uint32_t)ds_get_le(h + 8, 4);
	out->desc = f->buf + desc_off;
	out->desc_size = (uint32_t)descsz;
	out->offset = it->pos;
	it->pos = desc_off + ds_align_up(descsz, 4);
	return 1;
}

bool ds_note_is(const struct ds_note *n, const char *name, uint32_t type)
{
	const char *a = n->name;

	while (*a && *a == *name)
		a++, name++;
	return *a == *name && n->type == type;
}

/* The NUL-terminated string at *pos within the desc; advances *pos. */
static const char *desc_string(const struct ds_note *n, uint32_t *pos)
{
	const char *s = (const char *)n->desc + *pos;

	while (*pos < n->desc_size)
		if (!n->desc[(*pos)++])
			return s;
	return NULL;
}

/* The fields after the strings, which older writers did not write. */
static void info_decode_pci(const uint8_t *d, uint32_t size, struct ds_note_info *out)
{
	out->has_pci = size >= INFO_PCI_SIZE &&
		       (ds_get_le(d + INFO_PCI_FLAGS, 4) & INFO_PCI_PRESENT);
	if (!out->has_pci)
		return;
	out->pci.segment = (uint16_t)ds_get_le(d + INFO_PCI_SEGMENT, 2);
	out->pci.rid = (uint16_t)ds_get_le(d + INFO_PCI_RID, 2);
	out->pci.domain_id = (uint32_t)ds_get_le(d + INFO_PCI_DOMAIN, 4);
	out->pci.iommu_table = ds_get_le(d + INFO_PCI_TABLE, 8);
}

int ds_note_info_decode(const struct ds_note *n, struct ds_note_info *out)
{
	const uint8_t *d = n->desc;
	uint32_t pos = INFO_STRINGS;

	if (n->desc_size < INFO_STRINGS || ds_get_le(d + INFO_VERSION, 4) != DS_NOTE_VERSION)
		return -EBADMSG;
	out->version = DS_NOTE_VERSION;
	out->page_size = (uint32_t)ds_get_le(d + INFO_PAGE_SIZE, 4);
	out->time_ns = ds_get_le(d + INFO_TIME, 8);
	out->nroots = (uint32_t)ds_get_le(d + INFO_NROOTS, 4);
	if (out->nroots > DS_MAX_ROOTS)
		return -EBADMSG;
	for (unsigned i = 0; i < DS_MAX_ROOTS; i++)
		out->roots[i] = ds_get_le(d + INFO_ROOTS + 8 * i, 8);
	out->va_bits = (uint32_t)ds_get_le(d + INFO_VA_BITS, 4);
	out->flags = (uint32_t)ds_get_le(d + INFO_FLAGS, 4);
	out->nsegs = (uint32_t)ds_get_le(d + INFO_NSEGS, 4);
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

int ds_note_skipped_count(const struct ds_note *n, uint32_t *count)
{
	if (n->desc_size < SKIPPED_HEADER || ds_get_le(n->desc, 4) != DS_NOTE_VERSION)
		return -EBADMSG;
	*count = (uint32_t)ds_get_le(n->desc + 4, 4);
	if ((n->desc_size - SKIPPED_HEADER) / SKIPPED_ENTRY < *count)
		return -EBADMSG;
	return 0;
}

int ds_note_skipped_at(const struct ds_note *n, uint32_t i, struct ds_skipped_range *out)
{
	uint32_t count;
	const uint8_t *e;

	if (ds_note_skipped_count(n, &count) < 0 || i >= count)
		return -EBADMSG;
	e = n->desc + SKIPPED_HEADER + (uint64_t)i * SKIPPED_ENTRY;
	out->va = ds_get_le(e, 8);
	out->pa = ds_get_le(e + 8, 8);
	out->size = ds_get_le(e + 16, 8);
	out->reason = (uint32_t)ds_get_le(e + 24, 4);
	return 0;
}

int ds_note_blob_decode(const struct ds_note *n, struct ds_note_blob *out)
{
	uint64_t name_len, data_off;

	if (n->desc_size < BLOB_HEADER)
		return -EBADMSG;
	name_len = ds_get_le(n->desc, 4);
	data_off = BLOB_HEADER + ds_align_up(name_len, 4);
	if (data_off > n->desc_size)
		return -EBADMSG;
	out->name = (const char *)n->desc + BLOB_HEADER;
	out->name_len = (uint32_t)name_len;
	out->data = n->desc + data_off;
	out->size = n->desc_size - data_off;
	return 0;
}

int ds_note_agx_decode(const struct ds_note *n, struct ds_agx_info *out)
{
	const uint8_t *d = n->desc;

	if (n->desc_size < 52)
		return -EBADMSG;
	out->initdata_address = ds_get_le(d, 8);
	out->chip_id = (uint32_t)ds_get_le(d + 8, 4);
	out->gpu_gen = (uint32_t)ds_get_le(d + 12, 4);
	out->gpu_variant = (uint32_t)ds_get_le(d + 16, 4);
	out->gpu_rev = (uint32_t)ds_get_le(d + 20, 4);
	out->total_active_cores = (uint32_t)ds_get_le(d + 24, 4);
	for (unsigned i = 0; i < 6; i++)
		out->firmware_version[i] = (uint32_t)ds_get_le(d + 28 + 4 * i, 4);
	return 0;
}

/* Linux drivers/soc/apple/rtkit-crashlog.c: a 32-byte "CLHE" header whose
 * size covers the log, then sections of fourcc, 8 bytes, u32 size (header
 * included), payload; a second CLHE ends it. */
#define RTKIT_HEADER_FOURCC 0x434c4845u /* 'C' 'L' 'H' 'E' */
#define RTKIT_LOG_HEADER 32
#define RTKIT_SECTION_HEADER 16

int ds_rtkit_next_section(const uint8_t *log, uint64_t size, uint64_t *pos,
			  struct ds_rtkit_section *out)
{
	uint64_t log_size;
	uint32_t fourcc, section;

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
	fourcc = (uint32_t)ds_get_le(log + *pos, 4);
	section = (uint32_t)ds_get_le(log + *pos + 12, 4);
	if (fourcc == RTKIT_HEADER_FOURCC)
		return 0;
	if (section < RTKIT_SECTION_HEADER || section > log_size - *pos)
		return -EBADMSG;
	for (unsigned i = 0; i < 4; i++)
		out->fourcc[i] = (char)(fourcc >> (24 - 8 * i));
	out->fourcc[4] = '\0';
	out->offset = *pos;
	out->size = section;
	out->payload = log + *pos + RTKIT_SECTION_HEADER;
	out->payload_size = section - RTKIT_SECTION_HEADER;
	*pos += section;
	return 1;
}
