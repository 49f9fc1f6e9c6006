/* SPDX-License-Identifier: MIT */
/*
 * --json output through json-c.  Addresses are strings ("0x..."): JSON
 * numbers are doubles to most readers (jq, JavaScript) and would lose the
 * low bits of a 64-bit VA; sizes and counts stay numbers.
 */
#ifndef DS_JSON_OUT_H
#define DS_JSON_OUT_H

#include <json-c/json.h>
#include <stdint.h>

static inline void json_putp(struct json_object **o)
{
	if (*o)
		json_object_put(*o);
}
#define _cleanup_json_ __attribute__((cleanup(json_putp)))

struct json_object *json_hex(uint64_t value);
void json_add_hex(struct json_object *o, const char *key, uint64_t value);
void json_add_u64(struct json_object *o, const char *key, uint64_t value);
void json_add_str(struct json_object *o, const char *key, const char *value); /* NULL: null */

/* o's string member key, or "" when it has none. */
const char *json_get_str(struct json_object *o, const char *key);

/* Pretty-prints o and a newline to stdout, its strings made safe for a
 * terminal (escape.h); 0 or -errno. */
int json_print(struct json_object *o);

#endif /* DS_JSON_OUT_H */
