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

/* --json=pretty|short|off; a plain --json is short: one line. */
enum json_format { JSON_OFF, JSON_SHORT, JSON_PRETTY };
extern enum json_format json_format; /* how json_print writes */

/* Sets json_format from --json's argument (NULL: a plain --json): 0, or
 * -EINVAL after a line naming the choices. */
int json_parse_format(const char *arg);

static inline void json_putp(struct json_object **o)
{
	if (*o)
		json_object_put(*o);
}
#define _cleanup_json_ __attribute__((cleanup(json_putp)))

struct json_object *json_hex(uint64_t value);
void json_add_hex(struct json_object *o, const char *key, uint64_t value);
/* A number; past 2^53, which doubles (jq 1.6, JavaScript) round, also
 * KEY_str, its exact decimal digits. */
void json_add_u64(struct json_object *o, const char *key, uint64_t value);
/* An ISO 8601 UTC time, "2026-11-25T09:35:47.298510Z"; null for 0. */
void json_add_time_ns(struct json_object *o, const char *key, uint64_t ns);
void json_add_str(struct json_object *o, const char *key, const char *value); /* NULL: null */

/* o's string member key, or "" when it has none. */
const char *json_get_str(struct json_object *o, const char *key);

/* Prints o and a newline to stdout as json_format says (pretty: indented,
 * else one line), its strings made safe for a terminal (escape.h); 0 or
 * -errno. */
int json_print(struct json_object *o);

#endif /* DS_JSON_OUT_H */
