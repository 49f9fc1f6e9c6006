/* SPDX-License-Identifier: MIT */
/*
 * Freestanding basics for lib/: fixed-width types, Linux errno values and
 * the few compiler builtins the core may use.  Nothing here needs libc, so
 * the same sources build in the kernel module and in userspace.
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
#ifndef ENOSYS
#define ENOSYS 38
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
 * as they do every other caller's. */
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
static inline uint64_t ds_le64(uint64_t v)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return __builtin_bswap64(v);
#else
	return v;
#endif
}

/* Unaligned little-endian access, for file formats. */
static inline uint64_t ds_get_le(const void *p, unsigned bytes)
{
	const uint8_t *b = p;
	uint64_t v = 0;

	for (unsigned i = bytes; i--;)
		v = v << 8 | b[i];
	return v;
}

static inline void ds_put_le(void *p, uint64_t v, unsigned bytes)
{
	uint8_t *b = p;

	for (unsigned i = 0; i < bytes; i++, v >>= 8)
		b[i] = (uint8_t)v;
}

#define DS_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define DS_BIT(n) (1ULL << (n))
/* Bits h..l inclusive, as in the kernel's GENMASK_ULL. */
#define DS_GENMASK(h, l) ((~0ULL >> (63 - (h))) & (~0ULL << (l)))

#endif /* DS_BASE_H */
