// SPDX-License-Identifier: MIT
/*
 * The text parsers of the CLI and the collector: collect.conf (read from
 * a memory file), and the number, size, range and time syntax of the options.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "basic/parse.h"
#include "basic/timestamp.h"
#include "collect/collect_conf.h"
#include "quiet_stderr.h"

#define NOW_USEC 1764064471123456ull /* list --since's "now", fixed */

static void parse_as_numbers(const uint8_t *data, size_t size)
{
	char s[64];
	uint64_t a, b;

	if (size >= sizeof(s))
		size = sizeof(s) - 1;
	memcpy(s, data, size);
	s[size] = '\0';
	parse_u64(s, &a);
	parse_size(s, &a);
	if (parse_range_last(s, &a, &b) == 0 && b < a)
		__builtin_trap(); /* never empty, never wrapped */
	if (parse_timestamp(s, NOW_USEC, &a) == 0 && s[0] == '-' && a > NOW_USEC)
		__builtin_trap(); /* "-SPAN" is never after now */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct collect_conf conf;
	char path[32];
	int fd = memfd_create("collect.conf", MFD_CLOEXEC);

	parse_as_numbers(data, size);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	collect_conf_init(&conf);
	collect_conf_load(&conf, path, true);
	close(fd);
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_quiet_stderr();
	return 0;
}
