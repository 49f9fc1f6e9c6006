// SPDX-License-Identifier: MIT
/* devsnap info DUMP...: what a dump holds, at a glance. */
#include <getopt.h>
#include <stdio.h>

#include "dumpinfo.h"
#include "cleanup.h"
#include "cli.h"
#include "log.h"
#include "verbs.h"

static const char usage_text[] =
	"Usage: devsnap info [--json] DUMP...\n\n"
	"Shows who produced each dump, the device and driver, the page-table\n"
	"format, the capture time and reason, what was mapped, saved and skipped\n"
	"(by reason), and the notes it carries.\n\n"
	"  --json   one JSON object per dump\n";

int verb_info(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	bool json = false;
	int c, r = 0;
	_cleanup_free_ char **args = cli_operands_last(&argc, argv, options);

	if (!args)
		return log_error_errno(-ENOMEM, "cannot parse the arguments");
	argv = args;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (c == 'h')
			return fputs(usage_text, stdout), 0;
		if (c != 'j')
			return log_error("see 'devsnap info --help'");
		json = true;
	}
	if (optind == argc)
		return log_error("no dump given; see 'devsnap info --help'");
	for (int i = optind; i < argc; i++) {
		struct dumpview v;
		int q = dumpview_open(&v, argv[i]);

		if (q == 0) {
			if (i > optind && !json)
				putchar('\n');
			q = dump_info_print(&v, json);
			dumpview_close(&v);
		}
		r = r < 0 ? r : q;
	}
	return r;
}
