// SPDX-License-Identifier: MIT
/* capture --pci through the CLI: a VT-d root and context entry and an
 * AMD-Vi device table entry written into a raw image name the function's
 * table, the dump records the function and its domain; every way of
 * giving too little or too much is one error and no output.  And
 * --machine, the e_machine of tables a CPU walks. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "capture_fixture.h"

#define M1 0x100000ULL
#define ROOT_TABLE 0x10000ULL /* VT-d root table, or AMD-Vi device table */
#define CTX_TABLE 0x11000ULL
#define RID 0x0300 /* 03:00.0 */

static struct cfx fx;

static int teardown(void **state)
{
	cfx_teardown(&fx);
	return 0;
}

static void poke(uint64_t pa, uint64_t v)
{
	v = ds_le64(v);
	assert_int_equal(memimage_write(&fx.mem, pa, &v, 8), 0);
}

/* A 39-bit vtd domain mapping two pages, its context entry as given. */
static void vtd_setup(uint64_t ctx_lo_bits, uint64_t ctx_hi)
{
	static const uint8_t zeros[0x2000];

	cfx_setup(&fx, "vtd", 0, 8 * M1, 1, 39, false);
	cfx_map(&fx, 0xfffff000, 2 * M1, 0x1000, 0, DS_MEM_CACHED);
	cfx_map(&fx, 0x7ffffff000, 3 * M1, 0x1000, 0, DS_MEM_CACHED);
	assert_int_equal(memimage_write(&fx.mem, ROOT_TABLE, zeros, sizeof(zeros)), 0);
	poke(ROOT_TABLE + 3 * 16, CTX_TABLE | 1); /* bus 3 */
	poke(CTX_TABLE + 0 * 16, fx.pt.cfg.roots[0] | ctx_lo_bits);
	poke(CTX_TABLE + 0 * 16 + 8, ctx_hi);
	cfx_write_raw(&fx, "mem.img", 0, 8 * M1);
}

static void vtd_function_domain_is_captured_and_recorded(void **state)
{
	struct ds_note_info info;

	vtd_setup(1, 5 << 8 | 1); /* present, translated; DID 5, AW 1: 39 bits */
	assert_int_equal(cfx_run(&fx, "capture", "--memory", "mem.img", "--vtd-root-table",
				 cfx_hex(ROOT_TABLE), "--pci", "0000:03:00.0", "-o", "out.core",
				 NULL), 0);
	cfx_open_dump(&fx, "out.core");
	assert_int_equal(fx.file.nloads, 2);
	cfx_assert_load(&fx, 0, 0xfffff000, 2 * M1, 0x1000, DS_SAVED);
	cfx_assert_load(&fx, 1, 0x7ffffff000, 3 * M1, 0x1000, DS_SAVED); /* not sign-extended */
	cfx_info(&fx, &info);
	assert_string_equal(info.format, "vtd");
	assert_int_equal(info.va_bits, 39);
	assert_int_equal(info.roots[0], fx.pt.cfg.roots[0]);
	assert_string_equal(info.device, "0000:03:00.0");
	assert_true(info.has_pci);
	assert_int_equal(info.pci.segment, 0);
	assert_int_equal(info.pci.rid, RID);
	assert_int_equal(info.pci.domain_id, 5);
	assert_int_equal(info.pci.iommu_table, ROOT_TABLE);

	/* info shows them. */
	assert_int_equal(cfx_run(&fx, "info", "out.core", NULL), 0);
	if (!strstr(fx.out, "PCI function: 0000:03:00.0, IOMMU domain 5 (table 0x10000)"))
		fail_msg("info says:\n%s", fx.out);
}

static void functions_without_a_table_are_one_error(void **state)
{
	vtd_setup(2 << 2 | 1, 5 << 8 | 1); /* pass-through */
	assert_int_equal(cfx_run(&fx, "capture", "--memory", "mem.img", "--vtd-root-table",
				 cfx_hex(ROOT_TABLE), "--pci", "03:00.0", "-o", "out.core", NULL),
			 1);
	cfx_assert_one_error(&fx, "0000:03:00.0 in mem.img: the function is in pass-through");
	cfx_assert_no_output(&fx, "out.core");
	assert_int_equal(cfx_run(&fx, "capture", "--memory", "mem.img", "--vtd-root-table",
				 cfx_hex(ROOT_TABLE), "--pci", "03:00.1", "-o", "out.core", NULL),
			 1);
	cfx_assert_one_error(&fx, "no context entry for the function");
	cfx_assert_no_output(&fx, "out.core");
}

