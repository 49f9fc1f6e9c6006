// SPDX-License-Identifier: MIT
/*
 * devsnap capture of tables that map one physical range at many VAs (a
 * page mapped 512 times, a page of a 2M block mapped again on its own):
 * the dump stores each range once, so it is smaller by the aliased bytes;
 * `read` at every alias VA gives the source's bytes; `verify` calls it
 * sound and `info` tells the bytes in the file.  A dump whose segments
 * share file bytes for different PAs is unsound.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "capture_fixture.h"
#include "elf_layout.h"

#define K4 0x1000ULL
#define M2 0x200000ULL
#define ALIASES 512
#define PAGE_PA 0x5000ULL    /* the page mapped ALIASES times */
#define ALIAS_VA 0x10000000ULL
#define BLOCK_VA 0x40000000ULL
#define BLOCK_PA 0x200000ULL
#define SUB_VA 0x50000000ULL /* the block's page at BLOCK_PA + 0x3000, alone */
#define OTHER_VA 0x60000000ULL
#define OTHER_PA 0x7000ULL

static struct cfx fx;

static int teardown(void **state)
{
	if (fx.dir[0])
		cfx_teardown(&fx);
	fx.dir[0] = '\0';
	return 0;
}

static void capture_aliased_tables(void)
{
	cfx_setup(&fx, "x86_64", 0, 4 * M2, 1, 0, false);
	for (unsigned i = 0; i < ALIASES; i++)
		cfx_map(&fx, ALIAS_VA + i * K4, PAGE_PA, K4, 0, DS_MEM_CACHED);
	cfx_map(&fx, BLOCK_VA, BLOCK_PA, M2, 1, DS_MEM_CACHED);
	cfx_map(&fx, SUB_VA, BLOCK_PA + 0x3000, K4, 0, DS_MEM_CACHED);
	cfx_map(&fx, OTHER_VA, OTHER_PA, K4, 0, DS_MEM_CACHED);
	cfx_write_raw(&fx, "mem.img", 0, 4 * M2);
	if (cfx_run(&fx, "capture", "--memory", "mem.img", "--format", "x86_64", "--root",
		    cfx_hex(fx.pt.cfg.roots[0]), "-o", "out.core", NULL) != 0)
		fail_msg("capture failed:\n%s", fx.err);
	cfx_open_dump(&fx, "out.core");
}

static uint64_t file_size(const char *name)
{
	struct stat st;

	assert_int_equal(stat(cfx_path(&fx, name), &st), 0);
	return (uint64_t)st.st_size;
}

/* The data starts at the lowest p_offset of a saved segment. */
static uint64_t data_offset(void)
{
	uint64_t lowest = ~0ULL;
	struct ds_dump_load l;

	for (uint32_t i = 0; i < fx.file.nloads; i++) {
		assert_int_equal(ds_dump_load(&fx.file, i, &l), 0);
		if (l.filesz && l.offset < lowest)
			lowest = l.offset;
	}
	return lowest;
}

/* name holds the source's bytes at pa, copies times over. */
static void assert_file_holds(const char *name, uint64_t pa, uint64_t len, unsigned copies)
{
	uint8_t *want = malloc(len), *got = malloc(len * copies + 1);
	int fd = open(cfx_path(&fx, name), O_RDONLY | O_CLOEXEC);

	assert_non_null(want);
	assert_non_null(got);
	assert_true(fd >= 0);
	assert_int_equal(memimage_read(&fx.mem, pa, want, len), 0);
	assert_int_equal(read(fd, got, len * copies + 1), (ssize_t)(len * copies));
	close(fd);
	for (unsigned i = 0; i < copies; i++)
		assert_memory_equal(got + i * len, want, len);
	free(want);
	free(got);
}

