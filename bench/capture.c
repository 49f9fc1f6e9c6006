// SPDX-License-Identifier: MIT
/*
 * devsnap capture throughput: 1 GiB mapped as 4K pages and as 2M blocks
 * (x86_64), each page or block at a scattered PA so that none merge, the
 * whole pipeline timed (walk, classify, lay out, stream the dump).  The
 * *_4k_contig_* lines map the 4K pages in PA order instead: 262144 PTEs
 * the walk merges into one range.
 *
 *   capture_mem_*: from the image in process memory (the memimage source)
 *     into /dev/null, against memcpy of the 1 GiB, a MiB at a time, into
 *     one 1 MiB buffer: what the capture does with each byte (one copy
 *     into its 1 MiB chunk, which /dev/null discards);
 *   capture_file_*: from the image as a raw file in the page cache into a
 *     dump file beside it (capture_write: temporary file, fsync, rename,
 *     fsync of the directory), against `dd bs=1M` of as many bytes of the
 *     image into a file beside it, then `sync` of that file and the
 *     directory: read into a buffer, write, fsync, as the capture does.
 *     Not `cp`: on ext4 (what this machine's / is) coreutils 9 `cp` uses
 *     copy_file_range, one copy inside the kernel where the capture has
 *     two and a round trip to userspace;
 *   capture_file_*_null: the same capture into /dev/null, against
 *     `cat IMAGE > /dev/null`: read and discard on both sides, the source
 *     side alone;
 *   *_4k_*_pages: the same 4K captures against copying (memcpy or pread)
 *     the same scattered pages in the dump's order into a 1 MiB buffer,
 *     the floor for that layout: one cache-cold page, or one system call,
 *     at a time.
 *
 * Files go to a fresh directory under argv[1] (default "."), removed at
 * the end.  Best of three of everything.
 */
#define _GNU_SOURCE /* mkdtemp */
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"
#include "capture/capture.h"
#include "capture/memimage.h"

#define BASE 0x100000000ULL
#define DATA (1ULL << 30)
#define TABLES (16ULL << 20)
#define RUNS 3
#define GOLDEN 0x9e3779b1ULL /* odd: i * GOLDEN mod 2^k is a permutation */

struct bench {
	struct memimage mem;
	struct ds_pgtable pt4k, pt2m, pt4k_contig;
	char dir[4096], image[4200], dump[4200], copy[4200];
};

static void die(const char *what)
{
	fprintf(stderr, "bench_capture: %s\n", what);
	exit(1);
}

/* Maps DATA at VA 0 in leaves at the given height, leaf i at PA leaf
 * i * GOLDEN (scattered: none contiguous with the next) or at leaf i. */
static void build(struct bench *b, struct ds_pgtable *pt, unsigned height, bool scattered)
{
	struct ds_pgtable_config cfg = {
		.format = ds_format_find("x86_64"), .nroots = 1,
		.read_phys = memimage_read, .opaque = &b->mem,
	};
	struct ds_attrs attrs = { DS_PROT_PR | DS_PROT_PW, DS_MEM_CACHED };
	uint64_t leaf, n;

	if (ds_pgtable_init(pt, &cfg, NULL) < 0 ||
	    ds_build_roots(pt, &memimage_build_ops, &b->mem) < 0)
		die("cannot build the tables");
	leaf = ds_leaf_size(pt, height);
	n = DATA / leaf;
	for (uint64_t i = 0; i < n; i++)
		if (ds_build_map(pt, &memimage_build_ops, &b->mem, i * leaf,
				 BASE + (scattered ? i * GOLDEN % n : i) * leaf, leaf, height,
				 &attrs) < 0)
			die("cannot map");
}

static void setup(struct bench *b, const char *parent)
{
	int fd;

	if (memimage_init(&b->mem, BASE, DATA + TABLES) < 0)
		die("out of memory");
	for (uint64_t off = 0; off < DATA; off += 4096)
		memset(b->mem.bytes + off, (int)(off >> 12), 4096);
	build(b, &b->pt4k, 0, true);
	build(b, &b->pt2m, 1, true);
	build(b, &b->pt4k_contig, 0, false);
	snprintf(b->dir, sizeof(b->dir), "%s/devsnap-bench-XXXXXX", parent);
	if (!mkdtemp(b->dir))
		die("cannot make a directory");
	snprintf(b->image, sizeof(b->image), "%s/memory.img", b->dir);
	snprintf(b->dump, sizeof(b->dump), "%s/capture.core", b->dir);
	snprintf(b->copy, sizeof(b->copy), "%s/copy.img", b->dir);
	fd = open(b->image, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, b->mem.bytes, b->mem.size) != (ssize_t)b->mem.size)
		die("cannot write the image");
	close(fd);
}

/* One whole capture of pt from src into out (a path), or /dev/null; the
 * segment list spills beside the files, as `devsnap capture` has it.  Sets
 * *size to the dump's. */
static double capture_once(struct source *src, const struct ds_pgtable *pt, const char *out,
			   const char *dir, uint64_t *size)
{
	struct capture_options opt = {
		.format = "x86_64", .roots = { pt->cfg.roots[0] }, .nroots = 1, .va_last = ~0ULL,
		.spill_dir = dir,
	};
	double t0 = bench_now();
	struct capture c;
	int fd, r = capture_run(&c, src, &opt);

	if (r == 0 && out) {
		r = capture_write(&c, out, false);
	} else if (r == 0) {
		fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
		r = capture_stream(&c, fd, false);
		close(fd);
	}
	*size = c.writer.size;
	capture_free(&c);
	if (r < 0)
		die("capture failed");
	if (c.snap.totals.saved != DATA)
		die("capture saved the wrong amount");
	return bench_now() - t0;
}

