// SPDX-License-Identifier: MIT
/*
 * make_view_dumps DIR: the dumps the view tests draw.
 *   big.core   65 000 one-page segments, as a kernel's tables give: every
 *              16th saved (page i at 0x100000000 + 0x3000 * i, a 1 TiB
 *              gap every 1000), the others skipped for each reason in
 *              turn; every 500th shares its page with the one before; a
 *              reason and a firmware-log blob that try to break out of
 *              the page (</script>, markup, U+2028).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"

#define NSEGS 65000
#define HOSTILE "</script><img src=x onerror=alert(1)>\xe2\x80\xa8<b>bold</b> & \x01"

static int fill(void *opaque, const struct ds_segment *seg, uint64_t off, void *buf, size_t len)
{
	memset(buf, (int)(seg->va >> 12 & 0xff), len);
	return 0;
}

static int no_memory(void *opaque, uint64_t pa, void *buf, size_t len)
{
	return -EFAULT;
}

static uint64_t big_va(unsigned i)
{
	return 0x100000000ULL + 0x3000ULL * i + ((uint64_t)(i / 1000) << 40);
}

static uint64_t big_pa(unsigned i)
{
	if (i % 500 == 1)
		i--;
	return 0x80000000ULL + (uint64_t)(i * 7919u % 65536u) * 0x1000;
}

static const uint8_t reasons[] = { DS_SKIP_DEVICE, DS_SKIP_NOT_RAM, DS_SKIP_OFFLINE,
				   DS_SKIP_HWPOISON, DS_SKIP_BUDGET, DS_SKIP_READ_ERROR };

static int write_big(const char *dir)
{
	static const char log_text[] =
		"[    0.000000] fw: boot\n" HOSTILE "\n[    1.500000] fw: assert\n";
	struct ds_blob blob = { .name = "firmware-log", .data = log_text,
				.size = sizeof(log_text) - 1 };
	struct ds_pgtable_config cfg = { .format = ds_format_find("arm64-4k"), .nroots = 1,
					 .roots = { 0x80000000 }, .read_phys = no_memory };
	struct ds_dump_info info = { .device = "big0", .driver = "view-test",
				     .reason = "test " HOSTILE, .time_ns = 1795599115000000000ULL };
	struct ds_segment *segs = calloc(NSEGS, sizeof(*segs));
	struct ds_dump_writer w = { .info = &info, .segs = segs, .nsegs = NSEGS, .read_data = fill,
				    .blobs = &blob, .nblobs = 1 };
	static uint8_t chunk[1 << 16];
	struct ds_error err;
	struct ds_pgtable pt;
	char path[4096];
	FILE *out;

	if (!segs || ds_pgtable_init(&pt, &cfg, &err) < 0)
		return 1;
	info.pt = &pt;
	for (unsigned i = 0; i < NSEGS; i++) {
		uint8_t skip = i % 16 ? reasons[i % 6] : DS_SAVED;
		uint8_t mem = skip == DS_SKIP_DEVICE ? DS_MEM_DEVICE : DS_MEM_CACHED;

		segs[i] = (struct ds_segment){
			.va = big_va(i), .pa = big_pa(i), .size = 0x1000, .page_shift = 12,
			.pte = big_pa(i) | 0x703, .skip = skip,
			.attrs = { DS_PROT_PR | DS_PROT_PW, mem } };
	}
	snprintf(path, sizeof(path), "%s/big.core", dir);
	if (ds_dump_layout(&w) < 0 || !(out = fopen(path, "wb")))
		return 1;
	for (uint64_t off = 0; off < w.size;) {
		int64_t got = ds_dump_read(&w, off, chunk, sizeof(chunk));

		if (got <= 0 || fwrite(chunk, 1, (size_t)got, out) != (size_t)got)
			return 1;
		off += (uint64_t)got;
	}
	free(segs);
	return fclose(out) ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	return write_big(argv[1]);
}
