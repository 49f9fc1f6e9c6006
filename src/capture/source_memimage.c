// SPDX-License-Identifier: MIT
/* A memory image in process memory (src/memimage.h): the built-in
 * example and the benchmarks capture from one. */
#include "capture/source.h"
#include "capture/source_file.h"

static int memimage_classify(void *priv, uint64_t pa, uint64_t size, enum ds_skip_reason *reason,
			     uint64_t *run_len)
{
	const struct memimage *m = priv;

	classify_window(m->base, m->size, pa, size, reason, run_len);
	return 0;
}

void source_open_memimage(struct source *src, struct memimage *m)
{
	*src = (struct source){
		.name = "the memory image", .read_phys = memimage_read,
		.classify = memimage_classify, .priv = m,
	};
}
