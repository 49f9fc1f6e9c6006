// SPDX-License-Identifier: MIT
/* What devsnap list, show, export and remove share (store_cli.h). */
#include "store/store_cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "basic/cleanup.h"
#include "basic/cli.h"
#include "basic/dumpfile.h"
#include "basic/json_out.h"
#include "basic/log.h"
#include "basic/parse.h"
#include "basic/timestamp.h"

int store_open_listed(const char *dir, struct store *s, struct store_list *l)
{
	int r = store_open(s, dir, false);

	return r < 0 ? r : store_list(s, l);
}

int store_open_entry(const char *dir, const char *id, struct store *s, struct store_list *l,
		     size_t *index)
{
	int r = store_open_listed(dir, s, l);

	return r < 0 ? r : store_resolve(l, id, index);
}

const char *store_local_time(uint64_t usec, char buf[TIME_BUF])
{
	time_t secs = (time_t)(usec / 1000000);
	struct tm tm;

	if (!usec || !localtime_r(&secs, &tm) ||
	    !strftime(buf, TIME_BUF, "%Y-%m-%d %H:%M:%S %Z", &tm))
		snprintf(buf, TIME_BUF, "unknown");
	return buf;
}

void store_args_done(struct store_args *a)
{
	free(a->args);
	free(a->matches);
}

static const char *const match_fields[] = { "name", "driver", "device", "devcd", "state",
					    "content", "kernel", "hostname", "boot_id" };

int store_args_add_match(struct store_args *a, const char *field, const char *value)
{
	for (size_t i = 0; i < sizeof(match_fields) / sizeof(match_fields[0]); i++)
		if (!strcmp(field, match_fields[i])) {
			a->matches[a->nmatches++] = (struct match){ match_fields[i], value };
			return 0;
		}
	return log_error("'%s' is no field to match; give name, driver, device, devcd, state, "
			 "content, kernel, hostname or boot_id", field);
}

static int parse_time(const char *opt, const char *s, uint64_t *usec)
{
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	if (parse_timestamp(s, (uint64_t)now.tv_sec * 1000000 + (uint64_t)now.tv_nsec / 1000,
			    usec) < 0)
		return log_error("%s: '%s' is no time: give YYYY-MM-DD[ HH:MM[:SS]], now, today, "
				 "yesterday, or -N with a unit (-2h, -30min, -1d)", opt, s);
	return 0;
}

int store_args_parse(int argc, char **argv, const char *shortopts, const struct option *options,
		     const char *usage, struct store_args *a)
{
	int c, r = 0;

	a->until_usec = UINT64_MAX;
	a->args = cli_operands_last(&argc, argv, options);
	a->matches = calloc((size_t)argc + 1, sizeof(*a->matches));
	if (!a->args || !a->matches)
		return log_error_errno(-ENOMEM, "cannot parse the arguments");
	optind = 1;
	while (r == 0 && (c = getopt_long(argc, a->args, shortopts, options, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(usage, stdout);
			return 1;
		case 'o':
			a->output = optarg;
			break;
		case OPT_STORE:
			a->store = optarg;
			break;
		case OPT_JSON:
			r = json_parse_format(optarg);
			a->json = json_format != JSON_OFF;
			break;
		case OPT_DRIVER:
			r = store_args_add_match(a, "driver", optarg);
			break;
		case OPT_DEVICE:
			r = store_args_add_match(a, "device", optarg);
			break;
		case OPT_SINCE:
			r = parse_time("--since", optarg, &a->since_usec);
			break;
		case OPT_UNTIL:
			r = parse_time("--until", optarg, &a->until_usec);
			break;
		case 'n':
			if (parse_u64(optarg, &a->max) < 0 || !a->max)
				r = log_error("-n: '%s' is not a count above 0", optarg);
			break;
		case 'r':
			a->reverse = true;
			break;
		case 'q':
			log_quiet = true;
			break;
		case OPT_NO_LEGEND:
			a->no_legend = true;
			break;
		case OPT_NO_PAGER:
			a->no_pager = true;
			break;
		case OPT_BYTES:
			a->bytes = true;
			break;
		case OPT_FORCE:
			dumpfile_terminal_ok = true;
			break;
		default:
			return log_error("see 'devsnap %s --help'", argv[0]);
		}
	}
	if (!a->store)
		a->store = getenv("DEVSNAP_STORE");
	a->ids = a->args + optind;
	a->nids = argc - optind;
	return r;
}
