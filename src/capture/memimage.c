// SPDX-License-Identifier: MIT
#include "capture/memimage.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int memimage_init(struct memimage *m, uint64_t base, uint64_t size)
{
	m->bytes = calloc(1, size);
	if (!m->bytes)
		return -ENOMEM;
	m->base = base;
	m->size = size;
	m->next_free = base + size;
	return 0;
}

void memimage_free(struct memimage *m)
{
	free(m->bytes);
	m->bytes = NULL;
}

static uint8_t *memimage_at(struct memimage *m, uint64_t pa, size_t len)
{
	if (pa < m->base || pa - m->base > m->size || len > m->size - (pa - m->base))
		return NULL;
	return m->bytes + (pa - m->base);
}

int memimage_read(void *opaque, uint64_t pa, void *buf, size_t len)
{
	const uint8_t *p = memimage_at(opaque, pa, len);

	if (!p)
		return -EFAULT;
	memcpy(buf, p, len);
	return 0;
}

int memimage_write(void *opaque, uint64_t pa, const void *buf, size_t len)
{
	uint8_t *p = memimage_at(opaque, pa, len);

	if (!p)
		return -EFAULT;
	memcpy(p, buf, len);
	return 0;
}

static int memimage_alloc_table(void *opaque, uint64_t size, uint64_t *pa)
{
	struct memimage *m = opaque;
	uint64_t at = (m->next_free - size) & ~(size - 1);

	if (m->next_free < size || at < m->base)
		return -ENOMEM;
	m->next_free = at;
	memset(m->bytes + (at - m->base), 0, size);
	*pa = at;
	return 0;
}

const struct ds_build_ops memimage_build_ops = {
	.alloc_table = memimage_alloc_table,
	.write_phys = memimage_write,
};
