// SPDX-License-Identifier: MIT
#include "quiet_stderr.h"

#include <stdio.h>

void fuzz_quiet_stderr(void)
{
	FILE *null = fopen("/dev/null", "w");

	if (null)
		stderr = null;
}
