// SPDX-License-Identifier: MIT
/* devsnap formats: the page-table formats the walker knows. */
#include <stdio.h>
#include <string.h>

#include "basic/cleanup.h"
#include "basic/cli.h"
#include "basic/json_out.h"
#include "basic/log.h"
#include "basic/va_widths.h"
#include "pgtable.h"
#include "verbs.h"

static const char usage_text[] =
	"Usage: devsnap formats [--json[=pretty|short|off]]\n\n"
	"Lists the page-table formats for --format.\n\n"
	"  --json   an array of {\"name\", \"page_size\", \"min_va_bits\",\n"
	"           \"max_va_bits\", \"description\"}\n";

static int formats_json(void)
{
	_cleanup_json_ struct json_object *arr = json_object_new_array();
	const struct ds_format *f;

	for (unsigned i = 0; (f = ds_format_at(i)); i++) {
		struct json_object *o = json_object_new_object();

		json_add_str(o, "name", f->name);
		json_add_u64(o, "page_size", 1ull << f->page_shift);
		json_add_u64(o, "min_va_bits", f->min_va_bits);
		json_add_u64(o, "max_va_bits", f->max_va_bits);
		json_add_str(o, "description", f->description);
		json_object_array_add(arr, o);
	}
	return json_print(arr);
}

int verb_formats(int argc, char **argv)
{
	_cleanup_(cli_json_done) struct cli_json a;
	const struct ds_format *f;
	int r = cli_parse_json(&a, argc, argv, usage_text);

	if (r)
		return r < 0 ? r : 0;
	if (a.first != a.nargs)
		return log_error("formats takes no arguments; see 'devsnap formats --help'");
	if (a.json)
		return formats_json();
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
