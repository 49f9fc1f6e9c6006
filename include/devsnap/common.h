/* SPDX-License-Identifier: MIT */
/*
 * What every libdevsnap header shares: the export attribute and the
 * conventions.  Every function returns 0 (or a count) on success and a
 * negative errno on failure; pointer arguments are checked (-EINVAL for a
 * NULL one that is not documented as optional).  The library keeps no
 * global state and prints nothing: handles may be used from several
 * threads as long as no thread closes one another is using.
 */
#ifndef DEVSNAP_COMMON_H
#define DEVSNAP_COMMON_H

#include <stddef.h>
#include <stdint.h>

#if defined(DEVSNAP_BUILDING_LIBRARY)
#define DEVSNAP_EXPORT __attribute__((visibility("default")))
#else
#define DEVSNAP_EXPORT
#endif

#ifdef __cplusplus
#define DEVSNAP_BEGIN_DECLS extern "C" {
#define DEVSNAP_END_DECLS }
#else
#define DEVSNAP_BEGIN_DECLS
#define DEVSNAP_END_DECLS
#endif

/* Root tables a page table may have: DART's four TTBRs; others have one. */
#define DEVSNAP_MAX_ROOTS 4

DEVSNAP_BEGIN_DECLS

/*
 * The version of the library loaded at run time, as "0.1.0"; *major,
 * *minor and *patch get its parts (each may be NULL).  Compare with
 * DEVSNAP_VERSION_MAJOR... (devsnap/version.h), the headers' version.
 */
DEVSNAP_EXPORT const char *devsnap_version(int *major, int *minor, int *patch);

DEVSNAP_END_DECLS

#endif /* DEVSNAP_COMMON_H */
