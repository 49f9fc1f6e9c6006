/* SPDX-License-Identifier: MIT */
/* Whole reads and writes: the loops around read(2), write(2) and pwrite(2)
 * that short transfers and signals call for. */
#ifndef DS_FDIO_H
#define DS_FDIO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Fills buf unless the end comes first: the bytes read, or -errno. */
ssize_t read_full(int fd, void *buf, size_t len);

/* All len bytes to fd: 0 or -errno. */
int write_all(int fd, const void *buf, size_t len);

/* All len bytes to fd at off: 0 or -errno. */
int pwrite_all(int fd, const void *buf, size_t len, uint64_t off);

#endif /* DS_FDIO_H */
