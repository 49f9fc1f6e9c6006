// SPDX-License-Identifier: MIT
/*
 * Seeds for fuzz_capture: real tables built in a small physical image,
 * offered as a raw image, as an ELF vmcore and as a kcore with its iomem
 * text, in fuzz_capture's input layout.
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "capture/memimage.h"

#define IMAGE_SIZE (64 << 10)
#define DATA_OFF 4096 /* ELF headers, then the image page-aligned */

static const char iomem_text[] = "00000000-00007fff : System RAM\n"
				 "00008000-0000ffff : Reserved\n";

static int build(struct memimage *m, const char *format, uint64_t *root)
{
	struct ds_pgtable_config cfg = { .format = ds_format_find(format), .nroots = 1,
					 .read_phys = memimage_read, .opaque = m };
	struct ds_attrs rw = { DS_PROT_PR | DS_PROT_PW, DS_MEM_CACHED };
	struct ds_error err;
	struct ds_pgtable pt;

	if (memimage_init(m, 0, IMAGE_SIZE) < 0 || ds_pgtable_init(&pt, &cfg, &err) < 0 ||
	    ds_build_roots(&pt, &memimage_build_ops, m) < 0)
		return -1;
	memset(m->bytes + 0x1000, 'A', 0x2000);
	*root = pt.cfg.roots[0];
	/* two RAM pages, a page past the image, a reserved page */
	if (ds_build_map(&pt, &memimage_build_ops, m, 0x10000, 0x1000, 0x2000, 0, &rw) < 0 ||
	    ds_build_map(&pt, &memimage_build_ops, m, 0x20000, 0x100000, 0x1000, 0, &rw) < 0 ||
	    ds_build_map(&pt, &memimage_build_ops, m, 0x30000, 0x9000, 0x1000, 0, &rw) < 0)
		return -1;
	return 0;
}

static void elf_headers(uint8_t *out, uint64_t vaddr)
{
	Elf64_Ehdr eh = {
		.e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB, EV_CURRENT },
		.e_type = ET_CORE, .e_machine = EM_X86_64, .e_version = EV_CURRENT,
		.e_phoff = sizeof(Elf64_Ehdr), .e_ehsize = sizeof(Elf64_Ehdr),
		.e_phentsize = sizeof(Elf64_Phdr), .e_phnum = 1,
	};
	Elf64_Phdr ph = {
		.p_type = PT_LOAD, .p_flags = PF_R | PF_W | PF_X, .p_offset = DATA_OFF,
		.p_vaddr = vaddr, .p_paddr = 0, .p_filesz = IMAGE_SIZE, .p_memsz = IMAGE_SIZE,
		.p_align = 4096,
	};

	memset(out, 0, DATA_OFF);
	memcpy(out, &eh, sizeof(eh));
	memcpy(out + sizeof(eh), &ph, sizeof(ph));
}

/* A range for fuzz_capture's choose_range: mode 0 is the whole space. */
struct seed_range {
	uint8_t mode;
	uint64_t a, b;
};

static int write_seed(const char *dir, const char *name, uint8_t kind, unsigned fmt, uint64_t root,
		      const struct memimage *m, const struct seed_range *range)
{
	/* 64 KiB budget, --partial. */
	uint8_t head[30] = { kind, (uint8_t)fmt, [12] = range->mode, [13] = 0x80 | 15 };
	uint8_t elf[DATA_OFF];
	size_t text = kind == 2 ? sizeof(iomem_text) - 1 : 0;
	char path[4096];
	FILE *f;
	int ok;

	memcpy(head + 2, &root, 8);
	memcpy(head + 14, &range->a, 8);
	memcpy(head + 22, &range->b, 8);
	head[10] = (uint8_t)text;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f)
		return -1;
	elf_headers(elf, kind == 2 ? 0xffff888000000000ULL : 0);
	ok = fwrite(head, sizeof(head), 1, f) == 1 && fwrite(iomem_text, 1, text, f) == text &&
	     (!kind || fwrite(elf, sizeof(elf), 1, f) == 1) &&
	     fwrite(m->bytes, IMAGE_SIZE, 1, f) == 1;
	return fclose(f) == 0 && ok ? 0 : -1;
}

int main(int argc, char **argv)
{
	static const char *const formats[] = { "x86_64", "arm64-4k", "riscv-sv39", "mali" };
	static const char *const kinds[] = { "raw", "vmcore", "kcore" };
	/* [0x10800, 0x11fff]: inside the first mapped page, to its second */
	static const struct seed_range whole = { 0 }, unaligned = { 2, 0x10800, 0x17ff };
	char name[64];

	if (argc != 2 || (mkdir(argv[1], 0755) < 0 && errno != EEXIST))
		return 1;
	for (unsigned i = 0; i < 4; i++) {
		unsigned index = 0;
		struct memimage m;
		uint64_t root;

		while (ds_format_at(index) != ds_format_find(formats[i]))
			index++;
		if (build(&m, formats[i], &root) < 0)
			return 1;
		for (uint8_t kind = 0; kind < 3; kind++) {
			snprintf(name, sizeof(name), "%s-%s", formats[i], kinds[kind]);
			if (write_seed(argv[1], name, kind, index, root, &m, &whole) < 0)
				return 1;
		}
		snprintf(name, sizeof(name), "%s-raw-unaligned-range", formats[i]);
		if (write_seed(argv[1], name, 0, index, root, &m, &unaligned) < 0)
			return 1;
		memimage_free(&m);
	}
	return 0;
}
