// SPDX-License-Identifier: MIT
/*
 * devsnap read / hexdump: the bytes at a device VA.  The whole range is
 * checked before anything is written, so an unsaved page in the middle
 * fails the command instead of leaving half the bytes behind.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "basic/cleanup.h"
#include "basic/cli.h"
#include "basic/dumpfile.h"
#include "basic/fdio.h"
#include "basic/json_out.h"
#include "basic/log.h"
#include "basic/parse.h"
#include "read/dumpview.h"
#include "read/hexdump.h"
#include "read/verbs.h"

struct read_args {
	const char *dump, *output;
	uint64_t va, len;
	bool json;
	bool all; /* hexdump -v: repeated lines too */
};

typedef int (*span_fn)(void *ctx, uint64_t va, const uint8_t *bytes, uint64_t n);

/* Calls fn for each saved piece of [va, va + len), or fails at the first
 * byte that cannot be read; fn == NULL only checks. */
static int for_each_span(const struct dumpview *v, uint64_t va, uint64_t len, span_fn fn,
			 void *ctx)
{
	const uint8_t *bytes;
	uint64_t n;
	int r;

	while (len) {
		r = dumpview_bytes(v, va, len, &bytes, &n);
		if (r == 0 && fn)
			r = fn(ctx, va, bytes, n);
		if (r < 0)
			return r;
		va += n;
		len -= n;
	}
	return 0;
}

static int parse_args(struct read_args *a, int argc, char **argv, const char *usage,
		      bool takes_output)
{
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'F' },
		{ "json", optional_argument, NULL, 'j' },
		{ "store", required_argument, NULL, CLI_OPT_STORE },
		{ "no-squeeze", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	int c;
	_cleanup_free_ char **args = cli_operands_last(&argc, argv, options);

	if (!args)
		return log_error_errno(-ENOMEM, "cannot parse the arguments");
	argv = args;
	optind = 1;
	while ((c = getopt_long(argc, argv, takes_output ? "o:h" : "vh", options, NULL)) != -1) {
		if (c == 'h')
			return fputs(usage, stdout), 1;
		if (c == 'o' && takes_output)
			a->output = optarg;
		else if (c == 'F' && takes_output)
			dumpfile_terminal_ok = true;
		else if (c == 'j' && !takes_output && json_parse_format(optarg) < 0)
			return -EINVAL;
		else if (c == 'j' && !takes_output)
			a->json = json_format != JSON_OFF;
		else if (c == 'v' && !takes_output)
			a->all = true;
		else if (c == CLI_OPT_STORE)
			cli_set_store(optarg);
		else
			return log_error("see 'devsnap %s --help'", argv[0]);
	}
	if (argc - optind != 3)
		return log_error("give DUMP VA LEN; see 'devsnap %s --help'", argv[0]);
	a->dump = argv[optind];
	if (parse_u64(argv[optind + 1], &a->va) < 0)
		return log_error("'%s' is not an address", argv[optind + 1]);
	if (parse_size(argv[optind + 2], &a->len) < 0 || !a->len || a->va + a->len - 1 < a->va)
		return log_error("'%s' is not a length that fits after 0x%" PRIx64,
				 argv[optind + 2], a->va);
	return 0;
}

/* Where read's bytes go, and its name for messages. */
struct sink {
	int fd;
	const char *name;
};

static int write_span(void *ctx, uint64_t va, const uint8_t *bytes, uint64_t n)
{
	const struct sink *to = ctx;
	int r = write_all(to->fd, bytes, n);

	return r < 0 ? log_error_errno(r, "cannot write the bytes at 0x%" PRIx64 " to %s", va,
				       to->name)
		     : 0;
}

/* To -o's target, by default standard output ("-"). */
static int read_bytes(const struct dumpview *v, const struct read_args *a)
{
	struct dumpfile df;
	int r = dumpfile_create(&df, a->output ? a->output : "-", 0600);

	if (r < 0)
		return r;
	r = for_each_span(v, a->va, a->len, write_span, &(struct sink){ df.fd, df.path });
	if (r < 0) {
		dumpfile_discard(&df);
		return r;
	}
	return dumpfile_commit(&df);
}

typedef int (*reader_fn)(const struct dumpview *v, const struct read_args *a);

/* Parses, opens, checks the whole range, then hands it to out. */
static int run_reader(int argc, char **argv, const char *usage, bool takes_output,
		      reader_fn out)
{
	struct read_args a = { 0 };
	struct dumpview v;
	int r = parse_args(&a, argc, argv, usage, takes_output);

	if (r != 0)
		return r < 0 ? r : 0;
	r = dumpview_open(&v, a.dump);
	if (r < 0)
		return r;
	r = dumpview_disjoint(&v);
	if (r == 0)
		r = for_each_span(&v, a.va, a.len, NULL, NULL);
	if (r == 0)
		r = out(&v, &a);
	dumpview_close(&v);
	return r;
}