static void aliases_are_stored_once_and_read_back_everywhere(void **state)
{
	const uint64_t unique = K4 + M2 + K4;

	capture_aliased_tables();
	assert_int_equal(fx.file.nloads, ALIASES + 3);
	for (unsigned i = 0; i < ALIASES; i++)
		cfx_assert_load(&fx, i, ALIAS_VA + i * K4, PAGE_PA, K4, DS_SAVED);
	cfx_assert_load(&fx, ALIASES, BLOCK_VA, BLOCK_PA, M2, DS_SAVED);
	cfx_assert_load(&fx, ALIASES + 1, SUB_VA, BLOCK_PA + 0x3000, K4, DS_SAVED);
	cfx_assert_load(&fx, ALIASES + 2, OTHER_VA, OTHER_PA, K4, DS_SAVED);
	/* Smaller by the aliased bytes: each physical range once. */
	assert_int_equal(file_size("out.core"), data_offset() + unique);
	assert_non_null(strstr(fx.out, "4.0 MiB saved (2.0 MiB in the file: 512 aliases share "
					"pages)"));

	/* read over every alias VA at once: the page, 512 times over. */
	assert_int_equal(cfx_run(&fx, "read", "out.core", cfx_hex(ALIAS_VA), "2M", "-o", "all.bin",
				 NULL), 0);
	assert_file_holds("all.bin", PAGE_PA, K4, ALIASES);
	/* The block's page, alone and through the block. */
	assert_int_equal(cfx_run(&fx, "read", "out.core", cfx_hex(SUB_VA), "4K", "-o", "sub.bin",
				 NULL), 0);
	assert_file_holds("sub.bin", BLOCK_PA + 0x3000, K4, 1);
	assert_int_equal(cfx_run(&fx, "read", "out.core", cfx_hex(BLOCK_VA + 0x3000), "4K", "-o",
				 "blk.bin", NULL), 0);
	assert_file_holds("blk.bin", BLOCK_PA + 0x3000, K4, 1);

	assert_int_equal(cfx_run(&fx, "verify", "out.core", NULL), 0);
	assert_non_null(strstr(fx.out, "sound: 515 segments, 515 saved"));
	assert_int_equal(cfx_run(&fx, "info", "out.core", NULL), 0);
	assert_non_null(strstr(fx.out, "Saved: 4.0 MiB (2.0 MiB in the file: 512 aliases share "
					"pages)"));
	assert_int_equal(cfx_run(&fx, "info", "--json=pretty", "out.core", NULL), 0);
	assert_non_null(strstr(fx.out, "\"in_file\": 2105344"));
	assert_non_null(strstr(fx.out, "\"aliases\": 512"));
}

/* Writes v, little-endian, at off in dir/name. */
static void patch_u64(const char *name, uint64_t off, uint64_t v)
{
	uint8_t b[8];
	int fd = open(cfx_path(&fx, name), O_WRONLY | O_CLOEXEC);

	for (unsigned i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> 8 * i);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, b, 8, (off_t)off), 8);
	close(fd);
}

/* Shared file bytes must hold the same PAs: an alias moved to another PA
 * (same p_offset), or pointed at another segment's bytes, is unsound. */
static void sharing_file_bytes_for_other_pas_is_unsound(void **state)
{
	uint64_t phdr1, offset;
	struct ds_dump_load l;

	capture_aliased_tables();
	phdr1 = fx.file.phoff + 2 * ELF_PHDR_SIZE; /* PT_NOTE, then the loads */
	assert_int_equal(ds_dump_load(&fx.file, 1, &l), 0);
	offset = l.offset;

	patch_u64("out.core", phdr1 + PH_PADDR, 0x9000);
	assert_int_not_equal(cfx_run(&fx, "verify", "out.core", NULL), 0);
	assert_non_null(strstr(fx.out, "hold both"));
	assert_non_null(strstr(fx.out, "1 problem\n"));

	patch_u64("out.core", phdr1 + PH_PADDR, PAGE_PA);
	assert_int_equal(cfx_run(&fx, "verify", "out.core", NULL), 0);
	patch_u64("out.core", phdr1 + PH_OFFSET, offset + K4); /* the block's first page */
	assert_int_not_equal(cfx_run(&fx, "verify", "out.core", NULL), 0);
	assert_non_null(strstr(fx.out, "hold both"));
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(aliases_are_stored_once_and_read_back_everywhere, teardown),
		cmocka_unit_test_teardown(sharing_file_bytes_for_other_pas_is_unsound, teardown),
	};

	static char devsnap[PATH_MAX];

	if (argc < 2 || !realpath(argv[1], devsnap)) {
		fprintf(stderr, "usage: %s PATH-TO-DEVSNAP\n", argv[0]);
		return 2;
	}
	cfx_devsnap = devsnap;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