static void amd_function_domain_is_captured(void **state)
{
	struct ds_note_info info;

	cfx_setup(&fx, "amd-v1", 0, 8 * M1, 1, 39, false);
	cfx_map(&fx, 0x3000, 2 * M1, 0x1000, 0, DS_MEM_CACHED);
	poke(ROOT_TABLE + RID * 32, fx.pt.cfg.roots[0] | 3 << 9 | 3); /* V, TV, mode 3 */
	poke(ROOT_TABLE + RID * 32 + 8, 9);
	cfx_write_raw(&fx, "mem.img", 0, 8 * M1);
	assert_int_equal(cfx_run(&fx, "capture", "--memory", "mem.img", "--amd-dev-table",
				 cfx_hex(ROOT_TABLE), "--pci", "3:0.0", "-o", "out.core", NULL), 0);
	cfx_open_dump(&fx, "out.core");
	assert_int_equal(fx.file.nloads, 1);
	cfx_assert_load(&fx, 0, 0x3000, 2 * M1, 0x1000, DS_SAVED);
	assert_int_equal(fx.file.e_machine, 0); /* a device: EM_NONE */
	cfx_info(&fx, &info);
	assert_string_equal(info.format, "amd-v1");
	assert_int_equal(info.va_bits, 39);
	assert_int_equal(info.pci.domain_id, 9);
}

static void bad_pci_options(void **state)
{
	static const struct {
		const char *args[4], *error;
	} cases[] = {
		{ { "--pci", "03:00.0" }, "--pci needs the IOMMU's table" },
		{ { "--vtd-root-table", "0x10000" }, "need --pci BB:DD.F" },
		{ { "--pci", "03:00.0", "--vtd-root-table", "0x10000" }, "--pci finds the format" },
		{ { "--pci", "3:32.0", "--amd-dev-table", "0" }, "is out of range" },
		{ { "--pci", "zz", "--amd-dev-table", "0" },
		  "is not [SEGMENT:]BUS:DEVICE.FUNCTION" },
	};

	vtd_setup(1, 1);
	for (unsigned i = 0; i < DS_ARRAY_SIZE(cases); i++) {
		const char *const *a = cases[i].args;
		/* the third case adds --format: --pci finds it itself */
		int r = i == 2 ? cfx_run(&fx, "capture", "--memory", "mem.img", a[0], a[1], a[2],
					  a[3], "--format", "vtd", "-o", "out.core", NULL)
			       : a[2] ? cfx_run(&fx, "capture", "--memory", "mem.img", a[0], a[1],
						a[2], a[3], "-o", "out.core", NULL)
				      : cfx_run(&fx, "capture", "--memory", "mem.img", a[0], a[1],
						"-o", "out.core", NULL);

		assert_int_equal(r, 1);
		cfx_assert_one_error(&fx, cases[i].error);
		cfx_assert_no_output(&fx, "out.core");
	}
	assert_int_equal(cfx_run(&fx, "capture", "--memory", "mem.img", "--pci", "03:00.0",
				 "--vtd-root-table", "0x10000", "--amd-dev-table", "0x10000", "-o",
				 "out.core", NULL), 1);
	cfx_assert_one_error(&fx, "give one of --vtd-root-table and --amd-dev-table");
}

static void machine_is_what_the_caller_says(void **state)
{
	static const struct {
		const char *arg;
		uint16_t em;
	} cases[] = { { "x86_64", 62 }, { "aarch64", 183 }, { "riscv", 243 }, { "none", 0 },
		      { "0x28", 40 } };

	vtd_setup(1, 1);
	for (unsigned i = 0; i < DS_ARRAY_SIZE(cases); i++) {
		assert_int_equal(cfx_run(&fx, "capture", "--memory", "mem.img", "--format", "vtd",
					 "--va-bits", "39", "--root", cfx_hex(fx.pt.cfg.roots[0]),
					 "--machine", cases[i].arg, "-o", "out.core", NULL), 0);
		cfx_open_dump(&fx, "out.core");
		assert_int_equal(fx.file.e_machine, cases[i].em);
	}
	assert_int_equal(cfx_run(&fx, "capture", "--memory", "mem.img", "--format", "vtd",
				 "--root", "0", "--machine", "vax", "-o", "x.core", NULL), 1);
	cfx_assert_one_error(&fx, "--machine: 'vax' is not none, x86_64, aarch64, riscv");
}

int main(int argc, char **argv)
{
	static char devsnap[PATH_MAX];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(vtd_function_domain_is_captured_and_recorded, teardown),
		cmocka_unit_test_teardown(functions_without_a_table_are_one_error, teardown),
		cmocka_unit_test_teardown(amd_function_domain_is_captured, teardown),
		cmocka_unit_test_teardown(bad_pci_options, teardown),
		cmocka_unit_test_teardown(machine_is_what_the_caller_says, teardown),
	};

	if (argc < 2 || !realpath(argv[1], devsnap)) {
		fprintf(stderr, "usage: %s PATH-TO-DEVSNAP\n", argv[0]);
		return 2;
	}
	cfx_devsnap = devsnap;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
