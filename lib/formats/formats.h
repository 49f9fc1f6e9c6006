/* SPDX-License-Identifier: MIT */
/* The format descriptors, one per file in this directory. */
#ifndef DS_FORMATS_H
#define DS_FORMATS_H

#include "../pgtable.h"

extern const struct ds_format ds_format_x86_64;
extern const struct ds_format ds_format_x86_64_5l;
extern const struct ds_format ds_format_arm64_4k;
extern const struct ds_format ds_format_arm64_16k;
extern const struct ds_format ds_format_arm64_64k;
extern const struct ds_format ds_format_apple_uat;
extern const struct ds_format ds_format_mali;
extern const struct ds_format ds_format_riscv_sv39;
extern const struct ds_format ds_format_riscv_sv48;
extern const struct ds_format ds_format_riscv_sv57;
extern const struct ds_format ds_format_dart;
extern const struct ds_format ds_format_dart2;
extern const struct ds_format ds_format_dart_4k;
extern const struct ds_format ds_format_vtd;
extern const struct ds_format ds_format_amd_v1;
extern const struct ds_format ds_format_arm64_s2_4k;
extern const struct ds_format ds_format_arm64_s2_16k;
extern const struct ds_format ds_format_arm64_s2_64k;
/* formats: add new declarations above this line */

#endif /* DS_FORMATS_H */
