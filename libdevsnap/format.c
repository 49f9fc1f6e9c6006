// SPDX-License-Identifier: MIT
/*
 * devsnap_format_*: lib/'s registry (lib/formats/registry.c).  The public
 * struct devsnap_format is lib's struct ds_format, kept opaque so formats
 * can grow fields without an ABI break.
 */
#include <devsnap/walk.h>

#include <errno.h>

#include "pgtable.h"

static const struct ds_format *lib_format(const struct devsnap_format *format)
{
	return (const struct ds_format *)(const void *)format;
}

static const struct devsnap_format *public_format(const struct ds_format *format)
{
	return (const struct devsnap_format *)(const void *)format;
}

const struct devsnap_format *devsnap_format_at(size_t index)
{
	return index > UINT32_MAX ? NULL : public_format(ds_format_at((unsigned int)index));
}

const struct devsnap_format *devsnap_format_find(const char *name)
{
	return name ? public_format(ds_format_find(name)) : NULL;
}

const char *devsnap_format_name(const struct devsnap_format *format)
{
	return format ? lib_format(format)->name : NULL;
}

const char *devsnap_format_description(const struct devsnap_format *format)
{
	return format ? lib_format(format)->description : NULL;
}

uint32_t devsnap_format_page_size(const struct devsnap_format *format)
{
	return format ? 1u << lib_format(format)->page_shift : 0;
}

int devsnap_format_va_bits(const struct devsnap_format *format, unsigned int *min,
			   unsigned int *max, unsigned int *dflt)
{
	const struct ds_format *f = lib_format(format);

	if (!f)
		return -EINVAL;
	if (min)
		*min = f->min_va_bits;
	if (max)
		*max = f->max_va_bits;
	if (dflt)
		*dflt = f->default_va_bits;
	return 0;
}

unsigned int devsnap_format_max_roots(const struct devsnap_format *format)
{
	return format ? lib_format(format)->max_roots : 0;
}
