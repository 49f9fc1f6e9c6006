// SPDX-License-Identifier: MIT
/*
 * devsnap_dump_*: lib/'s parser (dump_parse.c) behind a handle.  The open
 * checks the whole file as the CLI's readers do, then indexes segments by
 * VA and by PA and the notes in file order, so every later call is a
 * lookup that cannot meet a malformed field.
 */
#include <devsnap/dump.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dump_parse.h"
#include "elf_layout.h"

struct devsnap_dump {
	const uint8_t *buf;
	uint64_t size;
	void *map;   /* munmap at close, or NULL */
	void *copy;  /* free at close, or NULL */
	struct ds_dump_file f;
	struct ds_dump_load *loads; /* every PT_LOAD, in file order */
	uint32_t *by_va, *by_pa; /* load indices in VA, PA order; NULL: file order is */
	uint64_t *pa_reach; /* [i]: the highest PA end of by_pa[0..i], to stop looking back */
	pthread_mutex_t pa_lock; /* guards by_pa and pa_reach, built by the first read by PA */
	bool pa_indexed;
	struct ds_note *notes;
	size_t nnotes;
	size_t *blob_notes; /* indices in notes of the well-formed blobs */
	size_t nblobs;
	bool has_info, has_agx;
	struct ds_note_info info;
	bool overlaps; /* two segments share addresses: overlap_a's and overlap_b's */
	uint64_t overlap_a, overlap_b;
};

static int check_options(const struct devsnap_open_options *opts, unsigned int allowed)
{
	if (opts && (opts->version != DEVSNAP_OPEN_OPTIONS_VERSION || opts->flags & ~allowed))
		return -EINVAL;
	return 0;
}

static int fail_open(const struct devsnap_open_options *opts, const char *message,
		     uint64_t offset, int err)
{
	if (opts && opts->error) {
		opts->error->message = message;
		opts->error->offset = offset;
	}
	return err;
}

