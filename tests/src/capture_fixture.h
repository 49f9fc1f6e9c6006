/* SPDX-License-Identifier: MIT */
/*
 * What the capture tests share: device tables built in a memory image,
 * written out as the files `devsnap capture` reads (raw images, ELF
 * vmcores, kcore copies), the CLI run as a child with its output kept, and
 * the dump it wrote read back with lib/dump_parse.h and checked byte for
 * byte against the source.
 */
#ifndef DS_CAPTURE_FIXTURE_H
#define DS_CAPTURE_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "build.h"
#include "capture/memimage.h"
#include "dump_parse.h"

#define CFX_RW (DS_PROT_PR | DS_PROT_PW | DS_PROT_UR | DS_PROT_UW)

/* Set by main() from argv[1]: the devsnap binary under test. */
extern const char *cfx_devsnap;

struct cfx {
	struct memimage mem; /* physical memory: data pages and the tables */
	struct ds_pgtable pt;
	uint8_t prot;        /* what cfx_map grants: CFX_RW unless a test says */
	char dir[64];        /* a fresh directory for this test's files */
	char path[128];      /* cfx_path()'s answer */
	char out[4096], err[4096]; /* the last run's stdout and stderr */
	bool holes_zero;     /* the last source written was raw: no data reads as 0 */
	uint8_t *dump;       /* the last dump read back */
	struct ds_dump_file file;
};

/*
 * A memory image of size bytes at PA base, each byte a function of its
 * address; an empty table of the given format in it (va_bits 0: the
 * format's); a fresh directory.  Asserts on failure.
 */
void cfx_setup(struct cfx *fx, const char *format, uint64_t base, uint64_t size,
	       unsigned nroots, unsigned va_bits, bool upper_half);
void cfx_teardown(struct cfx *fx);

/* ds_build_map on the fixture's table; asserts it succeeds. */
void cfx_map(struct cfx *fx, uint64_t va, uint64_t pa, uint64_t size, unsigned height,
	     uint8_t mem);

/* dir/name, valid until the next call. */
const char *cfx_path(struct cfx *fx, const char *name);

/* "0x...", in one of eight static buffers used in turn. */
const char *cfx_hex(uint64_t v);

/* "name@0x...", likewise. */
const char *cfx_at(const char *name, uint64_t base);

/* The image as a raw file covering [file_base, file_base + file_size): the
 * image's bytes where it lies, holes (zeros, never written) elsewhere. */
void cfx_write_raw(struct cfx *fx, const char *name, uint64_t file_base, uint64_t file_size);

/* One PT_LOAD of a synthetic ELF core.  Bytes come from the image, or
 * the same pattern outside it; fill, if set, replaces them (to tell apart two
 * loads of the same PA) or, CFX_SPARSE, leaves holes outside the image
 * (for loads of many GiB). */
struct cfx_load {
	uint64_t vaddr, paddr, memsz, filesz;
	int fill; /* 0: the memory's bytes; CFX_SPARSE; else the byte fill - 1 */
};
#define CFX_SPARSE (-1)

/* An ET_CORE with one PT_NOTE (a CORE note, plus a QEMU one if asked) and
 * the loads, data 4K-aligned. */
void cfx_write_elf(struct cfx *fx, const char *name, uint16_t machine, const struct cfx_load *l,
		   unsigned n, bool qemu_note);

/* Writes text to dir/name. */
void cfx_write_text(struct cfx *fx, const char *name, const char *text);

/* Runs devsnap with the NULL-terminated arguments in dir; returns the exit
 * status, fx->out and fx->err hold what it printed.  A run still going
 * after CFX_RUN_SECONDS is killed and fails the test. */
#define CFX_RUN_SECONDS 30
int cfx_run(struct cfx *fx, ...) __attribute__((sentinel));
int cfx_runv(struct cfx *fx, char *const *args);

/* Runs fn(arg) in this process with what it prints on stderr kept in
 * fx->err; returns what fn returned. */
int cfx_call(struct cfx *fx, int (*fn)(void *arg), void *arg);

/* Lines of fx->err; asserts exactly one, and that it holds want. */
void cfx_assert_one_error(const struct cfx *fx, const char *want);

/* Asserts dir/name does not exist and no .devsnap-tmp-* file is left. */
void cfx_assert_no_output(struct cfx *fx, const char *name);

/* Reads dir/name and opens it as a dump; asserts it parses. */
void cfx_open_dump(struct cfx *fx, const char *name);

/* Asserts PT_LOAD i of the open dump maps [va, va + size) to pa, and
 * either holds the source's bytes (why DS_SAVED) or is empty with that
 * reason in the SKIPPED note. */
void cfx_assert_load(struct cfx *fx, uint32_t i, uint64_t va, uint64_t pa, uint64_t size,
		     enum ds_skip_reason why);

/* The open dump's DEVSNAP INFO note; asserts there is one. */
void cfx_info(struct cfx *fx, struct ds_note_info *out);

#endif /* DS_CAPTURE_FIXTURE_H */
