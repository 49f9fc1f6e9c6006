// SPDX-License-Identifier: MIT
/*
 * A store entry's metadata is read back from a file anyone with write
 * access to the store could have changed: the input becomes NAME.json in a
 * scratch store, which is then listed and resolved as `devsnap list` does.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "quiet_stderr.h"
#include "store/store.h"

#define NAME "20261125-095736-amdgpu-devcd1"

static char dir[] = "/tmp/fuzz-store-XXXXXX";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store_list l = { 0 };
	struct store s = { .dirfd = -1 };
	size_t index;
	int fd;

	if (store_open(&s, dir, false) < 0)
		abort();
	fd = openat(s.dirfd, NAME ".json", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	if (store_list(&s, &l) == 0) {
		store_resolve(&l, "-1", &index);
		store_resolve(&l, "2026", &index);
		store_list_free(&l);
	}
	store_close(&s);
	return 0;
}

static void remove_store(void)
{
	char path[sizeof(dir) + sizeof(NAME ".json")];

	snprintf(path, sizeof(path), "%s/%s", dir, NAME ".json");
	unlink(path);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	if (!mkdtemp(dir))
		abort();
	fuzz_quiet_stderr();
	atexit(remove_store);
	return 0;
}
