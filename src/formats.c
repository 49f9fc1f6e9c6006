// SPDX-License-Identifier: MIT
/* devsnap formats: the page-table formats the walker knows. */
#include <stdio.h>
#include <string.h>

#include "pgtable.h"
#include "va_widths.h"
#include "verbs.h"

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

int verb_formats(int argc, char **argv)
{
	const struct ds_format *f;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		puts("Usage: devsnap formats\n\nLists the page-table formats for --format.");
		return 0;
	}
	printf("%-12s %-5s %-8s %s\n", "FORMAT", "PAGE", "VA-BITS", "DESCRIPTION");
	for (unsigned i = 0; (f = ds_format_at(i)); i++) {
		char va_bits[16];

		if (f->min_va_bits == f->max_va_bits)
			snprintf(va_bits, sizeof(va_bits), "%u", f->max_va_bits);
		else
			snprintf(va_bits, sizeof(va_bits), "%u-%u", f->min_va_bits, f->max_va_bits);
		printf("%-12s %-5s %-8s %s\n", f->name,
		       f->page_shift == 12 ? "4K" : f->page_shift == 14 ? "16K" : "64K", va_bits,
		       f->description);
	}
	puts("\nFirst-level (scalable-mode) VT-d tables are x86-64 paging: x86_64 or x86_64-5l.");
	return 0;
}
