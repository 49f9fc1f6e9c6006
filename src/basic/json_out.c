// SPDX-License-Identifier: MIT
#include "basic/json_out.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "basic/escape.h"
#include "basic/log.h"
#include "basic/units.h"

enum json_format json_format = JSON_OFF;

int json_parse_format(const char *arg)
{
	static const char *const names[] = { [JSON_OFF] = "off", [JSON_SHORT] = "short",
					     [JSON_PRETTY] = "pretty" };

	if (!arg) {
		json_format = JSON_SHORT;
		return 0;
	}
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(arg, names[i])) {
			json_format = i;
			return 0;
		}
	return log_error("--json=%s: give pretty, short or off", arg);
}

struct json_object *json_hex(uint64_t value)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)value);
	return json_object_new_string(buf);
}

void json_add_hex(struct json_object *o, const char *key, uint64_t value)
{
	json_object_object_add(o, key, json_hex(value));
}

void json_add_u64(struct json_object *o, const char *key, uint64_t value)
{
	char exact[64], digits[24];

	json_object_object_add(o, key, json_object_new_uint64(value));
	if (value <= 1ull << 53)
		return;
	snprintf(exact, sizeof(exact), "%s_str", key);
	snprintf(digits, sizeof(digits), "%llu", (unsigned long long)value);
	json_object_object_add(o, exact, json_object_new_string(digits));
}

void json_add_time_ns(struct json_object *o, const char *key, uint64_t ns)
{
	char t[TIME_BUF];

	json_add_str(o, key, ns ? format_time_iso(ns, t) : NULL);
}

void json_add_str(struct json_object *o, const char *key, const char *value)
{
	json_object_object_add(o, key, value ? json_object_new_string(value) : NULL);
}

const char *json_get_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return "";
	return json_object_get_string(v);
}

int json_print(struct json_object *o)
{
	int flags = json_format == JSON_PRETTY ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED
					       : JSON_C_TO_STRING_PLAIN;
	const char *s = json_object_to_json_string_ext(o, flags | JSON_C_TO_STRING_NOSLASHESCAPE);

	if (!s)
		return -EIO;
	escape_json_write(stdout, s);
	if (putchar('\n') == EOF || fflush(stdout) != 0 || ferror(stdout))
		return -EIO;
	return 0;
}
