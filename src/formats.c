// SPDX-License-Identifier: MIT
/* devsnap formats: the page-table formats the walker knows. */
#include <stdio.h>
#include <string.h>

#include "pgtable.h"
#include "verbs.h"

int verb_formats(int argc, char **argv)
{
	const struct ds_format *f;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		puts("Usage: devsnap formats\n\nLists the page-table formats for --format.");
		return 0;
	}
	printf("%-12s %-6s %-9s %s\n", "FORMAT", "PAGE", "VA-BITS", "DESCRIPTION");
	for (unsigned i = 0; (f = ds_format_at(i)); i++)
		printf("%-12s %-6s %u-%-7u %s\n", f->name,
		       f->page_shift == 12 ? "4K" : f->page_shift == 14 ? "16K" : "64K",
		       f->min_va_bits, f->max_va_bits, f->description);
	return 0;
}
