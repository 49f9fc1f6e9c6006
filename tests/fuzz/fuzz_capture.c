// SPDX-License-Identifier: MIT
/*
 * The capture pipeline over hostile memory sources: a raw image, an ELF
 * vmcore, or a kcore-shaped ELF with an /proc/iomem text, each parsed by
 * src/source_*.c, then walked with a format and root taken from the input
 * and streamed to /dev/null under a small budget (so a run stays short).
 *
 * The VA range, the budget and --partial come from the input too: the
 * range whole, as given, short, or near 2^64, unaligned bounds included;
 * the budget never 0 (no limit), so that a run stays short.
 *
 * Input: kind (1 byte), format index (1), root PA (8, LE), iomem text
 * length (2, LE), range mode (1), budget (1: bits 0-6 in 4 KiB units less
 * one, bit 7 --partial), two 8-byte LE numbers for the range, the iomem
 * text, then the file bytes.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "capture/capture.h"
#include "quiet_stderr.h"

#define HEADER 30

static int memfd_with(const char *name, const uint8_t *data, size_t size)
{
	int fd = memfd_create(name, MFD_CLOEXEC);

	if (fd >= 0 && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return -1;
	}
	return fd;
}

static int open_source(struct source *src, uint8_t kind, const char *file, const char *iomem)
{
	static const char no_flags[] = "/dev/null/none"; /* unreadable: classification by iomem */
	struct kcore_paths paths = { .kcore = file, .iomem = iomem, .kpageflags = no_flags };

	switch (kind % 3) {
	case 0:
		return source_open_raw(src, file, 0);
	case 1:
		return source_open_vmcore(src, file);
	default:
		return source_open_kcore(src, &paths);
	}
}

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* The whole space, the two numbers as they are, a short range from the
 * first, or a short range ending near 2^64. */
static void choose_range(const uint8_t *in, struct capture_options *opt)
{
	uint64_t a = le64(in + 14), b = le64(in + 22);

	switch (in[12] % 4) {
	case 0:
		opt->va_first = 0, opt->va_last = ~0ULL;
		break;
	case 1:
		opt->va_first = a, opt->va_last = b;
		break;
	case 2:
		opt->va_first = a;
		opt->va_last = a + (b & 0xffff) < a ? ~0ULL : a + (b & 0xffff);
		break;
	default:
		opt->va_last = ~0ULL - (b & 0xfff);
		opt->va_first = opt->va_last - (a & 0xffffff) > opt->va_last
					? 0 : opt->va_last - (a & 0xffffff);
		break;
	}
}

static void capture_once(struct source *src, const uint8_t *in)
{
	const struct ds_format *fmt = ds_format_at(in[1] % 16);
	struct capture_options opt = {
		.format = fmt ? fmt->name : "x86_64", .nroots = 1,
		.budget = (1 + (in[13] & 0x7f)) * 4096ULL, .partial = in[13] & 0x80,
		.upper_half = in[1] & 0x80,
	};
	struct capture c;
	int out;

	memcpy(&opt.roots[0], in + 2, 8);
	choose_range(in, &opt);
	if (capture_run(&c, src, &opt) == 0) {
		out = open("/dev/null", O_WRONLY | O_CLOEXEC);
		capture_stream(&c, out, false);
		close(out);
	}
	capture_free(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char file[64], iomem[64];
	struct source src = { 0 };
	size_t text;
	int ffd, ifd;

	if (size < HEADER)
		return 0;
	text = (size_t)(data[10] | data[11] << 8);
	if (text > size - HEADER)
		return 0;
	ifd = memfd_with("iomem", data + HEADER, text);
	ffd = memfd_with("file", data + HEADER + text, size - HEADER - text);
	snprintf(iomem, sizeof(iomem), "/proc/self/fd/%d", ifd);
	snprintf(file, sizeof(file), "/proc/self/fd/%d", ffd);
	if (ifd >= 0 && ffd >= 0 && open_source(&src, data[0], file, iomem) == 0) {
		capture_once(&src, data);
		source_close(&src);
	}
	close(ifd);
	close(ffd);
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_quiet_stderr();
	return 0;
}
