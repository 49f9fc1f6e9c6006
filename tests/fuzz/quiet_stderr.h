/* SPDX-License-Identifier: MIT */
#ifndef DS_FUZZ_QUIET_STDERR_H
#define DS_FUZZ_QUIET_STDERR_H

/* One-line errors per bad input would flood the fuzzer's log: points
 * stdio's stderr at /dev/null, leaving fd 2 to the sanitizers. */
void fuzz_quiet_stderr(void);

#endif /* DS_FUZZ_QUIET_STDERR_H */
