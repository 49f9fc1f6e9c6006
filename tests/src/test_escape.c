// SPDX-License-Identifier: MIT
/*
 * src/basic/escape.c: what terminal text and JSON make of controls, forged lines,
 * C1, invalid UTF-8 and bidirectional overrides.  Run twice, under
 * LC_ALL=C.UTF-8 (printable UTF-8 passes) and LC_ALL=C (it is escaped).
 */
#define _GNU_SOURCE /* open_memstream */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <json-c/json.h>

#include "basic/escape.h"

static bool utf8_mode(void)
{
	const char *l = getenv("LC_ALL");

	return l && strstr(l, "UTF-8");
}

/* What escape_write makes of len bytes at s; the caller frees it. */
static char *escaped(const char *s, size_t len)
{
	char *text = NULL;
	size_t size;
	FILE *f = open_memstream(&text, &size);

	assert_non_null(f);
	assert_int_equal(escape_write(f, s, len), escape_write(NULL, s, len));
	fclose(f);
	return text;
}

static void expect(const char *in, size_t len, const char *want)
{
	char *got = escaped(in, len);

	assert_string_equal(got, want);
	free(got);
}

#define EXPECT(in, want) expect(in, sizeof(in) - 1, want)

static void printable_ascii_passes_backslash_doubles(void **state)
{
	EXPECT("amdgpu 0000:03:00.0 ~!\"'{}", "amdgpu 0000:03:00.0 ~!\"'{}");
	EXPECT("a\\x1b", "a\\\\x1b");
}

static void controls_and_forged_lines(void **state)
{
	EXPECT("\x1b[31mred\x1b]0;title\a", "\\x1b[31mred\\x1b]0;title\\x07");
	EXPECT("gpu\r\nFAKE: line\ttab", "gpu\\r\\nFAKE: line\\ttab");
	EXPECT("nul\0after\x7f\x01\x1f", "nul\\x00after\\x7f\\x01\\x1f");
}

static void c1_controls(void **state)
{
	EXPECT("\xc2\x9b" "31m\xc2\x80\xc2\x9f", "\\u009b31m\\u0080\\u009f");
	EXPECT("\x9b" "31m", "\\x9b31m"); /* a raw 8-bit CSI is invalid UTF-8 */
}

static void invalid_utf8_bytes(void **state)
{
	EXPECT("\xc0\xaf", "\\xc0\\xaf");             /* overlong '/' */
	EXPECT("\xe0\x80\xaf", "\\xe0\\x80\\xaf");    /* overlong, 3 bytes */
	EXPECT("\xed\xa0\x80", "\\xed\\xa0\\x80");    /* a surrogate */
	EXPECT("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"); /* past U+10FFFF */
	EXPECT("\xff\xfe", "\\xff\\xfe");
	EXPECT("ok\xe2\x82", "ok\\xe2\\x82");         /* truncated at the end */
	EXPECT("\xe2\x82" "A", "\\xe2\\x82A");        /* truncated before ASCII */
}

static void bidi_controls_and_separators(void **state)
{
	EXPECT("\xe2\x80\xae" "cod.exe", "\\u202ecod.exe");
	EXPECT("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad", "\\u202a\\u202b\\u202c\\u202d");
	EXPECT("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9", "\\u2066\\u2067\\u2068\\u2069");
	EXPECT("\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c", "\\u200e\\u200f\\u061c");
	EXPECT("\xe2\x80\xa8\xe2\x80\xa9", "\\u2028\\u2029");
}

static void printable_utf8_by_locale(void **state)
{
	if (utf8_mode())
		EXPECT("caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x98\x80",
		       "caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x98\x80");
	else
		EXPECT("caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x98\x80",
		       "caf\\u00e9 \\u2192 \\U0001f600");
}

static void counts_characters(void **state)
{
	assert_int_equal(escape_write(NULL, "ab\x1b", 3), 6);
	assert_int_equal(escape_write(NULL, "\xc3\xa9", 2), utf8_mode() ? 1 : 6);
	assert_int_equal(escape_write(NULL, "\xff", 1), 4);
}

