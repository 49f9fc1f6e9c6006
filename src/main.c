// SPDX-License-Identifier: MIT
/* devsnap: capture, keep and read device MMU snapshots. */
#include <stdio.h>
#include <string.h>

#include "cli_dump.h"
#include "read/dumpview.h"
#include "verbs.h"

static const struct verb verbs[] = {
	{ "formats", verb_formats, "list the page-table formats devsnap walks" },
	{ "capture", verb_capture, "walk a device's page tables in a memory source, write a dump" },
	{ "demo", verb_demo, "capture a built-in example device address space and show it" },
	{ "info", verb_info, "what a dump holds: device, format, time, reason, totals, notes" },
	{ "maps", verb_maps, "the mapped ranges: VA, PA, size, permissions, saved or why not" },
	{ "read", verb_read, "the raw bytes at a device VA" },
	{ "hexdump", verb_hexdump, "the bytes at a device VA, in hex" },
	{ "extract", verb_extract, "a device VA range as a flat image, holes zero-filled" },
	{ "diff", verb_diff, "what changed between two dumps" },
	{ "verify", verb_verify, "check a dump's structure; exit 0 only if sound" },
	{ "collect", verb_collect, "save pending devcoredumps into the store, then release them" },
	{ "list", verb_list, "the saved devcoredumps: time, device, driver, size, state" },
	{ "show", verb_show, "a saved dump's metadata and what the dump holds" },
	{ "export", verb_export, "a saved dump's original bytes, to a file or stdout" },
	{ "remove", verb_remove, "remove saved dumps" },
	{ "view", verb_view, "a dump's address space, or a diff, as a self-contained HTML report" },
	{ "blob", verb_blob, "a blob a driver saved in a dump (firmware log, registers)" },
	{ "debug", verb_debug, "open a dump (a file or a saved one) in gdb or drgn" },
	/* verbs: add new entries above this line */
};

static void usage(FILE *out)
{
	fputs("Usage: devsnap VERB [OPTIONS...]\n\n"
	      "Capture what a device could see through its MMU, keep it, read it.\n\n"
	      "Verbs:\n", out);
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		fprintf(out, "  %-10s %s\n", verbs[i].name, verbs[i].summary);
	fputs("\nRun 'devsnap VERB --help' for a verb's options; 'man devsnap' for more.\n", out);
}

/* A verb returns 0, -errno after saying what went wrong, or an exit
 * status of its own (diff: 1 for "different"). */
static int exit_status(int r)
{
	return r < 0 ? 1 : r;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		puts("devsnap " DEVSNAP_VERSION);
		return 0;
	}
	dumpview_set_opener(cli_dump_open); /* readers take saved dumps' IDs too */
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (!strcmp(argv[1], verbs[i].name))
			return exit_status(verbs[i].run(argc - 1, argv + 1));
	fprintf(stderr, "devsnap: unknown verb '%s'; 'devsnap --help' lists them\n", argv[1]);
	return 2;
}
