// SPDX-License-Identifier: MIT
/* devsnap info DUMP...: what a dump holds, at a glance. */
#include <stdio.h>

#include "basic/cleanup.h"
#include "basic/cli.h"
#include "basic/log.h"
#include "read/dumpinfo.h"
#include "read/verbs.h"

static const char usage_text[] =
	"Usage: devsnap info [--json] DUMP...\n\n"
	"Shows who produced each dump, the device and driver, the page-table\n"
	"format, the capture time and reason, what was mapped, saved and skipped\n"
	"(by reason), and the notes it carries.\n\n"
	"  --bytes       sizes in bytes, not \"2.1 MiB\"\n"
	"  --json[=pretty|short|off]\n"
	"                one JSON object per dump\n"
	"  --store DIR   where to look up a store ID (default $DEVSNAP_STORE)\n";

int verb_info(int argc, char **argv)
{
	_cleanup_(cli_json_done) struct cli_json a;
	int r = cli_parse_json_ext(&a, argc, argv, usage_text, CLI_BYTES);

	if (r)
		return r < 0 ? r : 0;
	if (a.first == a.nargs)
		return log_error("no dump given; see 'devsnap info --help'");
	for (int i = a.first; i < a.nargs; i++) {
		struct dumpview v;
		int q = dumpview_open(&v, a.args[i]);

		if (q == 0) {
			if (i > a.first && !a.json)
				putchar('\n');
			q = dump_info_print(&v, a.json);
			dumpview_close(&v);
		}
		r = r < 0 ? r : q;
	}
	return r;
}
