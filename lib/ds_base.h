/* SPDX-License-Identifier: MIT */
/*
 * Freestanding basics for lib/: the kernel's fixed-width types (u8..u64,
 * s8..s64), Linux errno values and the few compiler builtins the core may
 * use.  Nothing here needs libc, so the same sources build in the kernel
 * module and in userspace.
 */
#ifndef DS_BASE_H
#define DS_BASE_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The kernel's names for the fixed-width types, as <linux/types.h> gives
 * them.  The compiler's macros are what <stdint.h> defines its types from:
 * u64 is uint64_t, so userspace callers mix the two freely (checked below).
 */
typedef __UINT8_TYPE__ u8;
typedef __UINT16_TYPE__ u16;
typedef __UINT32_TYPE__ u32;
typedef __UINT64_TYPE__ u64;
typedef __INT8_TYPE__ s8;
typedef __INT16_TYPE__ s16;
typedef __INT32_TYPE__ s32;
typedef __INT64_TYPE__ s64;
/* A negative array size if they were not. */
typedef char ds_kernel_types_are_stdint_types[__builtin_types_compatible_p(u8, uint8_t) &&
					      __builtin_types_compatible_p(u16, uint16_t) &&
					      __builtin_types_compatible_p(u32, uint32_t) &&
					      __builtin_types_compatible_p(u64, uint64_t) &&
					      __builtin_types_compatible_p(s8, int8_t) &&
					      __builtin_types_compatible_p(s16, int16_t) &&
					      __builtin_types_compatible_p(s32, int32_t) &&
					      __builtin_types_compatible_p(s64, int64_t) ? 1 : -1];

/*
 * Linux's values (asm-generic/errno-base.h), defined only where no libc
 * header did it first: a negative return means the same on both sides.
 */
#ifndef EPERM
#define EPERM 1
#endif
#ifndef ENOENT
#define ENOENT 2
#endif
#ifndef EIO
#define EIO 5
#endif
#ifndef E2BIG
#define E2BIG 7
#endif
#ifndef ENOMEM
#define ENOMEM 12
#endif
#ifndef EFAULT
#define EFAULT 14
#endif
#ifndef EEXIST
#define EEXIST 17
#endif
#ifndef EINVAL
#define EINVAL 22
#endif
#ifndef ENOSPC
#define ENOSPC 28
#endif
#ifndef ERANGE
#define ERANGE 34
#endif
#ifndef ELOOP
#define ELOOP 40
#endif
#ifndef ENODATA
#define ENODATA 61
#endif
#ifndef EOVERFLOW
#define EOVERFLOW 75
#endif
#ifndef EBADMSG
#define EBADMSG 74
#endif
#ifndef EOPNOTSUPP
#define EOPNOTSUPP 95
#endif
#endif /* __KERNEL__ */

#ifdef __KERNEL__
/* The kernel's own, so that FORTIFY_SOURCE and KASAN check lib/'s copies
 * as they do every other caller's.
 */
#define ds_memcpy(d, s, n) memcpy((d), (s), (n))
#define ds_memset(d, c, n) memset((d), (c), (n))
#define ds_memcmp(a, b, n) memcmp((a), (b), (n))
#else
/* Builtins, not libc calls: any C runtime provides these. */
#define ds_memcpy(d, s, n) __builtin_memcpy((d), (s), (n))
#define ds_memset(d, c, n) __builtin_memset((d), (c), (n))
#define ds_memcmp(a, b, n) __builtin_memcmp((a), (b), (n))
#endif

/* Page-table entries are little-endian in every format devsnap knows. */
static inline u64 ds_le64(u64 v)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return __builtin_bswap64(v);
#else
	return v;
#endif
}

/* Unaligned little-endian access, for file formats. */
static inline u64 ds_get_le(const void *p, unsigned int bytes)
{
	const u8 *b = p;
	u64 v = 0;

	for (unsigned int i = bytes; i--;)
		v = v << 8 | b[i];
	return v;
}

static inline void ds_put_le(void *p, u64 v, unsigned int bytes)
{
	u8 *b = p;

	for (unsigned int i = 0; i < bytes; i++, v >>= 8)
		b[i] = (u8)v;
}

/*
 * The table builder's API, exported by devsnap.ko only to the sample driver
 * of the kernel series (CONFIG_DEVSNAP_BUILDER); elsewhere nothing.
 */
#if defined(__KERNEL__) && defined(CONFIG_DEVSNAP_BUILDER)
#include <linux/export.h>
#define DS_EXPORT_BUILDER(sym) EXPORT_SYMBOL_NS_GPL(sym, DEVSNAP_BUILDER)
#else
#define DS_EXPORT_BUILDER(sym)
#endif

#define DS_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define DS_BIT(n) (1ULL << (n))
/* Bits h..l inclusive, as in the kernel's GENMASK_ULL. */
#define DS_GENMASK(h, l) ((~0ULL >> (63 - (h))) & (~0ULL << (l)))

#endif /* DS_BASE_H */
