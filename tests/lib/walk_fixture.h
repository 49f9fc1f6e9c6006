/* SPDX-License-Identifier: MIT */
/* Build a table in a memory image, walk it, collect the ranges: the
 * round trip every format test makes. */
#ifndef DS_WALK_FIXTURE_H
#define DS_WALK_FIXTURE_H

#include "build.h"
#include "capture/memimage.h"
#include "pgtable.h"

#define FIXTURE_MAX_RANGES 64

struct walk_fixture {
	struct memimage mem;
	struct ds_pgtable pt;
	struct ds_range ranges[FIXTURE_MAX_RANGES];
	unsigned nranges;
	struct ds_walk walk;
};

/* A memory image of mem_size bytes at PA 0 and an empty table in it;
 * asserts on failure.  cfg's format, va_bits, nroots, upper_half are used. */
void fixture_setup(struct walk_fixture *fx, const struct ds_pgtable_config *cfg,
		   uint64_t mem_size);
void fixture_teardown(struct walk_fixture *fx);

/* ds_build_map on the fixture's table. */
int fixture_map(struct walk_fixture *fx, uint64_t va, uint64_t pa, uint64_t size,
		unsigned height, uint8_t prot, uint8_t mem);

/* Walks [first, last] into fx->ranges; returns the walk's final status. */
int fixture_walk(struct walk_fixture *fx, uint64_t first, uint64_t last);

/* The PA of the entry at height on the path to va, whose tables above it
 * exist: tables followed through the format's own decoder. */
uint64_t fixture_entry_pa(struct walk_fixture *fx, uint64_t va, unsigned height);

/* Writes one raw entry, little-endian, to hand-craft hostile tables. */
void fixture_poke(struct walk_fixture *fx, uint64_t pa, uint64_t pte);

#endif /* DS_WALK_FIXTURE_H */
