// SPDX-License-Identifier: MIT
#define _GNU_SOURCE /* O_TMPFILE, mremap */
#include "capture/seglist.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "basic/log.h"

void seglist_init(struct seglist *l, const char *dir, size_t in_memory)
{
	*l = (struct seglist){ .spill_dirfd = -1, .fd = -1,
			       .in_memory = in_memory ? in_memory : SEGLIST_IN_MEMORY };
	/* Where dir cannot be opened, writing the output there will fail and
	 * say so; until then the list stays in memory. */
	if (dir)
		l->spill_dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/* Moves the list from anonymous memory into a shared mapping of an
 * unlinked file; where that cannot be, it stays in memory for good. */
static bool spill(struct seglist *l, size_t cap)
{
	size_t len = cap * sizeof(*l->segs);
	int fd = openat(l->spill_dirfd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	void *map = MAP_FAILED;

	if (fd >= 0 && ftruncate(fd, (off_t)len) == 0)
		map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		log_warn("cannot keep the segment list in a file (%s); it stays in memory",
			 strerror(errno));
		if (fd >= 0)
			close(fd);
		close(l->spill_dirfd);
		l->spill_dirfd = -1;
		return false;
	}
	memcpy(map, l->segs, l->n * sizeof(*l->segs));
	free(l->segs);
	l->segs = map;
	l->fd = fd;
	return true;
}

static int grow_spilled(struct seglist *l, size_t cap)
{
	size_t len = cap * sizeof(*l->segs);
	void *map;

	if (ftruncate(l->fd, (off_t)len) < 0)
		return -errno;
	map = mremap(l->segs, l->cap * sizeof(*l->segs), len, MREMAP_MAYMOVE);
	if (map == MAP_FAILED)
		return -errno;
	l->segs = map;
	return 0;
}

static int grow_in_memory(struct seglist *l, size_t cap)
{
	struct ds_segment *more = reallocarray(l->segs, cap, sizeof(*more));

	if (!more)
		return -ENOMEM;
	l->segs = more;
	return 0;
}

static int grow(struct seglist *l)
{
	size_t cap = l->cap ? 2 * l->cap : 256;
	int r;

	if (l->fd >= 0)
		r = grow_spilled(l, cap);
	else if (cap > l->in_memory && l->spill_dirfd >= 0 && spill(l, cap))
		r = 0;
	else
		r = grow_in_memory(l, cap);
	if (r == 0)
		l->cap = cap;
	return r;
}

int seglist_add(struct seglist *l, const struct ds_segment *seg)
{
	int r = l->n == l->cap ? grow(l) : 0;

	if (r < 0)
		return r;
	l->segs[l->n++] = *seg;
	return 0;
}

void seglist_free(struct seglist *l)
{
	if (l->fd >= 0) {
		munmap(l->segs, l->cap * sizeof(*l->segs));
		close(l->fd);
	} else {
		free(l->segs);
	}
	if (l->spill_dirfd >= 0)
		close(l->spill_dirfd);
	*l = (struct seglist){ .spill_dirfd = -1, .fd = -1 };
}
