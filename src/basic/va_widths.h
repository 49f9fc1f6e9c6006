/* SPDX-License-Identifier: MIT */
/* The VA widths a page-table format can have, as text for users. */
#ifndef DS_VA_WIDTHS_H
#define DS_VA_WIDTHS_H

#include <stddef.h>

#include "pgtable.h"

/* "48", "25-48" (sep "-"), or "39/48/57" for formats of whole levels. */
/* "48", "25 to 48", or "39, 48 or 57" for formats of whole levels. */
char *format_va_widths(const struct ds_format *f, char *buf, size_t size);

#endif /* DS_VA_WIDTHS_H */
