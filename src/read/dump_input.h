/* SPDX-License-Identifier: MIT */
/*
 * A dump's bytes in a file that can be mmapped, whatever holds them: a
 * regular file is used as it is; a zstd stream (known by its magic, not
 * its name: a .zst file, a pipe, a store entry) and anything that cannot
 * be mapped (a pipe on standard input) are copied into an unnamed memory
 * file as they arrive.  That file grows with what arrives, sparse where
 * the bytes are zero, and never by a size the input claims; the first
 * bytes must start an ELF core, so a stream that is not a dump fails
 * before anything big is stored; and bytes past all its headers point to
 * (ds_dump_extent) are read, so a pipe is drained, but not kept.
 */
#ifndef DS_DUMP_INPUT_H
#define DS_DUMP_INPUT_H

#include <stdint.h>

/* fd (taken: closed or returned) as a mappable file: fd itself for a
 * regular uncompressed file that has a size, else a memory file
 * (pipes, zstd, sysfs files that say 0 bytes).  name is for messages.
 * The result prints what is wrong and returns -errno. */
int dump_input_mappable(int fd, const char *name);

/* The zstd stream in zfd (not taken), decompressed into a memory file:
 * exactly size bytes, or any number with UNZSTD_ANY_SIZE (basic/unzstd.h).  A stream
 * that runs past size is stopped there: a bomb, -EBADMSG. */
int dump_input_unzstd(int zfd, const char *name, uint64_t size);

#endif /* DS_DUMP_INPUT_H */
