// SPDX-License-Identifier: MIT
#define _GNU_SOURCE /* newlocale */
#include "basic/escape.h"

#include <langinfo.h>
#include <locale.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#define REPLACEMENT 0xfffd

/* Whether the user's locale, not the "C" one a program starts in, is
 * UTF-8: the terminal then shows printable UTF-8 as text. */
static bool utf8_locale(void)
{
	static int utf8 = -1;

	if (utf8 < 0) {
		locale_t l = newlocale(LC_CTYPE_MASK, "", (locale_t)0);

		utf8 = l && !strcmp(nl_langinfo_l(CODESET, l), "UTF-8");
		if (l)
			freelocale(l);
	}
	return utf8;
}

/* The length (1 to 4) of the valid UTF-8 sequence at s, n > 0 bytes long,
 * and its code point; 0 when s starts none.  Not mbrtowc(): its answer
 * depends on the locale, and JSON is UTF-8 whatever the locale. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len;
	uint32_t v, min;

	if (s[0] < 0x80)
		len = 1, v = s[0], min = 0;
	else if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, v = s[0] & 0x1f, min = 0x80;
	else if ((s[0] & 0xf0) == 0xe0)
		len = 3, v = s[0] & 0x0f, min = 0x800;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, v = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

static bool bidi_control(uint32_t cp)
{
	return cp == 0x61c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

/* A code point the terminal must not get raw (see escape.h). */
static bool needs_escape(uint32_t cp)
{
	if (cp < 0x20 || cp == 0x7f)
		return true;
	if (cp < 0x80)
		return false;
	return cp <= 0x9f || bidi_control(cp) || cp == 0x2028 || cp == 0x2029 || !utf8_locale();
}

/* Writes s to f, or only counts it with f NULL; its length either way. */
static size_t emit(FILE *f, const char *s)
{
	if (f)
		fputs(s, f);
	return strlen(s);
}

static size_t escape_byte(FILE *f, unsigned char byte)
{
	char buf[8];

	snprintf(buf, sizeof(buf), "\\x%02x", byte);
	return emit(f, buf);
}

static size_t escape_code_point(FILE *f, uint32_t cp)
{
	char buf[16];

	switch (cp) {
	case '\\':
		return emit(f, "\\\\");
	case '\n':
		return emit(f, "\\n");
	case '\r':
		return emit(f, "\\r");
	case '\t':
		return emit(f, "\\t");
	}
	if (cp < 0x80)
		return escape_byte(f, (unsigned char)cp);
	if (cp > 0xffff)
		snprintf(buf, sizeof(buf), "\\U%08x", (unsigned)cp);
	else
		snprintf(buf, sizeof(buf), "\\u%04x", (unsigned)cp);
	return emit(f, buf);
}

size_t escape_write(FILE *f, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t chars = 0;

	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode(p + i, len - i, &cp);

		if (!n) {
			chars += escape_byte(f, p[i++]);
			continue;
		}
		if (cp == '\\' || needs_escape(cp)) {
			chars += escape_code_point(f, cp);
		} else {
			if (f)
				fwrite(p + i, 1, n, f);
			chars++;
		}
		i += n;
	}
	return chars;
}

/* cp as a JSON \u escape: UTF-16, a surrogate pair past U+FFFF. */
static void json_escape_code_point(FILE *f, uint32_t cp)
{
	if (cp > 0xffff) {
		cp -= 0x10000;
		fprintf(f, "\\u%04x", (unsigned)(0xd800 + (cp >> 10)));
		cp = 0xdc00 + (cp & 0x3ff);
	}
	fprintf(f, "\\u%04x", (unsigned)cp);
}

/*
 * json-c's output is ASCII but for the bytes of strings, and writes every
 * C0 control in a string as an escape: a byte from DEL on can only be
 * inside a string, where an escape stands for it.  Raw newlines are the
 * layout's own.
 */
void escape_json_write(FILE *f, const char *json)
{
	const unsigned char *p = (const unsigned char *)json;
	size_t len = strlen(json);

	for (size_t i = 0; i < len;) {
		size_t ascii = 0, n;
		uint32_t cp;

		while (i + ascii < len && p[i + ascii] < 0x7f)
			ascii++;
		if (ascii) {
			fwrite(p + i, 1, ascii, f);
			i += ascii;
			continue;
		}
		n = utf8_decode(p + i, len - i, &cp);
		if (!n)
			json_escape_code_point(f, REPLACEMENT);
		else if (needs_escape(cp))
			json_escape_code_point(f, cp);
		else
			fwrite(p + i, 1, n, f);
		i += n ? n : 1;
	}
}

char *escape_utf8_dup(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), o = 0;
	char *out = malloc(3 * len + 1); /* a byte becomes at most U+FFFD's 3 */

	if (!out)
		return NULL;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode(p + i, len - i, &cp);

		if (n) {
			memcpy(out + o, p + i, n);
			o += n, i += n;
		} else {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3, i++;
		}
	}
	out[o] = '\0';
	return out;
}
