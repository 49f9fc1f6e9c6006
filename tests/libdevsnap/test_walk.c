// SPDX-License-Identifier: MIT
/* devsnap_walk() and the format registry (libdevsnap/walk.c, format.c):
 * a table built by lib/build.c walked through the caller's read_phys gives
 * what lib's own walker gives; bad options and hostile tables say why. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <devsnap/devsnap.h>

#include "formats/formats.h"
#include "walk_fixture.h"

#define K4 0x1000ULL
#define M2 0x200000ULL

static struct walk_fixture fx;

struct collected {
	struct devsnap_range ranges[FIXTURE_MAX_RANGES];
	unsigned int n, stop_after;
};

static int collect(void *opaque, const struct devsnap_range *r)
{
	struct collected *c = opaque;

	assert_true(c->n < FIXTURE_MAX_RANGES);
	c->ranges[c->n++] = *r;
	return c->stop_after && c->n == c->stop_after ? 42 : 0;
}

static unsigned int reads;

static int counting_read(void *opaque, uint64_t pa, void *buf, size_t len)
{
	reads++;
	return memimage_read(opaque, pa, buf, len);
}

static int setup_arm64(void **state)
{
	struct ds_pgtable_config cfg = { .format = &ds_format_arm64_4k };

	fixture_setup(&fx, &cfg, 64 << 20);
	return 0;
}

static int teardown(void **state)
{
	fixture_teardown(&fx);
	return 0;
}

static struct devsnap_walk_options fixture_options(void)
{
	struct devsnap_walk_options opts = DEVSNAP_WALK_OPTIONS_INIT;

	opts.format = devsnap_format_find("arm64-4k");
	opts.roots[0] = fx.pt.cfg.roots[0];
	opts.read_phys = counting_read;
	opts.read_phys_opaque = &fx.mem;
	return opts;
}

static void walk_yields_what_lib_walks(void **state)
{
	struct devsnap_walk_options opts = fixture_options();
	static struct collected c;

	assert_int_equal(fixture_map(&fx, 0x400000000000, 0x100000, 3 * K4, 0,
				     DS_PROT_PR | DS_PROT_PW, DS_MEM_CACHED), 0);
	assert_int_equal(fixture_map(&fx, 0x400000200000, 0x400000, M2, 1, DS_PROT_PR,
				     DS_MEM_UNCACHED), 0);
	assert_int_equal(fixture_map(&fx, 0x400000600000, 0x1000000, K4, 0, DS_PROT_PR,
				     DS_MEM_DEVICE), 0);
	assert_int_equal(fixture_walk(&fx, 0, ~0ULL), 0);
	assert_int_equal(fx.nranges, 3);

	reads = 0;
	assert_int_equal(devsnap_walk(&opts, collect, &c), 0);
	assert_true(reads > 0); /* through the caller's reader */
	assert_int_equal(c.n, fx.nranges);
	for (unsigned int i = 0; i < c.n; i++) {
		assert_int_equal(c.ranges[i].va, fx.ranges[i].va);
		assert_int_equal(c.ranges[i].pa, fx.ranges[i].pa);
		assert_int_equal(c.ranges[i].size, fx.ranges[i].size);
		assert_int_equal(c.ranges[i].pte, fx.ranges[i].pte);
		assert_int_equal(c.ranges[i].page_shift, fx.ranges[i].page_shift);
		assert_int_equal(c.ranges[i].prot, fx.ranges[i].attrs.prot);
		assert_int_equal(c.ranges[i].mem, fx.ranges[i].attrs.mem);
	}
	assert_int_equal(c.ranges[0].size, 3 * K4);
	assert_int_equal(c.ranges[1].page_shift, 21);
	assert_int_equal(c.ranges[2].mem, DEVSNAP_MEM_DEVICE);

	/* A VA range clips; the callback's nonzero return stops the walk. */
	memset(&c, 0, sizeof(c));
	opts.va_first = 0x400000201000;
	opts.va_last = 0x400000201fff;
	assert_int_equal(devsnap_walk(&opts, collect, &c), 0);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.ranges[0].va, 0x400000201000);
	assert_int_equal(c.ranges[0].pa, 0x401000);
	memset(&c, 0, sizeof(c));
	opts.va_first = 0;
	opts.va_last = UINT64_MAX;
	c.stop_after = 2;
	assert_int_equal(devsnap_walk(&opts, collect, &c), 42);
	assert_int_equal(c.n, 2);
}

