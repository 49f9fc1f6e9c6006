// SPDX-License-Identifier: MIT
#include "read/dumpinfo.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "basic/cleanup.h"
#include "basic/escape.h"
#include "basic/json_out.h"
#include "basic/log.h"
#include "basic/units.h"
#include "elf_layout.h" /* INFO_UPPER_HALF: ds_note_info.flags */

static const char *const producer_names[] = {
	[PRODUCER_UNKNOWN] = "unknown (an ELF core without DEVSNAP or AGX notes)",
	[PRODUCER_DEVSNAP] = "devsnap",
	[PRODUCER_ASAHI] = "Asahi drm/asahi",
};

void dump_totals(const struct dumpview *v, struct dump_totals *t)
{
	struct devsnap_segment l;

	*t = (struct dump_totals){ .segments = v->nsegs };
	for (uint32_t i = 0; i < v->nsegs; i++) {
		dumpview_load(v, i, &l);
		t->mapped += l.size;
		t->saved += l.file_size;
		if (l.file_size)
			t->saved_segments++;
		/* enum devsnap_segment_state follows enum ds_skip_reason, "not saved" last. */
		if (l.file_size < l.size)
			t->skipped[l.state] += l.size - l.file_size;
	}
}

struct file_extent {
	uint64_t start, end;
};

/* Start up, then end down: a segment sharing another's bytes comes after it. */
static int by_offset(const void *a, const void *b)
{
	const struct file_extent *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end > y->end ? -1 : x->end < y->end;
}

/* Page data the file holds (saved extents merged) and the segments whose
 * bytes lie inside another's: what sharing pages saved. */
static int file_sharing(const struct dumpview *v, struct dump_sharing *sh)
{
	_cleanup_free_ struct file_extent *e = calloc(v->nsegs ? v->nsegs : 1, sizeof(*e));
	struct devsnap_segment l;
	uint64_t end = 0;
	size_t n = 0;

	*sh = (struct dump_sharing){ 0 };
	if (!e)
		return log_error_errno(-ENOMEM, "cannot total the file bytes of %s", v->path);
	for (uint32_t i = 0; i < v->nsegs; i++) {
		dumpview_load(v, i, &l);
		if (l.file_size)
			e[n++] = (struct file_extent){ l.file_offset, l.file_offset + l.file_size };
	}
	qsort(e, n, sizeof(*e), by_offset);
	for (size_t i = 0; i < n; i++) {
		uint64_t from = e[i].start > end ? e[i].start : end;

		if (e[i].end <= from) {
			sh->aliases++; /* wholly inside bytes counted already */
			continue;
		}
		sh->in_file += e[i].end - from;
		end = e[i].end;
	}
	return 0;
}

static const char *skip_name(unsigned i)
{
	return i < DS_SKIP_REASON_COUNT ? ds_skip_reason_name(i) : "unknown";
}

