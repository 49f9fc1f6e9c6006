// SPDX-License-Identifier: MIT
/* The formats devsnap knows; each is defined in its own file here. */
#include "formats.h"

static const struct ds_format *const formats[] = {
	&ds_format_x86_64,
	&ds_format_x86_64_5l,
	&ds_format_arm64_4k,
	&ds_format_arm64_16k,
	&ds_format_arm64_64k,
	&ds_format_apple_uat,
	&ds_format_mali,
	&ds_format_riscv_sv39,
	&ds_format_riscv_sv48,
	&ds_format_riscv_sv57,
	&ds_format_dart,
	&ds_format_dart2,
	&ds_format_dart_4k,
	&ds_format_vtd,
	&ds_format_amd_v1,
	&ds_format_arm64_s2_4k,
	&ds_format_arm64_s2_16k,
	&ds_format_arm64_s2_64k,
	/* formats: add new entries above this line */
};

const struct ds_format *ds_format_at(unsigned int i)
{
	return i < DS_ARRAY_SIZE(formats) ? formats[i] : NULL;
}

static bool ds_streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

const struct ds_format *ds_format_find(const char *name)
{
	for (unsigned int i = 0; i < DS_ARRAY_SIZE(formats); i++)
		if (ds_streq(formats[i]->name, name))
			return formats[i];
	return NULL;
}

DS_EXPORT_BUILDER(ds_format_find);