int verb_read(int argc, char **argv)
{
	static const char usage[] =
		"Usage: devsnap read DUMP VA LEN [-o FILE] [--force]\n\n"
		"Writes the LEN bytes at device address VA as they are, to FILE (created\n"
		"whole or not at all, mode 0600) or to standard output ('-', the default;\n"
		"not a terminal unless --force).  A FIFO or character device is written\n"
		"into, a symlink refused.  Every byte must have been saved: an unmapped or\n"
		"unsaved address is an error naming why.\n"
		"VA and LEN accept 0x hex; LEN accepts K, M and G.\n";

	return run_reader(argc, argv, usage, true, read_bytes);
}

/* As hexdump(1): a full line equal to the one before is not printed; the
 * first of a run of them prints "*", and a dump that ends in one ends with
 * the address after its last byte. */
struct hexdump {
	uint8_t line[16], prev[16];
	unsigned fill;
	uint64_t line_va;
	bool all;      /* -v: every line */
	bool has_prev; /* prev holds the last full line */
	bool starred;  /* lines are being left out */
};

static void hexdump_line(const struct hexdump *h)
{
	printf("0x%016" PRIx64 " ", h->line_va);
	for (unsigned i = 0; i < 16; i++) {
		if (i == 8)
			putchar(' ');
		if (i < h->fill)
			printf(" %02x", h->line[i]);
		else
			printf("   ");
	}
	printf("  |");
	for (unsigned i = 0; i < h->fill; i++)
		putchar(h->line[i] >= 0x20 && h->line[i] < 0x7f ? h->line[i] : '.');
	puts("|");
}

static void hexdump_full_line(struct hexdump *h)
{
	bool same = !h->all && h->has_prev && !memcmp(h->line, h->prev, 16);

	if (same && !h->starred)
		puts("*");
	if (!same)
		hexdump_line(h);
	h->starred = same;
	memcpy(h->prev, h->line, 16);
	h->has_prev = true;
}

static int hexdump_span(void *ctx, uint64_t va, const uint8_t *bytes, uint64_t n)
{
	struct hexdump *h = ctx;

	for (uint64_t i = 0; i < n; i++) {
		if (!h->fill)
			h->line_va = va + i;
		h->line[h->fill++] = bytes[i];
		if (h->fill == 16) {
			hexdump_full_line(h);
			h->fill = 0;
		}
	}
	return 0;
}

int hexdump_buffer(const uint8_t *bytes, uint64_t n, uint64_t base, bool all)
{
	struct hexdump h = { .all = all };

	hexdump_span(&h, base, bytes, n);
	if (h.fill)
		hexdump_line(&h);
	else if (h.starred)
		printf("0x%016" PRIx64 "\n", base + n);
	return fflush(stdout) ? -EIO : 0;
}

static int hexdump_text(const struct dumpview *v, const struct read_args *a)
{
	struct hexdump h = { .all = a->all };

	for_each_span(v, a->va, a->len, hexdump_span, &h); /* checked: cannot fail */
	if (h.fill)
		hexdump_line(&h);
	else if (h.starred)
		printf("0x%016" PRIx64 "\n", a->va + a->len);
	return fflush(stdout) ? -EIO : 0;
}

static int hexdump_json(const struct dumpview *v, const struct read_args *a)
{
	_cleanup_json_ struct json_object *o = json_object_new_object();
	_cleanup_free_ char *hex = malloc(a->len * 2 + 1);
	uint64_t done = 0;
	const uint8_t *bytes;
	uint64_t n;

	if (!hex)
		return log_error_errno(-ENOMEM, "cannot hold %" PRIu64 " bytes as hex", a->len);
	for (uint64_t va = a->va; done < a->len; va += n, done += n) {
		dumpview_bytes(v, va, a->len - done, &bytes, &n); /* checked: cannot fail */
		for (uint64_t i = 0; i < n; i++)
			sprintf(hex + 2 * (done + i), "%02x", bytes[i]);
	}
	hex[2 * a->len] = '\0';
	json_add_hex(o, "va", a->va);
	json_add_u64(o, "size", a->len);
	json_add_str(o, "hex", hex);
	return json_print(o);
}

static int hexdump(const struct dumpview *v, const struct read_args *a)
{
	return a->json ? hexdump_json(v, a) : hexdump_text(v, a);
}

int verb_hexdump(int argc, char **argv)
{
	static const char usage[] =
		"Usage: devsnap hexdump [-v] [--json] DUMP VA LEN\n\n"
		"Prints the LEN bytes at device address VA, sixteen a line with their\n"
		"device addresses.  As hexdump(1), a line the same as the one before is\n"
		"left out and a '*' stands for the run; when the bytes end in one, the\n"
		"address after the last byte ends the output.  An unmapped or unsaved\n"
		"address is an error naming why.\n\n"
		"  -v, --no-squeeze   every line, repeated or not\n"
		"  --json[=pretty|short|off]\n"
		"                     {\"va\", \"size\", \"hex\"}\n"
		"  --store DIR        where to look up a store ID (default $DEVSNAP_STORE)\n";

	return run_reader(argc, argv, usage, false, hexdump);
}
