// SPDX-License-Identifier: MIT
#define _GNU_SOURCE /* mkdtemp */
#include "capture_fixture.h"

#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>

#define MAX_ARGS 32

const char *cfx_devsnap;

/* The byte physical address pa holds wherever a test put data. */
static uint8_t pattern(uint64_t pa)
{
	return (uint8_t)(pa ^ pa >> 9 ^ pa >> 17 ^ pa >> 29 ^ 0xa5);
}

/* The byte the last source written holds at pa: the image's inside it,
 * else zero in a raw file's holes or the pattern in an ELF load. */
static uint8_t source_byte(const struct cfx *fx, uint64_t pa)
{
	if (pa >= fx->mem.base && pa - fx->mem.base < fx->mem.size)
		return fx->mem.bytes[pa - fx->mem.base];
	return fx->holes_zero ? 0 : pattern(pa);
}

void cfx_setup(struct cfx *fx, const char *format, uint64_t base, uint64_t size,
	       unsigned nroots, unsigned va_bits, bool upper_half)
{
	struct ds_pgtable_config cfg = {
		.format = ds_format_find(format), .nroots = nroots ? nroots : 1,
		.va_bits = va_bits, .upper_half = upper_half,
		.read_phys = memimage_read, .opaque = &fx->mem,
	};
	const char *tmp = getenv("TMPDIR");
	struct ds_error err = { 0 };

	memset(fx, 0, sizeof(*fx));
	fx->prot = CFX_RW;
	assert_non_null(cfg.format);
	assert_int_equal(memimage_init(&fx->mem, base, size), 0);
	for (uint64_t i = 0; i < size; i++)
		fx->mem.bytes[i] = pattern(base + i);
	if (ds_pgtable_init(&fx->pt, &cfg, &err) < 0)
		fail_msg("%s: %s", format, err.what);
	assert_int_equal(ds_build_roots(&fx->pt, &memimage_build_ops, &fx->mem), 0);
	snprintf(fx->dir, sizeof(fx->dir), "%s/devsnap-capture-XXXXXX", tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(fx->dir));
}

void cfx_teardown(struct cfx *fx)
{
	DIR *d = opendir(fx->dir);
	struct dirent *e;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
		    unlinkat(dirfd(d), e->d_name, 0) < 0)
			unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR);
	closedir(d);
	assert_int_equal(rmdir(fx->dir), 0);
	memimage_free(&fx->mem);
	free(fx->dump);
	fx->dump = NULL;
}

void cfx_map(struct cfx *fx, uint64_t va, uint64_t pa, uint64_t size, unsigned height,
	     uint8_t mem)
{
	struct ds_attrs attrs = { .prot = fx->prot, .mem = mem };
	int r = ds_build_map(&fx->pt, &memimage_build_ops, &fx->mem, va, pa, size, height, &attrs);

	if (r < 0)
		fail_msg("map VA %#llx -> PA %#llx: %s", (unsigned long long)va,
			 (unsigned long long)pa, strerror(-r));
}

const char *cfx_path(struct cfx *fx, const char *name)
{
	snprintf(fx->path, sizeof(fx->path), "%s/%s", fx->dir, name);
	return fx->path;
}

static char *next_buf(void)
{
	static char bufs[8][128];
	static unsigned next;

	return bufs[next++ % 8];
}

const char *cfx_hex(uint64_t v)
{
	char *b = next_buf();

	snprintf(b, 128, "%#llx", (unsigned long long)v);
	return b;
}

const char *cfx_at(const char *name, uint64_t base)
{
	char *b = next_buf();

	snprintf(b, 128, "%s@%#llx", name, (unsigned long long)base);
	return b;
}

