// SPDX-License-Identifier: MIT
#define _GNU_SOURCE /* asprintf */
#include "cli_dump.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "basic/cleanup.h"
#include "basic/log.h"
#include "read/dump_input.h"
#include "read/dumpview.h"
#include "store/store.h"

/* e's original bytes in a memory file (dump_input_unzstd). */
static int store_dump_memfd(struct store *s, const struct store_entry *e)
{
	_cleanup_close_ int zfd = store_open_dump(s, e->name);
	_cleanup_free_ char *label = NULL;

	if (zfd < 0)
		return zfd;
	if (asprintf(&label, "%s.zst", e->name) < 0)
		return log_error_errno(-ENOMEM, "cannot read %s", e->name);
	return dump_input_unzstd(zfd, label, e->size);
}

/* Numbers and name prefixes: what store_resolve may take for an ID.  A
 * mistyped file name is none, and gets no store message. */
static bool looks_like_id(const struct store_list *l, const char *id)
{
	size_t len = strlen(id);

	if (len && strspn(id + (id[0] == '-'), "0123456789") == len - (id[0] == '-'))
		return true;
	for (size_t i = 0; i < l->n; i++)
		if (!strncmp(l->entries[i].name, id, len))
			return true;
	return false;
}

/* The store dump an ID names, in a memory file: an fd; -ENOENT without a
 * message when there is no store or no such entry. */
static int store_id_memfd(const char *id)
{
	const char *dir = getenv("DEVSNAP_STORE") ?: STORE_DEFAULT_DIR;
	_cleanup_(store_list_free) struct store_list l = { 0 };
	struct store s = { .dirfd = -1 };
	size_t i;
	int r;

	if (access(dir, F_OK) < 0 || strchr(id, '/'))
		return -ENOENT;
	r = store_open(&s, dir, false);
	if (r == 0)
		r = store_list(&s, &l);
	if (r == 0 && looks_like_id(&l, id) && store_resolve(&l, id, &i) == 0)
		r = store_dump_memfd(&s, &l.entries[i]);
	else if (r == 0)
		r = -ENOENT;
	store_close(&s);
	return r;
}

int cli_dump_open(const char *operand)
{
	int fd = dump_open_path(operand);

	if (fd != -ENOENT)
		return fd;
	fd = store_id_memfd(operand);
	if (fd == -ENOENT) {
		log_error("cannot open %s: no such file, nor a saved dump with that ID", operand);
		return -ENOENT;
	}
	return fd;
}
