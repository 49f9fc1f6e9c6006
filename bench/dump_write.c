// SPDX-License-Identifier: MIT
/*
 * Writing a 1 GiB dump (65536 segments of 16K, data in memory) to a file
 * through ds_dump_read in 1 MiB chunks, against `dd bs=1M` of the resulting
 * file (in the page cache) into a new one on the same filesystem, in the
 * same run: a copy into a buffer and a write() of it, a MiB at a time, on
 * both sides, neither synced.  Not `cp`: on ext4 coreutils 9 `cp` uses
 * copy_file_range, one copy inside the kernel.  Each starts with nothing
 * dirty (sync first, untimed), so that neither is throttled by the other's
 * writeback.  Best of three each.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "dump.h"

#define NSEGS 65536
#define SEG (16 << 10)
#define CHUNK (1 << 20)

static uint8_t *data;

static int from_memory(void *opaque, const struct ds_segment *seg, uint64_t off, void *buf,
		       size_t len)
{
	memcpy(buf, data + (seg->pa - 0x100000000ULL) + off, len);
	return 0;
}

static double write_dump(struct ds_dump_writer *w, const char *path)
{
	static uint8_t chunk[CHUNK];
	double t0;
	int fd;

	unlink(path); /* a fresh file, as cp makes: truncating the old one would cost us */
	t0 = bench_now();
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0)
		exit(1);
	for (uint64_t off = 0; off < w->size;) {
		int64_t n = ds_dump_read(w, off, chunk, sizeof(chunk));

		if (n <= 0 || write(fd, chunk, (size_t)n) != n)
			exit(1);
		off += (uint64_t)n;
	}
	close(fd);
	return bench_now() - t0;
}

static double run_dd(const char *from, const char *to)
{
	char cmd[2 * 4096 + 64];
	double t0 = bench_now();

	snprintf(cmd, sizeof(cmd), "dd if='%s' of='%s' bs=1M status=none", from, to);
	if (system(cmd))
		exit(1);
	return bench_now() - t0;
}

int main(int argc, char **argv)
{
	static const struct ds_dump_info info = {
	    .device = "bench", .driver = "bench", .reason = "bench"};
	struct ds_segment *segs = calloc(NSEGS, sizeof(*segs));
	/* As capture has it: shared pages stored once, one index entry a segment. */
	struct ds_share_entry *index = calloc(NSEGS, sizeof(*index));
	struct ds_dump_writer w = { .info = &info, .nsegs = NSEGS, .read_data = from_memory,
				    .index = index, .index_cap = NSEGS };
	const char *dir = argc > 1 ? argv[1] : ".";
	char path[4096], copy[4096];
	double best = 1e9, best_dd = 1e9;

	data = malloc((size_t)NSEGS * SEG);
	if (!segs || !index || !data)
		return 1;
	for (size_t i = 0; i < (size_t)NSEGS * SEG; i += 4096)
		memset(data + i, (int)(i >> 12), 4096);
	for (unsigned i = 0; i < NSEGS; i++) /* a gap after each: no merging */
		segs[i] = (struct ds_segment){ .va = 0x2ULL * SEG * i, .pa = 0x100000000ULL + (uint64_t)SEG * i,
					       .size = SEG, .page_shift = 14,
					       .attrs = { DS_PROT_PR | DS_PROT_PW, DS_MEM_CACHED } };
	w.segs = segs;
	if (ds_dump_layout(&w) < 0)
		return 1;
	snprintf(path, sizeof(path), "%s/bench-dump.core", dir);
	snprintf(copy, sizeof(copy), "%s/bench-dump-copy.core", dir);
	for (int run = 0; run < 3; run++) {
		double t, t_dd;

		sync();
		t = write_dump(&w, path);
		sync();
		t_dd = run_dd(path, copy);

		best = t < best ? t : best;
		best_dd = t_dd < best_dd ? t_dd : best_dd;
		unlink(copy);
	}
	unlink(path);
	bench_report("dump_write_1g", best, "s", best_dd, best, best_dd);
	free(data);
	free(index);
	free(segs);
	return 0;
}