int devsnap_open_options_init(struct devsnap_open_options *opts, unsigned int version)
{
	if (!opts || version != DEVSNAP_OPEN_OPTIONS_VERSION)
		return -EINVAL;
	*opts = (struct devsnap_open_options)DEVSNAP_OPEN_OPTIONS_INIT;
	return 0;
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

/* A load's sort key beside its index, so that comparisons touch nothing
 * else: (VA, file order) for by_va, (PA, VA) for by_pa, aliases of one PA
 * lowest VA first.  Ties in file order: every run lists them the same way. */
struct sort_key {
	uint64_t first, second;
	uint32_t index;
};

static int by_key(const void *a, const void *b)
{
	const struct sort_key *x = a, *y = b;

	if (x->first != y->first)
		return cmp_u64(x->first, y->first);
	if (x->second != y->second)
		return cmp_u64(x->second, y->second);
	return cmp_u64(x->index, y->index);
}

/*
 * Every PT_LOAD read once, so that indexing is O(n log n): ds_dump_load()
 * searches the program headers for each index when other headers sit
 * between PT_LOADs.  56 bytes each, as in the file.
 */
static int cache_loads(struct devsnap_dump *d)
{
	struct ds_dump_file one = d->f; /* a view holding the p-th header as its only PT_LOAD */
	uint32_t n = 0;

	d->loads = calloc(d->f.nloads ? d->f.nloads : 1, sizeof(*d->loads));
	if (!d->loads)
		return -ENOMEM;
	one.nloads = 1;
	one.loads_contiguous = true;
	for (uint32_t p = d->f.first_load; p < d->f.phnum && n < d->f.nloads; p++) {
		const uint8_t *ph = d->buf + d->f.phoff + (uint64_t)p * ELF_PHDR_SIZE;

		if (ds_get_le(ph + PH_TYPE, 4) != PT_LOAD)
			continue;
		one.first_load = p;
		ds_dump_load(&one, 0, &d->loads[n++]);
	}
	return 0;
}

static struct sort_key key_of(const struct devsnap_dump *d, uint32_t i, bool by_pa)
{
	const struct ds_dump_load *l = &d->loads[i];

	return by_pa ? (struct sort_key){ l->pa, l->va, i } : (struct sort_key){ l->va, 0, i };
}

/* Whether the file keeps its PT_LOADs in that order already (a producer's
 * usual VA order): then no index is needed. */
static bool in_file_order(const struct devsnap_dump *d, bool by_pa)
{
	for (uint32_t i = 1; i < d->f.nloads; i++) {
		struct sort_key a = key_of(d, i - 1, by_pa), b = key_of(d, i, by_pa);

		if (by_key(&a, &b) > 0)
			return false;
	}
	return true;
}

/*
 * The load indices in VA or PA order in *out, NULL when that is file order;
 * 0 or -ENOMEM.  One uint32_t per PT_LOAD (and a key while sorting):
 * bounded by the file, which holds 56 bytes for each.
 */
static int load_index(struct devsnap_dump *d, bool by_pa, uint32_t **out)
{
	uint32_t n = d->f.nloads;
	struct sort_key *keys;

	*out = NULL;
	if (in_file_order(d, by_pa))
		return 0;
	keys = calloc(n, sizeof(*keys));
	*out = calloc(n, sizeof(**out));
	if (!keys || !*out) {
		free(keys);
		return -ENOMEM; /* the caller frees *out with the handle */
	}
	for (uint32_t i = 0; i < n; i++)
		keys[i] = key_of(d, i, by_pa);
	qsort(keys, n, sizeof(*keys), by_key);
	for (uint32_t i = 0; i < n; i++)
		(*out)[i] = keys[i].index;
	free(keys);
	return 0;
}

static int index_pa_reach(struct devsnap_dump *d)
{
	uint64_t reach = 0;

	d->pa_reach = calloc(d->f.nloads ? d->f.nloads : 1, sizeof(*d->pa_reach));
	if (!d->pa_reach)
		return -ENOMEM;
	for (uint32_t i = 0; i < d->f.nloads; i++) {
		const struct ds_dump_load *l = &d->loads[d->by_pa ? d->by_pa[i] : i];
		uint64_t end = l->pa + l->memsz < l->pa ? UINT64_MAX : l->pa + l->memsz;

		reach = end > reach ? end : reach;
		d->pa_reach[i] = reach;
	}
	return 0;
}

/* The first two segments in VA order that share an address, if any. */
static void find_overlap(struct devsnap_dump *d)
{
	uint64_t reach = 0, widest = 0; /* the highest last address so far, and whose */

	for (uint32_t i = 0; i < d->f.nloads; i++) {
		const struct ds_dump_load *l = &d->loads[d->by_va ? d->by_va[i] : i];
		uint64_t last = l->va + (l->memsz - 1); /* the parser refused segments that wrap */

		if (i && l->va <= reach) {
			d->overlaps = true;
			d->overlap_a = widest;
			d->overlap_b = l->va;
			return;
		}
		if (!i || last > reach) {
			reach = last;
			widest = l->va;
		}
	}
}

/* Notes are bounded by the file too: each takes at least 12 bytes of it. */
static int index_notes(struct devsnap_dump *d)
{
	struct ds_note_iter it = { 0 };
	struct ds_note n;
	size_t count = 0;

	while (ds_dump_next_note(&d->f, &it, &n) == 1) /* the open checked every note */
		count++;
	d->notes = calloc(count ? count : 1, sizeof(*d->notes));
	d->blob_notes = calloc(count ? count : 1, sizeof(*d->blob_notes));
	if (!d->notes || !d->blob_notes)
		return -ENOMEM;
	it = (struct ds_note_iter){ 0 };
	while (d->nnotes < count && ds_dump_next_note(&d->f, &it, &d->notes[d->nnotes]) == 1) {
		const struct ds_note *note = &d->notes[d->nnotes];
		struct ds_note_blob blob;
		struct ds_agx_info agx;

		if (ds_note_is(note, DS_NOTE_NAME, DS_NT_INFO) && !d->has_info &&
		    ds_note_info_decode(note, &d->info) == 0)
			d->has_info = true;
		else if (ds_note_is(note, "AGX", 1) && ds_note_agx_decode(note, &agx) == 0)
			d->has_agx = true;
		else if (ds_note_is(note, DS_NOTE_NAME, DS_NT_BLOB) &&
			 ds_note_blob_decode(note, &blob) == 0)
			d->blob_notes[d->nblobs++] = d->nnotes;
		d->nnotes++;
	}
	return 0;
}

/* The PA index, built by the first read by PA: readers by VA (the CLI's)
 * never pay for a second sort.  0 or -ENOMEM. */
static int index_pa(const struct devsnap_dump *dump)
{
	struct devsnap_dump *d = (struct devsnap_dump *)dump; /* pa_lock guards what changes */
	int r = 0;

	pthread_mutex_lock(&d->pa_lock);
	if (!d->pa_indexed) {
		r = load_index(d, true, &d->by_pa);
		if (r == 0)
			r = index_pa_reach(d);
		if (r < 0) {
			free(d->by_pa);
			free(d->pa_reach);
			d->by_pa = NULL;
			d->pa_reach = NULL;
		}
		d->pa_indexed = r == 0;
	}
	pthread_mutex_unlock(&d->pa_lock);
	return r;
}

/* Checks and indexes the size bytes at d->buf; on failure the caller closes d. */
static int open_buffer(struct devsnap_dump *d, const struct devsnap_open_options *opts)
{
	int r;

	if (!d->size)
		return fail_open(opts, "empty file", 0, -EBADMSG);
	r = ds_dump_open(&d->f, d->buf, d->size);
	if (r < 0)
		return fail_open(opts, d->f.error, d->f.error_offset, r);
	r = cache_loads(d);
	if (r < 0)
		return r;
	r = load_index(d, false, &d->by_va);
	if (r < 0)
		return r;
	find_overlap(d);
	return index_notes(d);
}

static struct devsnap_dump *new_dump(void)
{
	struct devsnap_dump *d = calloc(1, sizeof(*d));

	if (d)
		pthread_mutex_init(&d->pa_lock, NULL);
	return d;
}

static int finish_open(struct devsnap_dump *d, struct devsnap_dump **out,
		       const struct devsnap_open_options *opts)
{
	int r = open_buffer(d, opts);

	if (r < 0) {
		devsnap_dump_close(d);
		return r;
	}
	*out = d;
	return 0;
}

int devsnap_dump_open_fd(struct devsnap_dump **out, int fd,
			 const struct devsnap_open_options *opts)
{
	struct devsnap_dump *d;
	struct stat st;

	if (out)
		*out = NULL;
	if (!out || fd < 0 || check_options(opts, 0) < 0)
		return -EINVAL;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	if (!st.st_size)
		return fail_open(opts, "empty file", 0, -EBADMSG);
	d = new_dump();
	if (!d)
		return -ENOMEM;
	d->size = (uint64_t)st.st_size;
	d->map = mmap(NULL, d->size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (d->map == MAP_FAILED) {
		int r = -errno;

		d->map = NULL;
		devsnap_dump_close(d);
		return r;
	}
	d->buf = d->map;
	return finish_open(d, out, opts);
}

int devsnap_dump_open_path(struct devsnap_dump **out, const char *path,
			   const struct devsnap_open_options *opts)
{
	int fd, r;

	if (out)
		*out = NULL;
	if (!out || !path || check_options(opts, DEVSNAP_OPEN_NOFOLLOW) < 0)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY |
			       (opts && opts->flags & DEVSNAP_OPEN_NOFOLLOW ? O_NOFOLLOW : 0));
	if (fd < 0)
		return -errno;
	if (opts && opts->flags & DEVSNAP_OPEN_NOFOLLOW) {
		/* The fd version takes no flags: pass a copy without them. */
		struct devsnap_open_options o = *opts;

		o.flags = 0;
		r = devsnap_dump_open_fd(out, fd, &o);
	} else {
		r = devsnap_dump_open_fd(out, fd, opts);
	}
	close(fd);
	return r;
}

int devsnap_dump_open_memory(struct devsnap_dump **out, const void *buf, size_t size,
			     const struct devsnap_open_options *opts)
{
	struct devsnap_dump *d;

	if (out)
		*out = NULL;
	if (!out || (!buf && size) || check_options(opts, DEVSNAP_OPEN_COPY) < 0)
		return -EINVAL;
	d = new_dump();
	if (!d)
		return -ENOMEM;
	d->buf = buf;
	d->size = size;
	if (opts && opts->flags & DEVSNAP_OPEN_COPY && size) {
		d->copy = malloc(size);
		if (!d->copy) {
			devsnap_dump_close(d);
			return -ENOMEM;
		}
		memcpy(d->copy, buf, size);
		d->buf = d->copy;
	}
	return finish_open(d, out, opts);
}

void devsnap_dump_close(struct devsnap_dump *dump)
{
	if (!dump)
		return;
	if (dump->map)
		munmap(dump->map, dump->size);
	free(dump->copy);
	free(dump->loads);
	free(dump->by_va);
	free(dump->by_pa);
	free(dump->pa_reach);
	free(dump->notes);
	free(dump->blob_notes);
	pthread_mutex_destroy(&dump->pa_lock);
	free(dump);
}

int devsnap_dump_get_info(const struct devsnap_dump *dump, struct devsnap_dump_info *out)
{
	const struct ds_note_info *i;

	if (!dump || !out)
		return -EINVAL;
	i = &dump->info;
	*out = (struct devsnap_dump_info){
		.producer = dump->has_info  ? DEVSNAP_PRODUCER_DEVSNAP
			    : dump->has_agx ? DEVSNAP_PRODUCER_ASAHI
					    : DEVSNAP_PRODUCER_UNKNOWN,
		.e_machine = dump->f.e_machine,
		.file_size = dump->size,
		.segment_count = dump->f.nloads,
		.note_count = dump->nnotes,
		.blob_count = dump->nblobs,
	};
	if (!dump->has_info)
		return 0;
	out->device = i->device;
	out->driver = i->driver;
	out->reason = i->reason;
	out->format = i->format;
	out->time_ns = i->time_ns;
	out->page_size = i->page_size;
	out->va_bits = i->va_bits;
	out->nroots = i->nroots;
	for (unsigned int r = 0; r < DEVSNAP_MAX_ROOTS; r++)
		out->roots[r] = i->roots[r];
	out->mapped_bytes = i->mapped;
	out->saved_bytes = i->saved;
	return 0;
}

const void *devsnap_dump_bytes(const struct devsnap_dump *dump, uint64_t *size)
{
	if (size)
		*size = dump ? dump->size : 0;
	return dump ? dump->buf : NULL;
}

int devsnap_dump_overlap(const struct devsnap_dump *dump, uint64_t *va_a, uint64_t *va_b)
{
	if (!dump)
		return -EINVAL;
	if (dump->overlaps) {
		if (va_a)
			*va_a = dump->overlap_a;
		if (va_b)
			*va_b = dump->overlap_b;
	}
	return dump->overlaps;
}

size_t devsnap_dump_segment_count(const struct devsnap_dump *dump)
{
	return dump ? dump->f.nloads : 0;
}

static void load_in_order(const struct devsnap_dump *d, const uint32_t *order, uint32_t i,
			  struct ds_dump_load *l)
{
	*l = d->loads[order ? order[i] : i];
}

static void fill_segment(const struct devsnap_dump *d, const struct ds_dump_load *l,
			 struct devsnap_segment *out)
{
	enum ds_skip_reason why = DS_SAVED;

	if (l->filesz < l->memsz)
		why = ds_dump_skip_reason(&d->f, l->va + l->filesz);
	*out = (struct devsnap_segment){
		.va = l->va,
		.pa = l->pa,
		.size = l->memsz,
		.file_size = l->filesz,
		.file_offset = l->offset,
		.p_flags = l->flags,
		.perm = l->flags & 7,
		.pte_bits = ds_dump_load_pte_bits(l),
		.align = l->align,
		/* enum devsnap_segment_state follows enum ds_skip_reason. */
		.state = (enum devsnap_segment_state)why,
		.state_name = why == DS_SAVED		       ? "saved"
			      : why < DS_SKIP_REASON_COUNT ? ds_skip_reason_name(why)
							   : "not saved",
	};
}

int devsnap_dump_segment(const struct devsnap_dump *dump, size_t index,
			 struct devsnap_segment *out)
{
	struct ds_dump_load l;

	if (!dump || !out)
		return -EINVAL;
	if (index >= dump->f.nloads)
		return -ERANGE;
	load_in_order(dump, dump->by_va, (uint32_t)index, &l);
	fill_segment(dump, &l, out);
	return 0;
}

/* The VA-order index of the segment holding va: 0 or -ENOENT. */
static int find_va(const struct devsnap_dump *d, uint64_t va, struct ds_dump_load *l,
		   uint32_t *index)
{
	uint32_t lo = 0, hi = d->f.nloads;

	if (!hi)
		return -ENOENT;
	while (hi - lo > 1) { /* the last segment starting at or below va */
		uint32_t mid = lo + (hi - lo) / 2;

		load_in_order(d, d->by_va, mid, l);
		if (l->va <= va)
			lo = mid;
		else
			hi = mid;
	}
	load_in_order(d, d->by_va, lo, l);
	if (va < l->va || va - l->va >= l->memsz)
		return -ENOENT;
	*index = lo;
	return 0;
}

int devsnap_dump_lookup_va(const struct devsnap_dump *dump, uint64_t va,
			   struct devsnap_segment *out, size_t *index)
{
	struct ds_dump_load l;
	uint32_t i;
	int r;

	if (!dump || !out)
		return -EINVAL;
	r = find_va(dump, va, &l, &i);
	if (r < 0)
		return r;
	fill_segment(dump, &l, out);
	if (index)
		*index = i;
	return 0;
}

/* Copies from one segment's saved bytes at offset off: the count. */
static uint64_t copy_saved(const struct devsnap_dump *d, const struct ds_dump_load *l,
			   uint64_t off, uint8_t *buf, uint64_t len)
{
	uint64_t n = l->filesz - off < len ? l->filesz - off : len;

	memcpy(buf, d->buf + l->offset + off, n);
	return n;
}

int64_t devsnap_dump_read_va(const struct devsnap_dump *dump, uint64_t va, void *buf,
			     size_t len)
{
	uint64_t want = len > INT64_MAX ? INT64_MAX : len, done = 0;

	if (!dump || (!buf && len))
		return -EINVAL;
	while (done < want) {
		uint64_t at = va + done;
		struct ds_dump_load l;
		uint32_t i;

		if (done && !at) /* wrapped past the top of the address space */
			break;
		if (find_va(dump, at, &l, &i) < 0) {
			if (!done)
				return -ENOENT;
			break;
		}
		if (at - l.va >= l.filesz) {
			if (!done)
				return -ENODATA;
			break;
		}
		done += copy_saved(dump, &l, at - l.va, (uint8_t *)buf + done, want - done);
		if (l.filesz < l.memsz)
			break; /* the rest of this segment is not saved */
	}
	return (int64_t)done;
}

/* The lowest-VA segment whose saved bytes hold pa; -ENOENT if none maps
 * it, -ENODATA if those that do did not save it. */
static int find_pa(const struct devsnap_dump *d, uint64_t pa, struct ds_dump_load *out)
{
	uint32_t lo = 0, hi = d->f.nloads;
	int r = -ENOENT;

	while (lo < hi) { /* the first segment starting above pa */
		uint32_t mid = lo + (hi - lo) / 2;
		struct ds_dump_load l;

		load_in_order(d, d->by_pa, mid, &l);
		if (l.pa <= pa)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* Aliases and nested ranges: look back while one may still reach pa. */
	while (lo-- && d->pa_reach[lo] > pa) {
		struct ds_dump_load l;

		load_in_order(d, d->by_pa, lo, &l);
		if (pa - l.pa >= l.memsz)
			continue;
		if (pa - l.pa >= l.filesz) {
			r = r == 0 ? 0 : -ENODATA;
			continue;
		}
		if (r < 0 || l.va < out->va)
			*out = l;
		r = 0;
	}
	return r;
}

int64_t devsnap_dump_read_pa(const struct devsnap_dump *dump, uint64_t pa, void *buf,
			     size_t len)
{
	uint64_t want = len > INT64_MAX ? INT64_MAX : len, done = 0;
	int r;

	if (!dump || (!buf && len))
		return -EINVAL;
	r = index_pa(dump);
	if (r < 0)
		return r;
	while (done < want) {
		uint64_t at = pa + done;
		struct ds_dump_load l;

		if (done && !at)
			break;
		r = find_pa(dump, at, &l);
		if (r < 0) {
			if (!done)
				return r;
			break;
		}
		done += copy_saved(dump, &l, at - l.pa, (uint8_t *)buf + done, want - done);
	}
	return (int64_t)done;
}

size_t devsnap_dump_note_count(const struct devsnap_dump *dump)
{
	return dump ? dump->nnotes : 0;
}

int devsnap_dump_note(const struct devsnap_dump *dump, size_t index, struct devsnap_note *out)
{
	const struct ds_note *n;

	if (!dump || !out)
		return -EINVAL;
	if (index >= dump->nnotes)
		return -ERANGE;
	n = &dump->notes[index];
	*out = (struct devsnap_note){
		.name = n->name,
		.type = n->type,
		.data = n->desc,
		.size = n->desc_size,
		.file_offset = n->offset,
	};
	return 0;
}

size_t devsnap_dump_blob_count(const struct devsnap_dump *dump)
{
	return dump ? dump->nblobs : 0;
}

int devsnap_dump_blob(const struct devsnap_dump *dump, size_t index, struct devsnap_blob *out)
{
	struct ds_note_blob b;

	if (!dump || !out)
		return -EINVAL;
	if (index >= dump->nblobs)
		return -ERANGE;
	ds_note_blob_decode(&dump->notes[dump->blob_notes[index]], &b); /* checked at open */
	*out = (struct devsnap_blob){
		.name = b.name,
		.name_len = b.name_len,
		.data = b.data,
		.size = b.size,
	};
	return 0;
}

int devsnap_dump_find_blob(const struct devsnap_dump *dump, const char *name,
			   struct devsnap_blob *out)
{
	size_t len;

	if (!dump || !name || !out)
		return -EINVAL;
	len = strlen(name);
	for (size_t i = 0; i < dump->nblobs; i++) {
		devsnap_dump_blob(dump, i, out);
		if (out->name_len == len && !memcmp(out->name, name, len))
			return 0;
	}
	return -ENOENT;
}
