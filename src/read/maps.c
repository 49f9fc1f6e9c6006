// SPDX-License-Identifier: MIT
/* devsnap maps DUMP: every mapped range, and whether its bytes were saved. */
#include <inttypes.h>
#include <stdio.h>

#include "basic/cleanup.h"
#include "basic/cli.h"
#include "basic/json_out.h"
#include "basic/log.h"
#include "basic/units.h"
#include "read/dumpinfo.h"
#include "read/verbs.h"

static const char usage_text[] =
	"Usage: devsnap maps [OPTIONS...] DUMP\n\n"
	"Lists the ranges the device could reach, by device VA: physical address,\n"
	"size, permissions, the PTE bits the dump keeps, and \"saved\" or why not.\n\n"
	"  --bytes       SIZE in bytes, not \"8.0 KiB\"\n"
	"  --no-legend   no header line\n"
	"  --json[=pretty|short|off]\n"
	"                a JSON array\n"
	"  --store DIR   where to look up a store ID (default $DEVSNAP_STORE)\n";

static void print_row(const struct devsnap_segment *l)
{
	char perm[4], size[BYTES_BUF];

	printf("0x%016" PRIx64 "  0x%012" PRIx64 "  %10s  %-4s  0x%016" PRIx64 "  %s\n", l->va,
	       l->pa, format_bytes(l->size, size), dump_perm_string(l->p_flags, perm),
	       l->pte_bits, l->file_size ? "saved" : l->state_name);
}

static int print_text(const struct dumpview *v, bool legend)
{
	struct devsnap_segment l;

	if (legend)
		printf("%-18s  %-14s  %10s  %-4s  %-18s  %s\n", "DEVICE VA", "PA", "SIZE", "PERM",
		       "PTE BITS", "STATE");
	for (uint32_t i = 0; i < v->nsegs; i++) {
		dumpview_load(v, i, &l);
		print_row(&l);
	}
	return fflush(stdout) ? -EIO : 0;
}

static struct json_object *json_row(const struct devsnap_segment *l)
{
	struct json_object *o = json_object_new_object();
	char perm[4];

	json_add_hex(o, "va", l->va);
	json_add_hex(o, "pa", l->pa);
	json_add_u64(o, "size", l->size);
	json_add_u64(o, "page_size", l->align);
	json_add_str(o, "perm", dump_perm_string(l->p_flags, perm));
	json_add_hex(o, "pte_bits", l->pte_bits);
	json_object_object_add(o, "saved", json_object_new_boolean(l->file_size == l->size));
	if (l->file_size < l->size)
		json_add_str(o, "skipped", l->state_name);
	return o;
}

static int print_json(const struct dumpview *v)
{
	_cleanup_json_ struct json_object *arr = json_object_new_array_ext((int)v->nsegs);
	struct devsnap_segment l;

	for (uint32_t i = 0; i < v->nsegs; i++) {
		dumpview_load(v, i, &l);
		json_object_array_add(arr, json_row(&l));
	}
	return json_print(arr);
}

int dump_maps_print(const struct dumpview *v, bool json)
{
	return json ? print_json(v) : print_text(v, true);
}

int verb_maps(int argc, char **argv)
{
	_cleanup_(cli_json_done) struct cli_json a;
	struct dumpview v;
	int r = cli_parse_json_ext(&a, argc, argv, usage_text, CLI_BYTES | CLI_NO_LEGEND);

	if (r)
		return r < 0 ? r : 0;
	if (a.nargs - a.first != 1)
		return log_error("give one dump; see 'devsnap maps --help'");
	r = dumpview_open(&v, a.args[a.first]);
	if (r < 0)
		return r;
	r = a.json ? print_json(&v) : print_text(&v, !a.no_legend);
	dumpview_close(&v);
	return r;
}
