// SPDX-License-Identifier: MIT
/* capture --root cr3: CPU 0's CR3 and CR4.LA57 from a QEMU
 * dump-guest-memory file's QEMU note pick the table and 4 or 5 levels;
 * a --format that disagrees, a file without the note and a CPU not in
 * long-mode paging are one error each. */
#define _GNU_SOURCE /* memmem */
#include <elf.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "capture_fixture.h"

#define M1 0x100000ULL
#define CR3_AT (8 + 18 * 8 + 10 * 24 + 3 * 8) /* in QEMUCPUState */
#define CR4_PAE (1ULL << 5)
#define CR4_LA57 (1ULL << 12)

static struct cfx fx;

static int teardown(void **state)
{
	cfx_teardown(&fx);
	return 0;
}

/* A QEMU dump of the fixture's memory whose CPU 0 has cr3 and cr4. */
static void write_guest_dump(uint64_t cr3, uint64_t cr4)
{
	const struct cfx_load load = { 0, 0, 8 * M1, 8 * M1, 0 };
	static uint8_t head[4096];
	uint8_t *desc;
	int fd;

	cfx_write_elf(&fx, "guest.dump", EM_X86_64, &load, 1, true);
	fd = open(cfx_path(&fx, "guest.dump"), O_RDWR | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, head, sizeof(head), 0), sizeof(head));
	desc = memmem(head, sizeof(head), "QEMU\0\0\0", 8);
	assert_non_null(desc);
	desc += 8; /* the name, padded to 4 */
	memcpy(desc + CR3_AT, &cr3, 8);
	memcpy(desc + CR3_AT + 8, &cr4, 8);
	assert_int_equal(pwrite(fd, head, sizeof(head), 0), sizeof(head));
	close(fd);
}

static void cr3_and_la57_pick_the_table(void **state)
{
	static const char *const formats[] = { "x86_64", "x86_64-5l" };
	struct ds_note_info info;

	for (unsigned la57 = 0; la57 < 2; la57++) {
		cfx_setup(&fx, formats[la57], 0, 8 * M1, 1, 0, false);
		cfx_map(&fx, 0x1000, 2 * M1, 0x1000, 0, DS_MEM_CACHED);
		/* PCID 5 in the low bits, no-flush in bit 63: not address bits */
		write_guest_dump(fx.pt.cfg.roots[0] | 5 | 1ULL << 63,
				 CR4_PAE | (la57 ? CR4_LA57 : 0));
		assert_int_equal(cfx_run(&fx, "capture", "--vmcore", "guest.dump", "--root", "cr3",
					 "-o", "out.core", NULL), 0);
		cfx_open_dump(&fx, "out.core");
		assert_int_equal(fx.file.nloads, 1);
		cfx_assert_load(&fx, 0, 0x1000, 2 * M1, 0x1000, DS_SAVED);
		cfx_info(&fx, &info);
		assert_string_equal(info.format, formats[la57]);
		assert_int_equal(info.roots[0], fx.pt.cfg.roots[0]);

		assert_int_equal(cfx_run(&fx, "capture", "--vmcore", "guest.dump", "--root", "cr3",
					 "--format", formats[!la57], "-o", "x.core", NULL), 1);
		cfx_assert_one_error(&fx, la57 ? "CR4.LA57 says 5-level paging"
					       : "CR4.LA57 says 4-level paging");
		cfx_assert_no_output(&fx, "x.core");
		if (!la57)
			cfx_teardown(&fx); /* the last one is the teardown's */
	}
}

static void no_cpu_state_is_one_error(void **state)
{
	const struct cfx_load load = { 0, 0, 8 * M1, 8 * M1, 0 };

	cfx_setup(&fx, "x86_64", 0, 8 * M1, 1, 0, false);
	cfx_write_elf(&fx, "vmcore", EM_X86_64, &load, 1, false);
	assert_int_equal(cfx_run(&fx, "capture", "--vmcore", "vmcore", "--root", "cr3", "-o",
				 "out.core", NULL), 1);
	cfx_assert_one_error(&fx, "vmcore has no QEMU CPU state");
	write_guest_dump(0, 0); /* a CPU still in real mode */
	assert_int_equal(cfx_run(&fx, "capture", "--vmcore", "guest.dump", "--root", "cr3", "-o",
				 "out.core", NULL), 1);
	cfx_assert_one_error(&fx, "was not in 4- or 5-level paging");
	cfx_write_raw(&fx, "mem.img", 0, 8 * M1);
	assert_int_equal(cfx_run(&fx, "capture", "--memory", "mem.img", "--root", "cr3", "-o",
				 "out.core", NULL), 1);
	cfx_assert_one_error(&fx, "--root cr3 needs --vmcore");
	cfx_assert_no_output(&fx, "out.core");
}

int main(int argc, char **argv)
{
	static char devsnap[PATH_MAX];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(cr3_and_la57_pick_the_table, teardown),
		cmocka_unit_test_teardown(no_cpu_state_is_one_error, teardown),
	};

	if (argc < 2 || !realpath(argv[1], devsnap)) {
		fprintf(stderr, "usage: %s PATH-TO-DEVSNAP\n", argv[0]);
		return 2;
	}
	cfx_devsnap = devsnap;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
