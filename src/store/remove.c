// SPDX-License-Identifier: MIT
/* devsnap remove: saved dumps, their metadata first. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "basic/cleanup.h"
#include "basic/log.h"
#include "store/store_cli.h"
#include "store/verbs.h"

static const char remove_usage[] =
	"Usage: devsnap remove [--store DIR] ID...\n\n"
	"Removes saved dumps, their metadata first.  Every ID is resolved before\n"
	"anything is removed: one that names nothing, or more than one dump,\n"
	"removes nothing.  ID: '#' or NAME (or a unique prefix) from 'devsnap\n"
	"list'; -1 is the newest.\n\n"
	"  --store DIR   the store (default $DEVSNAP_STORE, else " STORE_DEFAULT_DIR ")\n";

int verb_remove(int argc, char **argv)
{
	static const struct option options[] = { STORE_OPTION, HELP_OPTION, {} };
	_cleanup_(store_args_done) struct store_args a = { 0 };
	_cleanup_store_ struct store s = { .dirfd = -1 };
	_cleanup_store_list_ struct store_list l = { 0 };
	_cleanup_free_ bool *chosen = NULL;
	int r = store_args_parse(argc, argv, "h", options, remove_usage, &a);

	if (r)
		return r < 0 ? r : 0;
	if (!a.nids)
		return log_error("give the IDs to remove; see 'devsnap remove --help'");
	r = store_open_listed(a.store, &s, &l);
	if (r < 0)
		return r;
	chosen = calloc(l.n ? l.n : 1, sizeof(*chosen));
	if (!chosen)
		return log_error_errno(-ENOMEM, "cannot remove dumps");
	for (int k = 0; k < a.nids; k++) {
		size_t i;

		r = store_resolve(&l, a.ids[k], &i);
		if (r < 0)
			return r;
		chosen[i] = true;
	}
	for (size_t i = 0; i < l.n; i++) {
		int q = chosen[i] ? store_remove(&s, l.entries[i].name) : 0;

		if (chosen[i] && q == 0)
			log_info("removed %s", l.entries[i].name);
		r = r < 0 ? r : q;
	}
	return r;
}
