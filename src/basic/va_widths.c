// SPDX-License-Identifier: MIT
/* A format's VA widths as text, for formats and capture's messages. */
#include <stdio.h>

#include "basic/va_widths.h"

char *format_va_widths(const struct ds_format *f, char *buf, size_t size)
{
	size_t n = 0;

	if (f->min_va_bits == f->max_va_bits) {
		snprintf(buf, size, "%u", f->max_va_bits);
	} else if (!(f->flags & DS_FMT_WHOLE_LEVELS)) {
		snprintf(buf, size, "%u to %u", f->min_va_bits, f->max_va_bits);
	} else {
		buf[0] = '\0';
		for (unsigned bits = f->min_va_bits; bits <= f->max_va_bits && n < size; bits++) {
			const char *sep = !n ? "" : bits == f->max_va_bits ? " or " : ", ";

			if (ds_format_va_bits_ok(f, bits))
				n += (size_t)snprintf(buf + n, size - n, "%s%u", sep, bits);
		}
	}
	return buf;
}