/* json-c's text for a string holding s, through escape_json_write. */
static char *json_of(const char *s, size_t len)
{
	struct json_object *o = json_object_new_string_len(s, (int)len);
	char *text = NULL;
	size_t size;
	FILE *f = open_memstream(&text, &size);

	assert_non_null(f);
	escape_json_write(f, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	fclose(f);
	json_object_put(o);
	return text;
}

/* The string a JSON text decodes to. */
static char *decoded(const char *json)
{
	struct json_object *o = json_tokener_parse(json);
	char *s;

	assert_non_null(o);
	assert_true(json_object_is_type(o, json_type_string));
	s = strdup(json_object_get_string(o));
	json_object_put(o);
	return s;
}

static void no_raw_controls(const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		assert_true(*p >= 0x20 && *p != 0x7f);
		if (p[0] == 0xc2)
			assert_false(p[1] >= 0x80 && p[1] <= 0x9f);
		if (p[0] == 0xe2 && p[1] == 0x80)
			assert_false(p[2] == 0x8e || p[2] == 0x8f ||
				     (p[2] >= 0xa8 && p[2] <= 0xae));
		if (p[0] == 0xe2 && p[1] == 0x81)
			assert_false(p[2] >= 0xa6 && p[2] <= 0xa9);
		if (!utf8_mode())
			assert_true(*p < 0x80);
	}
}

static void json_valid_utf8_round_trips(void **state)
{
	static const char s[] = "\x1b[2J\r\nFAKE: line\t\x7f\xc2\x9b\xe2\x80\xae\xe2\x81\xa6"
				"\xe2\x80\xa8 caf\xc3\xa9 \xf0\x9f\x98\x80 \\ \"";
	char *json = json_of(s, sizeof(s) - 1), *back = decoded(json);

	no_raw_controls(json);
	assert_non_null(strstr(json, "\\u007f\\u009b\\u202e\\u2066\\u2028"));
	assert_non_null(strstr(json, utf8_mode() ? "\xf0\x9f\x98\x80" : "\\ud83d\\ude00"));
	assert_string_equal(back, s);
	free(json);
	free(back);
}

static void json_invalid_utf8_becomes_replacement(void **state)
{
	char *json = json_of("a\xff\xc0\xaf" "b\xed\xa0\x80", 8), *back = decoded(json);

	no_raw_controls(json);
	assert_string_equal(json, "\"a\\ufffd\\ufffd\\ufffdb\\ufffd\\ufffd\\ufffd\"");
	assert_string_equal(back, "a\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
				  "b\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	free(json);
	free(back);
}

static void json_layout_is_kept(void **state)
{
	static const char pretty[] = "{\n  \"a\": [\n    1\n  ]\n}";
	char *text = NULL;
	size_t size;
	FILE *f = open_memstream(&text, &size);

	escape_json_write(f, pretty);
	fclose(f);
	assert_string_equal(text, pretty);
	free(text);
}

static void utf8_dup_replaces_invalid_bytes(void **state)
{
	char *s = escape_utf8_dup("ok\xc3\xa9\x1b\xff\xe2\x82");

	assert_string_equal(s, "ok\xc3\xa9\x1b\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(printable_ascii_passes_backslash_doubles),
		cmocka_unit_test(controls_and_forged_lines),
		cmocka_unit_test(c1_controls),
		cmocka_unit_test(invalid_utf8_bytes),
		cmocka_unit_test(bidi_controls_and_separators),
		cmocka_unit_test(printable_utf8_by_locale),
		cmocka_unit_test(counts_characters),
		cmocka_unit_test(json_valid_utf8_round_trips),
		cmocka_unit_test(json_invalid_utf8_becomes_replacement),
		cmocka_unit_test(json_layout_is_kept),
		cmocka_unit_test(utf8_dup_replaces_invalid_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