static void print_field(const char *key, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void print_field(const char *key, const char *fmt, ...)
{
	va_list ap;

	printf("%14s: ", key);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* A field whose text comes from the file (or names it): escaped. */
static void print_text_field(const char *key, const char *text)
{
	printf("%14s: ", key);
	escape_puts(stdout, text);
	putchar('\n');
}

static const char *machine_name(uint16_t m)
{
	switch (m) {
	case 0: return "none";
	case 62: return "x86-64";
	case 183: return "AArch64";
	case 243: return "RISC-V";
	default: return "other";
	}
}

static uint64_t page_size(const struct dumpview *v)
{
	struct devsnap_segment l;

	if (v->has_info)
		return v->info.page_size;
	if (!v->nsegs)
		return 0;
	dumpview_load(v, 0, &l);
	return l.align;
}

/* RTKit's "Cstr" section: a u32 message id, then the crash message. */
static bool rtkit_message(const struct ds_rtkit_section *s, const char **msg, uint32_t *len)
{
	if (s->fourcc[0] != 'C' || s->fourcc[1] != 's' || s->payload_size < 4)
		return false;
	*msg = (const char *)s->payload + 4;
	*len = s->payload_size - 4;
	return true;
}

static void print_devsnap(const struct ds_note_info *in)
{
	char t[TIME_BUF];

	print_text_field("Device", in->device);
	print_text_field("Driver", in->driver);
	print_text_field("Reason", in->reason);
	print_field("Time", "%s", format_time_ns(in->time_ns, t));
	printf("%14s: ", "Format");
	escape_puts(stdout, in->format);
	printf(", %u-bit VA%s, root", in->va_bits,
	       in->flags & INFO_UPPER_HALF ? " (upper half)" : "");
	for (uint32_t i = 0; i < in->nroots; i++)
		printf("%s 0x%" PRIx64, i ? "," : "", in->roots[i]);
	putchar('\n');
	if (in->has_pci)
		print_field("PCI function",
			    "%04x:%02x:%02x.%u, IOMMU domain %u (table 0x%" PRIx64 ")",
			    in->pci.segment, in->pci.rid >> 8, in->pci.rid >> 3 & 0x1f,
			    in->pci.rid & 7, in->pci.domain_id, in->pci.iommu_table);
}

static void print_agx(const struct ds_agx_info *a)
{
	const uint32_t *fw = a->firmware_version;

	print_field("GPU", "chip 0x%x, generation %u, variant %u, revision %u, %u cores",
		    a->chip_id, a->gpu_gen, a->gpu_variant, a->gpu_rev, a->total_active_cores);
	print_field("Firmware", "%u.%u.%u.%u.%u.%u", fw[0], fw[1], fw[2], fw[3], fw[4], fw[5]);
	print_field("Initdata", "0x%" PRIx64, a->initdata_address);
}

static void print_rtkit(const struct dumpview *v)
{
	struct ds_rtkit_section s;
	uint64_t pos = 0;
	const char *msg;
	uint32_t len;
	int r;

	printf("%14s:", "RTKit log");
	while ((r = ds_rtkit_next_section(v->rtkit_log, v->rtkit_size, &pos, &s)) == 1) {
		putchar(' ');
		escape_write(stdout, s.fourcc, 4);
	}
	puts(r < 0 ? " (malformed past this point)" : "");
	for (pos = 0; ds_rtkit_next_section(v->rtkit_log, v->rtkit_size, &pos, &s) == 1;)
		if (rtkit_message(&s, &msg, &len)) {
			printf("%14s: ", "Crash message");
			escape_write(stdout, msg, strnlen(msg, len));
			putchar('\n');
		}
}

static void print_totals(const struct dumpview *v)
{
	struct dump_sharing sh;
	struct dump_totals t;
	char a[BYTES_BUF], b[BYTES_BUF];
	bool any = false;

	dump_totals(v, &t);
	print_field("Segments", "%" PRIu64 ", %" PRIu64 " saved", t.segments, t.saved_segments);
	print_field("Mapped", "%s", format_bytes(t.mapped, a));
	if (file_sharing(v, &sh) == 0 && sh.aliases)
		print_field("Saved", "%s (%s in the file: %" PRIu64 " aliases share pages)",
			    format_bytes(t.saved, a), format_bytes(sh.in_file, b), sh.aliases);
	else
		print_field("Saved", "%s", format_bytes(t.saved, a));
	printf("%14s:", "Skipped");
	for (unsigned i = 1; i <= DS_SKIP_REASON_COUNT; i++)
		if (t.skipped[i]) {
			printf("%s %s %s", any ? "," : "", format_bytes(t.skipped[i], a), skip_name(i));
			any = true;
		}
	puts(any ? "" : " nothing");
}

/* The notes devsnap knows by name; others by their type number. */
static const char *note_kind(const struct ds_note *n)
{
	if (ds_note_is(n, DS_NOTE_NAME, DS_NT_INFO))
		return "INFO";
	if (ds_note_is(n, DS_NOTE_NAME, DS_NT_SKIPPED))
		return "SKIPPED";
	if (ds_note_is(n, DS_NOTE_NAME, DS_NT_BLOB))
		return "BLOB";
	if (ds_note_is(n, "AGX", 1))
		return "AGXDumpInfo";
	if (ds_note_is(n, "RTKIT", 1))
		return "crash log";
	return NULL;
}

static void print_notes(const struct dumpview *v)
{
	struct ds_note_blob b;
	struct ds_note n;
	char a[BYTES_BUF];

	for (size_t i = 0; dumpview_note(v, i, &n) == 0; i++) {
		printf("%14s: ", "Note");
		escape_puts(stdout, n.name);
		if (note_kind(&n))
			printf(" %s, %s", note_kind(&n), format_bytes(n.desc_size, a));
		else
			printf(" type 0x%x, %s", n.type, format_bytes(n.desc_size, a));
		if (ds_note_is(&n, DS_NOTE_NAME, DS_NT_BLOB) && ds_note_blob_decode(&n, &b) == 0) {
			printf(", blob \"");
			escape_write(stdout, b.name, strnlen(b.name, b.name_len));
			putchar('"');
		}
		putchar('\n');
	}
}

static int print_text(const struct dumpview *v)
{
	char a[BYTES_BUF];

	printf("%14s: ", "File");
	escape_puts(stdout, v->path);
	printf(" (%s)\n", format_bytes(v->size, a));
	print_field("Producer", "%s", producer_names[v->producer]);
	if (v->has_info)
		print_devsnap(&v->info);
	if (v->has_agx)
		print_agx(&v->agx);
	if (v->rtkit_log)
		print_rtkit(v);
	print_field("Page size", "%s", format_bytes(page_size(v), a));
	print_field("Machine", "%s (e_machine %u)", machine_name(v->e_machine), v->e_machine);
	print_totals(v);
	print_notes(v);
	return fflush(stdout) ? -errno : 0;
}

static struct json_object *json_pci(const struct ds_dump_pci *pci)
{
	struct json_object *o = json_object_new_object();
	char bdf[16];

	snprintf(bdf, sizeof(bdf), "%04x:%02x:%02x.%u", pci->segment, pci->rid >> 8,
		 pci->rid >> 3 & 0x1f, pci->rid & 7);
	json_add_str(o, "function", bdf);
	json_add_u64(o, "domain_id", pci->domain_id);
	json_add_hex(o, "iommu_table", pci->iommu_table);
	return o;
}

static struct json_object *json_devsnap(const struct ds_note_info *in)
{
	struct json_object *o = json_object_new_object(), *roots = json_object_new_array();

	json_add_str(o, "device", in->device);
	json_add_str(o, "driver", in->driver);
	json_add_str(o, "reason", in->reason);
	json_add_u64(o, "time_ns", in->time_ns);
	json_add_time_ns(o, "time", in->time_ns);
	json_add_str(o, "format", in->format);
	json_add_u64(o, "va_bits", in->va_bits);
	json_object_object_add(o, "upper_half",
			       json_object_new_boolean(in->flags & INFO_UPPER_HALF));
	for (uint32_t i = 0; i < in->nroots; i++)
		json_object_array_add(roots, json_hex(in->roots[i]));
	json_object_object_add(o, "roots", roots);
	if (in->has_pci)
		json_object_object_add(o, "pci", json_pci(&in->pci));
	json_add_u64(o, "note_version", in->version);
	return o;
}

static struct json_object *json_agx(const struct ds_agx_info *a)
{
	struct json_object *o = json_object_new_object(), *fw = json_object_new_array();

	json_add_hex(o, "chip_id", a->chip_id);
	json_add_u64(o, "gpu_gen", a->gpu_gen);
	json_add_u64(o, "gpu_variant", a->gpu_variant);
	json_add_u64(o, "gpu_rev", a->gpu_rev);
	json_add_u64(o, "total_active_cores", a->total_active_cores);
	json_add_hex(o, "initdata_address", a->initdata_address);
	for (unsigned i = 0; i < 6; i++)
		json_object_array_add(fw, json_object_new_uint64(a->firmware_version[i]));
	json_object_object_add(o, "firmware_version", fw);
	return o;
}

static struct json_object *json_rtkit(const struct dumpview *v)
{
	struct json_object *o = json_object_new_object(), *secs = json_object_new_array();
	struct ds_rtkit_section s;
	uint64_t pos = 0;
	const char *msg;
	uint32_t len;

	while (ds_rtkit_next_section(v->rtkit_log, v->rtkit_size, &pos, &s) == 1) {
		struct json_object *e = json_object_new_object();

		json_object_object_add(e, "fourcc", json_object_new_string_len(s.fourcc, 4));
		json_add_u64(e, "size", s.size);
		if (rtkit_message(&s, &msg, &len))
			json_object_object_add(e, "message", json_object_new_string_len(
							     msg, (int)strnlen(msg, len)));
		json_object_array_add(secs, e);
	}
	json_object_object_add(o, "sections", secs);
	return o;
}

static struct json_object *json_totals(const struct dumpview *v)
{
	struct json_object *o = json_object_new_object(), *skipped = json_object_new_object();
	struct dump_sharing sh;
	struct dump_totals t;

	dump_totals(v, &t);
	json_add_u64(o, "segments", t.segments);
	json_add_u64(o, "saved_segments", t.saved_segments);
	json_add_u64(o, "mapped", t.mapped);
	json_add_u64(o, "saved", t.saved);
	if (file_sharing(v, &sh) == 0) {
		json_add_u64(o, "in_file", sh.in_file);
		json_add_u64(o, "aliases", sh.aliases);
	}
	for (unsigned i = 1; i <= DS_SKIP_REASON_COUNT; i++)
		if (t.skipped[i])
			json_add_u64(skipped, skip_name(i), t.skipped[i]);
	json_object_object_add(o, "skipped", skipped);
	return o;
}

static struct json_object *json_notes(const struct dumpview *v)
{
	struct json_object *arr = json_object_new_array();
	struct ds_note_blob b;
	struct ds_note n;

	for (size_t i = 0; dumpview_note(v, i, &n) == 0; i++) {
		struct json_object *e = json_object_new_object();

		json_add_str(e, "name", n.name);
		json_add_hex(e, "type", n.type);
		json_add_str(e, "kind", note_kind(&n));
		json_add_u64(e, "size", n.desc_size);
		if (ds_note_is(&n, DS_NOTE_NAME, DS_NT_BLOB) && ds_note_blob_decode(&n, &b) == 0)
			json_object_object_add(e, "blob", json_object_new_string_len(
							  b.name, (int)strnlen(b.name, b.name_len)));
		json_object_array_add(arr, e);
	}
	return arr;
}

struct json_object *dump_info_json(const struct dumpview *v)
{
	static const char *const producers[] = { "unknown", "devsnap", "asahi" };
	struct json_object *o = json_object_new_object();

	json_add_str(o, "file", v->path);
	json_add_u64(o, "file_size", v->size);
	json_add_str(o, "producer", producers[v->producer]);
	if (v->has_info)
		json_object_object_add(o, "devsnap", json_devsnap(&v->info));
	if (v->has_agx)
		json_object_object_add(o, "agx", json_agx(&v->agx));
	if (v->rtkit_log)
		json_object_object_add(o, "rtkit", json_rtkit(v));
	json_add_u64(o, "page_size", page_size(v));
	json_add_u64(o, "e_machine", v->e_machine);
	json_object_object_add(o, "totals", json_totals(v));
	json_object_object_add(o, "notes", json_notes(v));
	return o;
}

static int print_json(const struct dumpview *v)
{
	_cleanup_json_ struct json_object *o = dump_info_json(v);

	return json_print(o);
}

int dump_info_print(const struct dumpview *v, bool json)
{
	return json ? print_json(v) : print_text(v);
}