static int create(struct cfx *fx, const char *name)
{
	int fd = open(cfx_path(fx, name), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	assert_true(fd >= 0);
	return fd;
}

static void pwrite_all(int fd, const void *buf, size_t len, uint64_t off)
{
	assert_int_equal(pwrite(fd, buf, len, (off_t)off), (ssize_t)len);
}

void cfx_write_raw(struct cfx *fx, const char *name, uint64_t file_base, uint64_t file_size)
{
	int fd = create(fx, name);
	uint64_t lo = fx->mem.base > file_base ? fx->mem.base : file_base;
	uint64_t hi = fx->mem.base + fx->mem.size;

	hi = hi < file_base + file_size ? hi : file_base + file_size;
	assert_int_equal(ftruncate(fd, (off_t)file_size), 0);
	if (lo < hi)
		pwrite_all(fd, fx->mem.bytes + (lo - fx->mem.base), hi - lo, lo - file_base);
	close(fd);
	fx->holes_zero = true;
}

/* A note: 4-byte aligned name and desc. */
static size_t put_note(uint8_t *p, const char *name, uint32_t type, size_t desc)
{
	Elf64_Nhdr h = { .n_namesz = (uint32_t)strlen(name) + 1, .n_descsz = (uint32_t)desc,
			 .n_type = type };
	size_t name_size = (h.n_namesz + 3) & ~3u;

	memcpy(p, &h, sizeof(h));
	memset(p + sizeof(h), 0, name_size + ((desc + 3) & ~3u));
	memcpy(p + sizeof(h), name, h.n_namesz);
	return sizeof(h) + name_size + ((desc + 3) & ~3u);
}

/* The part of a sparse load that lies in the image. */
static void write_sparse_load(struct cfx *fx, int fd, const struct cfx_load *l, uint64_t off)
{
	uint64_t lo = l->paddr > fx->mem.base ? l->paddr : fx->mem.base;
	uint64_t hi = fx->mem.base + fx->mem.size;

	hi = hi < l->paddr + l->filesz ? hi : l->paddr + l->filesz;
	if (lo < hi)
		pwrite_all(fd, fx->mem.bytes + (lo - fx->mem.base), hi - lo, off + (lo - l->paddr));
}

static void write_load_data(struct cfx *fx, int fd, const struct cfx_load *l, uint64_t off)
{
	uint8_t *buf;

	if (l->fill == CFX_SPARSE) {
		write_sparse_load(fx, fd, l, off);
		return;
	}
	buf = malloc(l->filesz ? l->filesz : 1);
	assert_non_null(buf);
	for (uint64_t i = 0; i < l->filesz; i++)
		buf[i] = l->fill ? (uint8_t)(l->fill - 1) : source_byte(fx, l->paddr + i);
	pwrite_all(fd, buf, l->filesz, off);
	free(buf);
}

void cfx_write_elf(struct cfx *fx, const char *name, uint16_t machine, const struct cfx_load *l,
		   unsigned n, bool qemu_note)
{
	Elf64_Ehdr eh = {
		.e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB,
			     EV_CURRENT },
		.e_type = ET_CORE, .e_machine = machine, .e_version = EV_CURRENT,
		.e_phoff = sizeof(Elf64_Ehdr), .e_ehsize = sizeof(Elf64_Ehdr),
		.e_phentsize = sizeof(Elf64_Phdr), .e_phnum = (uint16_t)(n + 1),
	};
	uint64_t notes_off = sizeof(eh) + (uint64_t)(n + 1) * sizeof(Elf64_Phdr), off;
	uint8_t notes[1024];
	size_t notes_size = put_note(notes, "CORE", NT_PRSTATUS, 336);
	Elf64_Phdr ph;
	int fd = create(fx, name);

	fx->holes_zero = false;
	if (qemu_note)
		notes_size += put_note(notes + notes_size, "QEMU", 0, 0x1b8);
	pwrite_all(fd, &eh, sizeof(eh), 0);
	ph = (Elf64_Phdr){ .p_type = PT_NOTE, .p_offset = notes_off, .p_filesz = notes_size };
	pwrite_all(fd, &ph, sizeof(ph), eh.e_phoff);
	pwrite_all(fd, notes, notes_size, notes_off);
	off = (notes_off + notes_size + 4095) & ~4095ULL;
	for (unsigned i = 0; i < n; i++) {
		ph = (Elf64_Phdr){
			.p_type = PT_LOAD, .p_flags = PF_R | PF_W | PF_X, .p_offset = off,
			.p_vaddr = l[i].vaddr, .p_paddr = l[i].paddr, .p_filesz = l[i].filesz,
			.p_memsz = l[i].memsz, .p_align = 4096,
		};
		pwrite_all(fd, &ph, sizeof(ph), eh.e_phoff + (i + 1) * sizeof(ph));
		write_load_data(fx, fd, &l[i], off);
		off = (off + l[i].filesz + 4095) & ~4095ULL;
	}
	assert_int_equal(ftruncate(fd, (off_t)off), 0); /* sparse loads end in a hole */
	close(fd);
}

void cfx_write_text(struct cfx *fx, const char *name, const char *text)
{
	int fd = create(fx, name);

	pwrite_all(fd, text, strlen(text), 0);
	close(fd);
}

/* The whole of f, from the start, into buf (NUL-terminated). */
static void slurp(FILE *f, char *buf, size_t size)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
}

int cfx_runv(struct cfx *fx, char *const *args)
{
	char *argv[MAX_ARGS] = { (char *)cfx_devsnap };
	FILE *out = tmpfile(), *err = tmpfile();
	int status;
	pid_t pid;

	assert_true(out && err);
	for (unsigned i = 0; (argv[i + 1] = args[i]); i++)
		assert_true(i + 2 < MAX_ARGS);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		alarm(CFX_RUN_SECONDS); /* survives execv: a hang fails, not stalls, the test */
		if (chdir(fx->dir) == 0 && dup2(fileno(out), 1) >= 0 && dup2(fileno(err), 2) >= 0)
			execv(cfx_devsnap, argv);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	slurp(out, fx->out, sizeof(fx->out));
	slurp(err, fx->err, sizeof(fx->err));
	if (!WIFEXITED(status))
		fail_msg("devsnap %s died of signal %d%s", args[0], WTERMSIG(status),
			 WTERMSIG(status) == SIGALRM ? " (SIGALRM): a hang" : "");
	return WEXITSTATUS(status);
}

