// SPDX-License-Identifier: MIT
#include "collect/dump_meta.h"

#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "basic/cleanup.h"
#include "basic/escape.h"
#include "basic/json_out.h"
#include "basic/log.h"
#include "dump_parse.h"

/* value, from sysfs or a dump, as valid UTF-8: the file is JSON.  What is
 * printed of it later is escaped then. */
static void json_add_text(struct json_object *o, const char *key, const char *value)
{
	_cleanup_free_ char *copy = escape_utf8_dup(value);

	if (copy)
		json_add_str(o, key, copy);
}

static struct json_object *devsnap_summary(const struct ds_note *n)
{
	struct json_object *s;
	struct ds_note_info info;

	if (ds_note_info_decode(n, &info) < 0 || !(s = json_object_new_object()))
		return NULL;
	json_add_text(s, "format", info.format);
	json_add_text(s, "device", info.device);
	json_add_text(s, "driver", info.driver);
	json_add_text(s, "reason", info.reason);
	json_add_u64(s, "page_size", info.page_size);
	json_add_u64(s, "mapped", info.mapped);
	json_add_u64(s, "saved", info.saved);
	json_add_u64(s, "segments", info.nsegs);
	json_add_u64(s, "time_ns", info.time_ns);
	return s;
}

static struct json_object *asahi_summary(const struct ds_dump_file *f, const struct ds_note *n)
{
	struct json_object *s;
	struct ds_agx_info agx;
	char chip[16], fw[80];
	int len = 0;

	if (ds_note_agx_decode(n, &agx) < 0 || !(s = json_object_new_object()))
		return NULL;
	snprintf(chip, sizeof(chip), "t%x", agx.chip_id);
	for (unsigned i = 0; i < 6 && (i < 3 || agx.firmware_version[i]); i++)
		len += snprintf(fw + len, sizeof(fw) - len, "%s%u", i ? "." : "",
				agx.firmware_version[i]);
	json_add_text(s, "format", "apple-uat");
	json_add_text(s, "chip", chip);
	json_add_u64(s, "gpu_gen", agx.gpu_gen);
	json_add_u64(s, "gpu_variant", agx.gpu_variant);
	json_add_u64(s, "gpu_rev", agx.gpu_rev);
	json_add_u64(s, "cores", agx.total_active_cores);
	json_add_text(s, "firmware", fw);
	json_add_u64(s, "segments", f->nloads);
	return s;
}

/* "devsnap", "asahi", "elf" or "raw", and the summary of the first two. */
static void add_content(struct json_object *meta, const struct devcd *d, uint64_t size,
			const uint8_t *head, size_t head_len)
{
	struct json_object *summary = NULL;
	const char *content = "raw";
	struct ds_note_iter it = { 0 };
	struct ds_dump_file f;
	struct ds_note n;

	if (head_len >= 4 && !memcmp(head, "\177ELF", 4)) {
		content = "elf";
		if (ds_dump_open_head(&f, head, head_len, size) < 0)
			log_warn("%s: an ELF file but no core devsnap reads (%s, at offset %llu)",
				 d->name, f.error, (unsigned long long)f.error_offset);
		else
			while (!summary && ds_dump_next_note(&f, &it, &n) == 1) {
				if (ds_note_is(&n, DS_NOTE_NAME, DS_NT_INFO))
					summary = devsnap_summary(&n), content = "devsnap";
				else if (ds_note_is(&n, "AGX", 1))
					summary = asahi_summary(&f, &n), content = "asahi";
			}
	}
	json_object_object_add(meta, "content", json_object_new_string(content));
	if (summary)
		json_object_object_add(meta, "summary", summary);
}

/* A small text file such as boot_id, without its newline; "" if unreadable. */
static void read_small(const char *path, char *out, size_t len)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");

	if (!f || !fgets(out, (int)len, f))
		out[0] = '\0';
	out[strcspn(out, "\n")] = '\0';
}

struct json_object *dump_meta_new(const struct devcd *d, uint64_t size, uint64_t compressed,
				  const uint8_t *head, size_t head_len)
{
	struct json_object *o = json_object_new_object();
	time_t secs = (time_t)(d->time_usec / 1000000);
	char buf[256], stamp[64];
	struct utsname u;
	struct tm tm;

	if (!o)
		return NULL;
	json_add_text(o, "name", "");
	gmtime_r(&secs, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, sizeof(buf), "%s.%06uZ", stamp, (unsigned)(d->time_usec % 1000000));
	json_add_text(o, "time", buf);
	json_add_u64(o, "time_usec", d->time_usec);
	json_add_text(o, "devcd", d->name);
	json_add_text(o, "device", d->device);
	json_add_text(o, "driver", d->driver);
	json_add_u64(o, "size", size);
	json_add_u64(o, "size_compressed", compressed);
	json_add_text(o, "kernel", uname(&u) == 0 ? u.release : "");
	read_small("/proc/sys/kernel/random/boot_id", buf, sizeof(buf));
	json_add_text(o, "boot_id", buf);
	if (gethostname(buf, sizeof(buf)) < 0)
		buf[0] = '\0';
	buf[sizeof(buf) - 1] = '\0';
	json_add_text(o, "hostname", buf);
	add_content(o, d, size, head, head_len);
	return o;
}
