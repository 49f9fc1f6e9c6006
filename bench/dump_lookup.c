// SPDX-License-Identifier: MIT
/*
 * Random-VA lookups in a dump of 100 000 segments: ds_dump_find's binary
 * search over the mapped file's program headers, against a linear scan
 * of the same headers, in the same run.
 */
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "dump_parse.h"

#define NSEGS 100000
#define LOOKUPS 1000000
#define SCANS 2000

static int zeros(void *opaque, const struct ds_segment *seg, uint64_t off, void *buf, size_t len)
{
	memset(buf, 0, len);
	return 0;
}

static uint32_t linear_find(const struct ds_dump_file *f, uint64_t va)
{
	struct ds_dump_load l;

	for (uint32_t i = 0; i < f->nloads; i++)
		if (ds_dump_load(f, i, &l) == 0 && va - l.va < l.memsz)
			return i;
	return ~0u;
}

int main(void)
{
	static const struct ds_dump_info info = {
	    .device = "bench", .driver = "bench", .reason = "bench"};
	struct ds_segment *segs = calloc(NSEGS, sizeof(*segs));
	struct ds_dump_writer w = { .info = &info, .nsegs = NSEGS, .read_data = zeros };
	struct ds_dump_file f;
	uint64_t *vas = malloc(LOOKUPS * sizeof(*vas)), sum = 0;
	uint8_t *file;
	double t_find, t_scan;

	if (!segs || !vas)
		return 1;
	for (unsigned i = 0; i < NSEGS; i++) /* unsaved: the file stays small */
		segs[i] = (struct ds_segment){ .va = 0x10000ULL * i, .size = 0x4000, .page_shift = 12,
					       .skip = DS_SKIP_NOT_RAM };
	w.segs = segs;
	if (ds_dump_layout(&w) < 0 || !(file = malloc(w.size)) ||
	    ds_dump_read(&w, 0, file, w.size) != (int64_t)w.size || ds_dump_open(&f, file, w.size) < 0)
		return 1;
	srandom(1);
	for (unsigned i = 0; i < LOOKUPS; i++)
		vas[i] = 0x10000ULL * (random() % NSEGS) + random() % 0x4000;

	t_find = bench_now();
	for (unsigned i = 0; i < LOOKUPS; i++) {
		uint32_t idx = 0;

		ds_dump_find(&f, vas[i], &idx);
		sum += idx;
	}
	t_find = (bench_now() - t_find) / LOOKUPS;
	t_scan = bench_now();
	for (unsigned i = 0; i < SCANS; i++)
		sum += linear_find(&f, vas[i]);
	t_scan = (bench_now() - t_scan) / SCANS;
	if (!sum)
		return 1;
	bench_report("dump_lookup_100k", t_find * 1e9, "ns", t_scan * 1e9, t_find, t_scan);
	free(file);
	free(vas);
	free(segs);
	return 0;
}
