/* SPDX-License-Identifier: MIT */
/*
 * The one place that makes text from outside (a dump, a store entry, sysfs,
 * a config file, a file name) safe to print.  Every such string reaches the
 * terminal, the journal or a JSON reader through these functions.
 *
 * Terminal text: printable ASCII passes through, and so does printable
 * UTF-8 when the locale's character set is UTF-8 (LC_ALL, LC_CTYPE, LANG).
 * Everything else becomes a visible escape, so nothing can move the
 * cursor, recolour, forge a line or reverse text direction:
 *   \\          a backslash, so that the escapes below are unambiguous
 *   \n \r \t    those controls
 *   \xHH        any other C0 control, DEL, and each byte of invalid UTF-8
 *               (a stray or truncated sequence, overlong, a surrogate,
 *               past U+10FFFF)
 *   \uHHHH      a valid code point a terminal must not get raw: C1
 *               controls (U+0080-U+009F), the bidirectional controls
 *               (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069),
 *               the line and paragraph separators (U+2028, U+2029) and,
 *               off a UTF-8 locale, every non-ASCII code point
 *               (\UHHHHHHHH past U+FFFF).
 *
 * JSON: json-c writes C0 controls, '"' and '\' of strings as escapes;
 * escape_json_write() writes its output with DEL and the code points above
 * as \uHHHH (a surrogate pair past U+FFFF) and each byte of invalid UTF-8
 * as \ufffd, U+FFFD REPLACEMENT CHARACTER.  So every JSON output is valid
 * UTF-8 JSON, carries nothing raw a terminal would act on, and decodes
 * back to the original string where that was valid UTF-8.
 */
#ifndef DS_ESCAPE_H
#define DS_ESCAPE_H

#include <stdio.h>
#include <string.h>

/* Writes the len bytes at s to f (NULL: nowhere) escaped as terminal text;
 * returns the number of characters that takes, for aligning columns. */
size_t escape_write(FILE *f, const char *s, size_t len);

static inline size_t escape_puts(FILE *f, const char *s)
{
	return escape_write(f, s, strlen(s));
}

/* Writes json, text that json-c serialized, to f as described above. */
void escape_json_write(FILE *f, const char *json);

/* A copy of s, malloc()ed, with each byte of invalid UTF-8 replaced by
 * U+FFFD as escape_json_write() does: for JSON that is stored; NULL when
 * out of memory. */
char *escape_utf8_dup(const char *s);

#endif /* DS_ESCAPE_H */