static int failing_read(void *opaque, uint64_t pa, void *buf, size_t len)
{
	return -EIO;
}

static void bad_options_and_hostile_tables_say_why(void **state)
{
	struct devsnap_walk_error err = { 0 };
	struct devsnap_walk_options opts = fixture_options();
	static struct collected c;

	opts.error = &err;
	opts.va_bits = 60;
	assert_int_equal(devsnap_walk(&opts, collect, &c), -EINVAL);
	assert_string_equal(err.message, "VA width outside what the format allows");
	opts.va_bits = 0;
	opts.nroots = 5;
	assert_int_equal(devsnap_walk(&opts, collect, &c), -EINVAL);
	opts.nroots = 1;
	opts.version = 99;
	assert_int_equal(devsnap_walk(&opts, collect, &c), -EINVAL);
	opts.version = DEVSNAP_WALK_OPTIONS_VERSION;
	assert_int_equal(devsnap_walk(&opts, NULL, &c), -EINVAL);
	assert_int_equal(devsnap_walk(NULL, collect, &c), -EINVAL);
	opts.format = NULL;
	assert_int_equal(devsnap_walk(&opts, collect, &c), -EINVAL);
	opts = fixture_options();
	opts.error = &err;
	opts.read_phys = NULL;
	assert_int_equal(devsnap_walk(&opts, collect, &c), -EINVAL);

	opts.read_phys = failing_read;
	assert_int_equal(devsnap_walk(&opts, collect, &c), -EIO);
	assert_non_null(err.message);

	/* The root's first entry points back at the root: a loop. */
	opts.read_phys = counting_read;
	fixture_poke(&fx, fx.pt.cfg.roots[0], fx.pt.cfg.roots[0] | 3);
	memset(&err, 0, sizeof(err));
	assert_int_equal(devsnap_walk(&opts, collect, &c), -ELOOP);
	assert_non_null(err.message);
	assert_int_equal(err.pa, fx.pt.cfg.roots[0]);

	assert_int_equal(devsnap_walk_options_init(&opts, 2), -EINVAL);
	assert_int_equal(devsnap_walk_options_init(&opts, DEVSNAP_WALK_OPTIONS_VERSION), 0);
	assert_int_equal(opts.va_last, UINT64_MAX);
	assert_null(opts.format);
}

static void registry_lists_every_format_of_lib(void **state)
{
	const struct devsnap_format *f;
	unsigned int min, max, dflt;
	size_t n = 0;

	while ((f = devsnap_format_at(n))) {
		assert_ptr_equal(devsnap_format_find(devsnap_format_name(f)), f);
		assert_string_equal(devsnap_format_name(f), ds_format_at((unsigned int)n)->name);
		assert_non_null(devsnap_format_description(f));
		n++;
	}
	assert_true(n >= 13);
	f = devsnap_format_find("arm64-16k");
	assert_non_null(f);
	assert_int_equal(devsnap_format_page_size(f), 16384);
	assert_int_equal(devsnap_format_va_bits(f, &min, &max, &dflt), 0);
	assert_int_equal(min, 25);
	assert_int_equal(max, 48);
	assert_int_equal(dflt, 47);
	assert_int_equal(devsnap_format_max_roots(f), 1);
	assert_int_equal(devsnap_format_max_roots(devsnap_format_find("dart")), 4);
	assert_null(devsnap_format_find("arm64"));
	assert_null(devsnap_format_find(NULL));
	assert_null(devsnap_format_name(NULL));
	assert_int_equal(devsnap_format_page_size(NULL), 0);
	assert_int_equal(devsnap_format_va_bits(NULL, &min, NULL, NULL), -EINVAL);
	assert_null(devsnap_format_at(SIZE_MAX));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(walk_yields_what_lib_walks, setup_arm64, teardown),
		cmocka_unit_test_setup_teardown(bad_options_and_hostile_tables_say_why,
						setup_arm64, teardown),
		cmocka_unit_test(registry_lists_every_format_of_lib),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
