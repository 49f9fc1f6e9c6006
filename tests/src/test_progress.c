// SPDX-License-Identifier: MIT
/*
 * src/basic/progress.c on a clock the test sets: nothing in the first second,
 * then bytes, rate and ETA at most five times a second, and the line
 * erased at the end.
 */
#include <stdio.h>
#include <stdlib.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "basic/progress.h"

#define MIB (1024ULL * 1024)

struct sink {
	FILE *f;
	char *text;
	size_t len;
};

static const char *sink_text(struct sink *s)
{
	fflush(s->f);
	return s->text;
}

static int sink_open(void **state)
{
	struct sink *s = calloc(1, sizeof(*s));

	if (!s || !(s->f = open_memstream(&s->text, &s->len)))
		return -1;
	*state = s;
	return 0;
}

static int sink_close(void **state)
{
	struct sink *s = *state;

	fclose(s->f);
	free(s->text);
	free(s);
	return 0;
}

static void silent_in_the_first_second(void **state)
{
	struct sink *s = *state;
	struct progress p;

	progress_begin(&p, s->f, 1024 * MIB, 100.0);
	progress_update(&p, 100 * MIB, 100.5);
	progress_update(&p, 200 * MIB, 100.99);
	progress_end(&p);
	assert_string_equal(sink_text(s), "");
}

static void bytes_rate_and_eta_then_erased(void **state)
{
	struct sink *s = *state;
	struct progress p;

	progress_begin(&p, s->f, 1024 * MIB, 100.0);
	progress_update(&p, 256 * MIB, 101.0);
	assert_string_equal(sink_text(s),
			    "\rdevsnap: 256.0 MiB of 1.0 GiB, 256.0 MiB/s, ETA 3 s  ");
	progress_update(&p, 300 * MIB, 101.1); /* within 0.2 s of the last line */
	progress_update(&p, 512 * MIB, 102.0);
	progress_update(&p, 1024 * MIB, 104.0);
	progress_end(&p);
	assert_string_equal(sink_text(s),
			    "\rdevsnap: 256.0 MiB of 1.0 GiB, 256.0 MiB/s, ETA 3 s  "
			    "\rdevsnap: 512.0 MiB of 1.0 GiB, 256.0 MiB/s, ETA 2 s  "
			    "\rdevsnap: 1.0 GiB of 1.0 GiB, 256.0 MiB/s, ETA 0 s  "
			    "\r\033[K");
}

/* No output stream (stderr no TTY, or --quiet): nothing, however long. */
static void disabled_prints_nothing(void **state)
{
	struct progress p;

	progress_begin(&p, NULL, 1024 * MIB, 0.0);
	progress_update(&p, 512 * MIB, 60.0);
	progress_end(&p);
	assert_false(p.shown);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(silent_in_the_first_second, sink_open, sink_close),
		cmocka_unit_test_setup_teardown(bytes_rate_and_eta_then_erased, sink_open,
						sink_close),
		cmocka_unit_test(disabled_prints_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
