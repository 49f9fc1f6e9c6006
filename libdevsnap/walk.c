// SPDX-License-Identifier: MIT
/*
 * devsnap_walk(): lib/'s walker (lib/walk.c) driven to the end, each range
 * handed to the caller.  Public options map one to one onto lib's
 * struct ds_pgtable_config, so the library adds no policy of its own.
 */
#include <devsnap/walk.h>

#include <errno.h>
#include <string.h>

#include "pgtable.h"

int devsnap_walk_options_init(struct devsnap_walk_options *opts, unsigned int version)
{
	if (!opts || version != DEVSNAP_WALK_OPTIONS_VERSION)
		return -EINVAL;
	*opts = (struct devsnap_walk_options)DEVSNAP_WALK_OPTIONS_INIT;
	return 0;
}

static int walk_fail(const struct devsnap_walk_options *opts, const struct ds_error *e, int err)
{
	if (opts->error)
		*opts->error = (struct devsnap_walk_error){
			.message = e->what,
			.va = e->va,
			.pa = e->pa,
			.height = e->height,
		};
	return err;
}

static int describe(const struct devsnap_walk_options *opts, struct ds_pgtable *pt)
{
	struct ds_pgtable_config cfg = {
		.format = (const struct ds_format *)(const void *)opts->format,
		.nroots = opts->nroots ? opts->nroots : 1,
		.va_bits = opts->va_bits,
		.upper_half = opts->upper_half != 0,
		.mair = opts->mair,
		.max_tables = opts->max_tables,
		.read_phys = opts->read_phys,
		.opaque = opts->read_phys_opaque,
	};
	struct ds_error e = { .va = DS_NO_ADDR, .pa = DS_NO_ADDR, .height = -1 };
	int r;

	if (opts->nroots > DEVSNAP_MAX_ROOTS) {
		e.what = "more roots than any format has";
		return walk_fail(opts, &e, -EINVAL);
	}
	memcpy(cfg.roots, opts->roots, sizeof(cfg.roots));
	r = ds_pgtable_init(pt, &cfg, &e);
	return r < 0 ? walk_fail(opts, &e, r) : 0;
}

static void public_range(const struct ds_range *in, struct devsnap_range *out)
{
	*out = (struct devsnap_range){
		.va = in->va,
		.pa = in->pa,
		.size = in->size,
		.pte = in->pte,
		.page_shift = in->page_shift,
		.prot = in->attrs.prot, /* enum devsnap_prot has ds_prot's values */
		.mem = (enum devsnap_mem_type)in->attrs.mem,
	};
}

int devsnap_walk(const struct devsnap_walk_options *opts, devsnap_range_fn fn, void *fn_opaque)
{
	struct ds_pgtable pt;
	struct ds_walk w;
	struct ds_range range;
	int r;

	if (!opts || !fn || opts->version != DEVSNAP_WALK_OPTIONS_VERSION || !opts->format ||
	    !opts->read_phys)
		return -EINVAL;
	r = describe(opts, &pt);
	if (r < 0)
		return r;
	r = ds_walk_begin(&w, &pt, opts->va_first, opts->va_last);
	while (r == 0 && (r = ds_walk_next(&w, &range)) == 1) {
		struct devsnap_range out;

		public_range(&range, &out);
		r = fn(fn_opaque, &out);
		if (r)
			return r;
	}
	return r < 0 ? walk_fail(opts, &w.error, r) : 0;
}
