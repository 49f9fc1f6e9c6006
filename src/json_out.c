// SPDX-License-Identifier: MIT
#include "json_out.h"

#include <errno.h>
#include <stdio.h>

#include "escape.h"

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
	json_object_object_add(o, key, json_object_new_uint64(value));
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
	const char *s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
							      JSON_C_TO_STRING_SPACED |
							      JSON_C_TO_STRING_NOSLASHESCAPE);

	if (!s)
		return -EIO;
	escape_json_write(stdout, s);
	if (putchar('\n') == EOF || fflush(stdout) != 0 || ferror(stdout))
		return -EIO;
	return 0;
}