int cfx_run(struct cfx *fx, ...)
{
	char *args[MAX_ARGS];
	unsigned n = 0;
	va_list ap;

	va_start(ap, fx);
	while ((args[n] = va_arg(ap, char *)))
		assert_true(++n < MAX_ARGS);
	va_end(ap);
	return cfx_runv(fx, args);
}

int cfx_call(struct cfx *fx, int (*fn)(void *arg), void *arg)
{
	FILE *err = tmpfile();
	int saved = dup(2), r;

	assert_true(err && saved >= 0);
	fflush(stderr);
	assert_true(dup2(fileno(err), 2) >= 0);
	r = fn(arg);
	fflush(stderr);
	assert_true(dup2(saved, 2) >= 0);
	close(saved);
	slurp(err, fx->err, sizeof(fx->err));
	return r;
}

void cfx_assert_one_error(const struct cfx *fx, const char *want)
{
	const char *nl = strchr(fx->err, '\n');

	if (strncmp(fx->err, "devsnap: ", 9) || !nl || nl[1] || !strstr(fx->err, want))
		fail_msg("want one line saying '%s', got:\n%s", want, fx->err);
}

void cfx_assert_no_output(struct cfx *fx, const char *name)
{
	struct stat st;
	struct dirent *e;
	DIR *d;

	if (stat(cfx_path(fx, name), &st) == 0 || errno != ENOENT)
		fail_msg("%s exists after a failed capture", name);
	d = opendir(fx->dir);
	assert_non_null(d);
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, ".devsnap-tmp-", 13))
			fail_msg("temporary file %s left behind", e->d_name);
	closedir(d);
}

void cfx_open_dump(struct cfx *fx, const char *name)
{
	const char *path = cfx_path(fx, name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	int r;

	if (fd < 0)
		fail_msg("cannot open the dump %s: %s", path, strerror(errno));
	assert_int_equal(fstat(fd, &st), 0);
	free(fx->dump);
	fx->dump = malloc((size_t)st.st_size + 1);
	assert_non_null(fx->dump);
	assert_int_equal(pread(fd, fx->dump, (size_t)st.st_size, 0), st.st_size);
	close(fd);
	r = ds_dump_open(&fx->file, fx->dump, (uint64_t)st.st_size);
	if (r < 0)
		fail_msg("%s does not parse: %s at %llu", path, fx->file.error,
			 (unsigned long long)fx->file.error_offset);
}

static void assert_saved_bytes(const struct cfx *fx, const struct ds_dump_load *l)
{
	const uint8_t *d = fx->dump + l->offset;

	for (uint64_t i = 0; i < l->filesz; i++)
		if (d[i] != source_byte(fx, l->pa + i))
			fail_msg("VA %#llx (PA %#llx): %#x in the dump, %#x in the source",
				 (unsigned long long)(l->va + i), (unsigned long long)(l->pa + i),
				 d[i], source_byte(fx, l->pa + i));
}

void cfx_assert_load(struct cfx *fx, uint32_t i, uint64_t va, uint64_t pa, uint64_t size,
		     enum ds_skip_reason why)
{
	struct ds_dump_load l;
	enum ds_skip_reason got;

	if (ds_dump_load(&fx->file, i, &l) < 0)
		fail_msg("no PT_LOAD %u: the dump has %u", i, fx->file.nloads);
	if (l.va != va || l.pa != pa || l.memsz != size)
		fail_msg("PT_LOAD %u: VA %#llx PA %#llx size %#llx, want %#llx %#llx %#llx", i,
			 (unsigned long long)l.va, (unsigned long long)l.pa,
			 (unsigned long long)l.memsz, (unsigned long long)va,
			 (unsigned long long)pa, (unsigned long long)size);
	got = l.filesz ? DS_SAVED : ds_dump_skip_reason(&fx->file, va);
	if (got != why)
		fail_msg("PT_LOAD %u at VA %#llx: %s, want %s", i, (unsigned long long)va,
			 ds_skip_reason_name(got), ds_skip_reason_name(why));
	if (why == DS_SAVED) {
		assert_int_equal(l.filesz, size);
		assert_saved_bytes(fx, &l);
	}
}

void cfx_info(struct cfx *fx, struct ds_note_info *out)
{
	struct ds_note_iter it = { 0 };
	struct ds_note n;

	while (ds_dump_next_note(&fx->file, &it, &n) == 1)
		if (ds_note_is(&n, DS_NOTE_NAME, DS_NT_INFO)) {
			assert_int_equal(ds_note_info_decode(&n, out), 0);
			return;
		}
	fail_msg("the dump has no DEVSNAP INFO note");
}