static double best_capture(struct source *src, const struct ds_pgtable *pt, const char *out,
			   uint64_t *size)
{
	char copy[4200];
	const char *dir = out ? dirname(strcpy(copy, out)) : NULL;
	double best = 1e9;

	for (int i = 0; i < RUNS; i++) {
		double t = capture_once(src, pt, out, dir, size);

		best = t < best ? t : best;
		if (out)
			unlink(out);
	}
	return best;
}

static double best_memcpy(const struct bench *b)
{
	static uint8_t chunk[CAPTURE_CHUNK];
	double best = 1e9;

	for (int i = 0; i < RUNS; i++) {
		double t0 = bench_now(), t;

		for (uint64_t off = 0; off < DATA; off += sizeof(chunk)) {
			memcpy(chunk, b->mem.bytes + off, sizeof(chunk));
			__asm__ volatile("" : : "r"(chunk) : "memory"); /* keep each copy */
		}
		t = bench_now() - t0;
		best = t < best ? t : best;
	}
	return best;
}

/* 4K page i of the dump is image page i * GOLDEN mod its page count. */
static uint64_t page_at(uint64_t i)
{
	return i * GOLDEN % (DATA >> 12) << 12;
}

/* The 4K floor: the pages in the dump's order into a 1 MiB ring, by
 * memcpy (fd < 0) or pread. */
static double best_pages(const struct bench *b, int fd)
{
	static uint8_t ring[1 << 20];
	double best = 1e9;

	for (int i = 0; i < RUNS; i++) {
		double t0 = bench_now(), t;

		for (uint64_t p = 0; p < DATA >> 12; p++) {
			uint8_t *to = ring + (p << 12 & (sizeof(ring) - 1));

			if (fd < 0)
				memcpy(to, b->mem.bytes + page_at(p), 4096);
			else if (pread(fd, to, 4096, (off_t)page_at(p)) != 4096)
				die("pread failed");
		}
		__asm__ volatile("" : : "r"(ring) : "memory");
		t = bench_now() - t0;
		best = t < best ? t : best;
	}
	return best;
}

static double best_command(const char *cmd, const char *remove)
{
	double best = 1e9;

	for (int i = 0; i < RUNS; i++) {
		double t0 = bench_now(), t;

		if (system(cmd))
			die("a baseline command failed");
		t = bench_now() - t0;
		best = t < best ? t : best;
		if (remove)
			unlink(remove);
	}
	return best;
}

static double best_cat(const struct bench *b)
{
	char cmd[4300];

	snprintf(cmd, sizeof(cmd), "cat '%s' > /dev/null", b->image);
	return best_command(cmd, NULL);
}

/* size bytes of the image into a new file beside it, synced as capture_write syncs. */
static double best_copy(const struct bench *b, uint64_t size)
{
	char cmd[5 * 4200];

	snprintf(cmd, sizeof(cmd),
		 "dd if='%s' of='%s' bs=1M count=%llu iflag=count_bytes status=none && "
		 "sync '%s' '%s'", b->image, b->copy, (unsigned long long)size, b->copy, b->dir);
	return best_command(cmd, b->copy);
}

static void report(const char *name, double t, double t_base)
{
	const double gib = (double)DATA / (1 << 30);

	bench_report(name, gib / t, "GiB/s", gib / t_base, t, t_base);
}

int main(int argc, char **argv)
{
	static struct bench b;
	struct source mem_src, file_src;
	double t_memcpy, t_cat, t;
	uint64_t size;
	int fd;

	setup(&b, argc > 1 ? argv[1] : ".");
	source_open_memimage(&mem_src, &b.mem);
	if (source_open_raw(&file_src, b.image, BASE) < 0)
		die("cannot open the image");
	fd = open(b.image, O_RDONLY | O_CLOEXEC);
	t_cat = best_cat(&b); /* also brings the whole image into the page cache */
	t_memcpy = best_memcpy(&b);

	t = best_capture(&mem_src, &b.pt4k, NULL, &size);
	report("capture_mem_4k_1g", t, t_memcpy);
	report("capture_mem_4k_1g_pages", t, best_pages(&b, -1));
	report("capture_mem_2m_1g", best_capture(&mem_src, &b.pt2m, NULL, &size), t_memcpy);
	report("capture_mem_4k_contig_1g", best_capture(&mem_src, &b.pt4k_contig, NULL, &size),
	       t_memcpy);
	t = best_capture(&file_src, &b.pt4k, b.dump, &size);
	report("capture_file_4k_1g", t, best_copy(&b, size));
	t = best_capture(&file_src, &b.pt2m, b.dump, &size);
	report("capture_file_2m_1g", t, best_copy(&b, size));
	t = best_capture(&file_src, &b.pt4k, NULL, &size);
	report("capture_file_4k_1g_null", t, t_cat);
	report("capture_file_4k_1g_null_pages", t, best_pages(&b, fd));
	report("capture_file_2m_1g_null", best_capture(&file_src, &b.pt2m, NULL, &size), t_cat);
	report("capture_file_4k_contig_1g_null",
	       best_capture(&file_src, &b.pt4k_contig, NULL, &size), t_cat);

	close(fd);
	source_close(&file_src);
	unlink(b.image);
	rmdir(b.dir);
	memimage_free(&b.mem);
	return 0;
}
