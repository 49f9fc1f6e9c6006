/* SPDX-License-Identifier: MIT */
/* The format descriptors, one per file in this directory. */
#ifndef DS_FORMATS_H
#define DS_FORMATS_H

#include "../pgtable.h"

extern const struct ds_format ds_format_x86_64;
extern const struct ds_format ds_format_x86_64_5l;
/* formats: add new declarations above this line */

#endif /* DS_FORMATS_H */
