// SPDX-License-Identifier: MIT
/* devsnap blob DUMP [NAME]: the blobs a driver saved with its dump (a
 * firmware log, registers), listed, or one of them as it is. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "basic/cleanup.h"
#include "basic/cli.h"
#include "basic/dumpfile.h"
#include "basic/escape.h"
#include "basic/fdio.h"
#include "basic/json_out.h"
#include "basic/log.h"
#include "basic/units.h"
#include "read/dumpview.h"
#include "read/hexdump.h"
#include "read/verbs.h"

static const char usage_text[] =
	"Usage: devsnap blob [OPTIONS...] DUMP [NAME]\n\n"
	"Without NAME, lists the blobs DUMP carries (DEVSNAP BLOB notes: a firmware\n"
	"log, registers), with their sizes.  With NAME, writes that blob's bytes:\n"
	"to a terminal escaped as text (devsnap(1), STRINGS FROM OUTSIDE), anywhere\n"
	"else as they are.\n\n"
	"  -o, --output FILE  write the blob to FILE (as read -o: whole or not at\n"
	"                     all, mode 0600; '-' standard output, not a terminal\n"
	"                     unless --force)\n"
	"  --force            raw bytes even to a terminal\n"
	"  --hexdump          the blob in hex, as devsnap hexdump, offsets from 0\n"
	"  -v                 with --hexdump, repeated lines too\n"
	"  --bytes            sizes in bytes (the list)\n"
	"  --json[=pretty|short|off]\n"
	"                     the list as an array of {\"name\", \"size\"}\n"
	"  --store DIR        where to look up a store ID (default $DEVSNAP_STORE)\n";

struct blob_args {
	const char *dump, *name, *output;
	bool hex, all, json;
};

enum { OPT_HEXDUMP = 0x300, OPT_FORCE, OPT_JSON, OPT_BYTES };

static int parse_args(struct blob_args *a, int argc, char **argv)
{
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "hexdump", no_argument, NULL, OPT_HEXDUMP },
		{ "bytes", no_argument, NULL, OPT_BYTES },
		{ "json", optional_argument, NULL, OPT_JSON },
		{ "store", required_argument, NULL, CLI_OPT_STORE },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	_cleanup_free_ char **args = cli_operands_last(&argc, argv, options);
	int c;

	if (!args)
		return log_error_errno(-ENOMEM, "cannot parse the arguments");
	optind = 1;
	while ((c = getopt_long(argc, args, "o:vh", options, NULL)) != -1) {
		switch (c) {
		case 'o': a->output = optarg; break;
		case 'v': a->all = true; break;
		case OPT_FORCE: dumpfile_terminal_ok = true; break;
		case OPT_HEXDUMP: a->hex = true; break;
		case OPT_BYTES: format_bytes_exact = true; break;
		case CLI_OPT_STORE: cli_set_store(optarg); break;
		case OPT_JSON:
			if (json_parse_format(optarg) < 0)
				return -EINVAL;
			a->json = json_format != JSON_OFF;
			break;
		case 'h': return fputs(usage_text, stdout), 1;
		default: return log_error("see 'devsnap blob --help'");
		}
	}
	if (argc - optind < 1 || argc - optind > 2)
		return log_error("give DUMP and a blob's NAME, or DUMP alone to list them; "
				 "see 'devsnap blob --help'");
	a->dump = args[optind];
	a->name = argc - optind == 2 ? args[optind + 1] : NULL;
	if (a->output && a->hex)
		return log_error("--hexdump prints to standard output; drop -o");
	return 0;
}

/* Calls fn for each blob note of v until it returns non-zero. */
typedef int (*blob_fn)(void *ctx, const struct devsnap_blob *b);

static int for_each_blob(const struct dumpview *v, blob_fn fn, void *ctx)
{
	struct devsnap_blob b;
	int r = 0;

	for (size_t i = 0; !r && devsnap_dump_blob(v->dump, i, &b) == 0; i++)
		r = fn(ctx, &b);
	return r;
}

static int list_text(void *ctx, const struct devsnap_blob *b)
{
	char size[BYTES_BUF];

	printf("%10s  ", format_bytes(b->size, size));
	escape_write(stdout, b->name, strnlen(b->name, b->name_len));
	putchar('\n');
	return 0;
}

static int list_json(void *ctx, const struct devsnap_blob *b)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "name", json_object_new_string_len(
					  b->name, (int)strnlen(b->name, b->name_len)));
	json_add_u64(o, "size", b->size);
	json_object_array_add(ctx, o);
	return 0;
}

static int list_blobs(const struct dumpview *v, bool json)
{
	_cleanup_json_ struct json_object *arr = NULL;

	if (!json) {
		for_each_blob(v, list_text, NULL);
		return fflush(stdout) ? -EIO : 0;
	}
	arr = json_object_new_array();
	for_each_blob(v, list_json, arr);
	return json_print(arr);
}

struct wanted {
	const char *name;
	struct devsnap_blob found;
	bool any;
};

static int find_blob(void *ctx, const struct devsnap_blob *b)
{
	struct wanted *w = ctx;

	if (strnlen(b->name, b->name_len) != strlen(w->name) ||
	    memcmp(b->name, w->name, strlen(w->name)))
		return 0;
	w->found = *b;
	w->any = true;
	return 1;
}

static int write_blob(const struct devsnap_blob *b, const char *path)
{
	struct dumpfile df;
	int r = dumpfile_create(&df, path, 0600);

	if (r < 0)
		return r;
	r = dumpfile_write(&df, b->data, b->size);
	if (r < 0) {
		dumpfile_discard(&df);
		return log_error_errno(r, "cannot write %s", df.path);
	}
	return dumpfile_commit(&df);
}

static int show_blob(const struct dumpview *v, const struct blob_args *a)
{
	struct wanted w = { .name = a->name };

	for_each_blob(v, find_blob, &w);
	if (!w.any) {
		log_error("%s holds no blob named '%s'; 'devsnap blob %s' lists them", v->path,
			  a->name, v->path);
		return -ENOENT;
	}
	if (a->hex)
		return hexdump_buffer(w.found.data, w.found.size, 0, a->all);
	if (a->output || !isatty(STDOUT_FILENO) || dumpfile_terminal_ok)
		return write_blob(&w.found, a->output ? a->output : "-");
	escape_write(stdout, (const char *)w.found.data, w.found.size);
	if (w.found.size && ((const uint8_t *)w.found.data)[w.found.size - 1] != '\n')
		putchar('\n');
	return fflush(stdout) ? -EIO : 0;
}

int verb_blob(int argc, char **argv)
{
	struct blob_args a = { 0 };
	struct dumpview v;
	int r = parse_args(&a, argc, argv);

	if (r)
		return r < 0 ? r : 0;
	r = dumpview_open(&v, a.dump);
	if (r < 0)
		return r;
	r = a.name ? show_blob(&v, &a) : list_blobs(&v, a.json);
	dumpview_close(&v);
	return r;
}
