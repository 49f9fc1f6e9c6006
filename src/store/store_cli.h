/* SPDX-License-Identifier: MIT */
/* What list, show, export and remove share: their options, the store
 * opened and an ID resolved, and how an entry's time and state read. */
#ifndef DS_STORE_CLI_H
#define DS_STORE_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "basic/units.h"
#include "store/store.h"

#define _cleanup_store_ _cleanup_(store_close)
#define _cleanup_store_list_ _cleanup_(store_list_free)

enum { OPT_STORE = 256, OPT_JSON, OPT_DRIVER, OPT_DEVICE, OPT_SINCE, OPT_UNTIL, OPT_FORCE,
       OPT_NO_LEGEND, OPT_NO_PAGER, OPT_BYTES };

#define STORE_OPTION { "store", required_argument, NULL, OPT_STORE }
#define JSON_OPTION { "json", optional_argument, NULL, OPT_JSON }
#define HELP_OPTION { "help", no_argument, NULL, 'h' }

/* list's FIELD=VALUE matches: repeats of a field are OR'ed, fields AND'ed. */
struct match {
	const char *field, *value;
};

struct store_args {
	const char *store, *output;
	uint64_t since_usec, until_usec;
	uint64_t max;  /* -n: the newest this many; 0: all */
	bool json, reverse, no_legend, no_pager, bytes;
	char **args; /* getopt's copy of argv */
	char **ids;  /* the arguments left, IDs */
	int nids;
	struct match *matches;
	int nmatches;
};

void store_args_done(struct store_args *a);
int store_args_add_match(struct store_args *a, const char *field, const char *value);
/* Parses a verb's options; 1 after --help, else 0 or -errno. */
int store_args_parse(int argc, char **argv, const char *shortopts, const struct option *options,
		     const char *usage, struct store_args *a);

int store_open_listed(const char *dir, struct store *s, struct store_list *l);
/* Opens the store and finds the entry id names. */
int store_open_entry(const char *dir, const char *id, struct store *s, struct store_list *l,
		     size_t *index);

const char *store_local_time(uint64_t usec, char buf[TIME_BUF]);

/* The last component of a sysfs device path: what lspci and dmesg call it. */
static inline const char *device_short(const char *device)
{
	const char *slash = strrchr(device, '/');

	return slash ? slash + 1 : device;
}

static inline const char *state_of(const struct store_entry *e)
{
	return e->present ? "present" : "missing";
}

static inline const char *or_dash(const char *s)
{
	return *s ? s : "-";
}

#endif /* DS_STORE_CLI_H */
