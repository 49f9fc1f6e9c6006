/* SPDX-License-Identifier: MIT */
/* Dumps made in memory for the writer and parser tests: segments whose
 * saved bytes are a known function of their VA. */
#ifndef DS_DUMP_FIXTURE_H
#define DS_DUMP_FIXTURE_H

#include "dump.h"

/* The byte every saved page holds at device address va. */
static inline uint8_t fixture_byte(uint64_t va)
{
	return (uint8_t)(va >> 12 ^ va ^ 0x5a);
}

/* read_data for ds_dump_writer: fills with fixture_byte. */
int fixture_read_data(void *opaque, const struct ds_segment *seg, uint64_t off, void *buf,
		      size_t len);

/* Lays out w and writes it whole into a malloc'ed buffer, reading in
 * chunks of chunk bytes; returns it, its size in *size. */
uint8_t *fixture_write_dump(struct ds_dump_writer *w, size_t chunk, uint64_t *size);

#endif /* DS_DUMP_FIXTURE_H */
