// SPDX-License-Identifier: MIT
#define _GNU_SOURCE /* asprintf */
/* devsnap view DUMP [B]: a dump's address space, or a diff, as an HTML report. */
#include "read/view.h"

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "basic/cleanup.h"
#include "basic/cli.h"
#include "basic/dumpfile.h"
#include "basic/fdio.h"
#include "basic/json_out.h"
#include "basic/log.h"
#include "basic/units.h"
#include "read/verbs.h"

static const char usage_text[] =
	"Usage: devsnap view [-o FILE] DUMP\n"
	"       devsnap view [-o FILE] A B\n"
	"       devsnap view --svg [-o FILE] DUMP\n\n"
	"Writes one self-contained HTML file (no network, no other files) that\n"
	"draws the device address space: each run by state and permission, gaps\n"
	"compressed, the physical pages behind it, the INFO header, totals, blobs\n"
	"and notes, with zoom, search and a table of the runs in view.  With two\n"
	"dumps it draws both on one axis with what changed.  DUMP is a file or a\n"
	"saved dump's ID.\n\n"
	"  -o, --output FILE   write here; by default NAME.html (NAME.svg) in the\n"
	"                      current directory, NAME being the dump's file name\n"
	"                      (A-vs-B.html for two)\n"
	"      --svg           the address strip alone, as SVG\n";

struct view_args {
	const char *output;
	bool svg;
	const char *dumps[2];
	int ndumps;
};

/* NAME.html from the dumps' file names, in the current directory. */
static char *default_output(const struct view_args *a)
{
	_cleanup_free_ char *x = strdup(a->dumps[0]), *y = strdup(a->dumps[a->ndumps - 1]);
	char *out = NULL;

	if (!x || !y)
		return NULL;
	if (a->ndumps == 2)
		return asprintf(&out, "%s-vs-%s.html", basename(x), basename(y)) < 0 ? NULL : out;
	return asprintf(&out, "%s.%s", basename(x), a->svg ? "svg" : "html") < 0 ? NULL : out;
}

static int render(const struct view_args *a, const struct dumpview *v, char **buf, size_t *len)
{
	_cleanup_json_ struct json_object *data = NULL;
	FILE *out = open_memstream(buf, len);
	int r;

	if (!out)
		return log_error_errno(-errno, "cannot render the report");
	if (a->svg)
		r = view_write_svg(out, &v[0]);
	else {
		data = view_data_json(&v[0], a->ndumps == 2 ? &v[1] : NULL);
		r = data ? view_write_html(out, data) : -ENOMEM;
	}
	if (fclose(out) && !r)
		r = -errno;
	if (r < 0)
		return log_error_errno(r, "cannot render the report");
	return 0;
}

static int write_output(const char *path, const char *buf, size_t len)
{
	struct dumpfile df;
	int r = dumpfile_create(&df, path, 0600); /* the report holds the dump's notes */

	if (r < 0)
		return r;
	r = write_all(df.fd, buf, len);
	if (r < 0) {
		dumpfile_discard(&df);
		return log_error_errno(r, "cannot write %s", path);
	}
	return dumpfile_commit(&df);
}

static int view(const struct view_args *a)
{
	_cleanup_free_ char *buf = NULL, *dflt = NULL;
	const char *path = a->output;
	struct dumpview v[2];
	char size[BYTES_BUF];
	size_t len = 0;
	int r = 0, n;

	if (!path && !(path = dflt = default_output(a)))
		return log_error_errno(-ENOMEM, "cannot name the report");
	for (n = 0; n < a->ndumps && r == 0; n++)
		r = dumpview_open(&v[n], a->dumps[n]);
	if (r < 0)
		n--;
	if (r == 0)
		r = render(a, v, &buf, &len);
	while (n--)
		dumpview_close(&v[n]);
	if (r == 0)
		r = write_output(path, buf, len);
	if (r == 0)
		log_info("%s: %s report, %s", path, a->svg ? "SVG" : "HTML",
			 format_bytes(len, size));
	return r;
}

int verb_view(int argc, char **argv)
{
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "svg", no_argument, NULL, 's' },
		{ "store", required_argument, NULL, CLI_OPT_STORE },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	_cleanup_free_ char **args = cli_operands_last(&argc, argv, options);
	struct view_args a = { 0 };
	int c;

	if (!args)
		return log_error_errno(-ENOMEM, "cannot parse the arguments");
	optind = 1;
	while ((c = getopt_long(argc, args, "o:h", options, NULL)) != -1) {
		switch (c) {
		case 'o': a.output = optarg; break;
		case 's': a.svg = true; break;
		case CLI_OPT_STORE: cli_set_store(optarg); break;
		case 'h': return fputs(usage_text, stdout), 0;
		default: return log_error("see 'devsnap view --help'");
		}
	}
	a.ndumps = argc - optind;
	if (a.ndumps < 1 || a.ndumps > 2 || (a.svg && a.ndumps != 1))
		return log_error("give one dump, or two to compare (not with --svg); "
				 "see 'devsnap view --help'");
	a.dumps[0] = args[optind];
	a.dumps[1] = args[argc - 1];
	return view(&a);
}
