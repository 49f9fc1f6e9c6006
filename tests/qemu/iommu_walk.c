// SPDX-License-Identifier: MIT
/*
 * Independent IOMMU walks for the IOMMU test, sharing no code with lib/:
 * reads a QEMU dump-guest-memory ELF file directly and follows the VT-d
 * spec (3.x, 9.1-9.8) from the root table, or the AMD IOMMU spec (2.2.2,
 * 2.2.3) from the device table, to the pages of one function.
 *
 *   iommu_walk vtd VMCORE RTADDR BUS:DEV.FN  one line per 4K page mapped:
 *   iommu_walk amd VMCORE DEVTAB BUS:DEV.FN  "IOVA PA PERM" (PERM rw, r-, -w)
 *   iommu_walk read VMCORE PA LEN            LEN bytes at PA, to stdout
 *   iommu_walk pages                         "VA PA SIZE PERM" lines on stdin
 *                                            as one line per 4K page
 * VT-d legacy-mode tables only (QEMU's default).
 */
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static FILE *core;
static Elf64_Phdr *phdrs;
static unsigned nphdrs;

static void die(const char *what)
{
	fprintf(stderr, "iommu_walk: %s\n", what);
	exit(1);
}

static void load_core(const char *path)
{
	Elf64_Ehdr eh;

	core = fopen(path, "rb");
	if (!core || fread(&eh, sizeof(eh), 1, core) != 1 || memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_phentsize != sizeof(Elf64_Phdr))
		die("not an ELF64 core");
	nphdrs = eh.e_phnum;
	phdrs = calloc(nphdrs, sizeof(*phdrs));
	if (!phdrs || fseeko(core, (off_t)eh.e_phoff, SEEK_SET) ||
	    fread(phdrs, sizeof(*phdrs), nphdrs, core) != nphdrs)
		die("cannot read the program headers");
}

/* Physical memory through the PT_LOADs' p_paddr, as QEMU writes them. */
static void read_phys(uint64_t pa, void *buf, size_t len)
{
	for (unsigned i = 0; i < nphdrs; i++) {
		const Elf64_Phdr *p = &phdrs[i];

		if (p->p_type != PT_LOAD || pa < p->p_paddr || pa + len > p->p_paddr + p->p_filesz)
			continue;
		if (fseeko(core, (off_t)(p->p_offset + (pa - p->p_paddr)), SEEK_SET) ||
		    fread(buf, 1, len, core) != len)
			die("short read");
		return;
	}
	fprintf(stderr, "iommu_walk: PA 0x%" PRIx64 " is not in the dump\n", pa);
	exit(1);
}

static uint64_t read_u64(uint64_t pa)
{
	uint64_t v;

	read_phys(pa, &v, 8);
	return v; /* x86: little-endian, as the host running this test */
}

static void print_pages(uint64_t va, uint64_t pa, uint64_t size, int r, int w)
{
	for (uint64_t off = 0; off < size; off += 4096)
		printf("0x%" PRIx64 " 0x%" PRIx64 " %c%c\n", va + off, pa + off, r ? 'r' : '-',
		       w ? 'w' : '-');
}

/* Second-level entries: R bit 0, W bit 1, PS bit 7, address 51:12. */
static void vtd_table(uint64_t table, int level, uint64_t iova, int r, int w)
{
	for (unsigned i = 0; i < 512; i++) {
		uint64_t e = read_u64(table + i * 8);
		uint64_t va = iova + ((uint64_t)i << (12 + 9 * (level - 1)));
		int er = r && (e & 1), ew = w && (e & 2);
		uint64_t addr = e & 0x000ffffffffff000ULL;

		if (!(e & 3))
			continue; /* neither R nor W: not present */
		if (level > 1 && !(e & 0x80)) {
			vtd_table(addr, level - 1, va, er, ew);
			continue;
		}
		if (level > 3)
			die("PS set above level 3");
		print_pages(va, addr, 1ULL << (12 + 9 * (level - 1)), er, ew);
	}
}

/* AMD v1: PR bit 0, next level 11:9 (0: a page of the level's size, 7: a
 * larger page, its size in the low address bits), IR 61, IW 62. */
static void amd_table(uint64_t table, int level, uint64_t iova, int r, int w)
{
	for (unsigned i = 0; i < 512; i++) {
		uint64_t e = read_u64(table + i * 8);
		unsigned shift = 12 + 9 * (level - 1), next = e >> 9 & 7;
		uint64_t va = iova + ((uint64_t)i << shift), addr = e & 0x000ffffffffff000ULL;
		int er = r && (e >> 61 & 1), ew = w && (e >> 62 & 1);

		if (!(e & 1))
			continue;
		if (next == 0) {
			print_pages(va, addr, 1ULL << shift, er, ew);
		} else if (next == 7) {
			unsigned size = 13;

			while (addr >> (size - 1) & 1)
				size++;
			addr &= ~((1ULL << size) - 1);
			print_pages(va, addr + (va & ((1ULL << size) - 1)), 1ULL << shift, er, ew);
		} else if ((int)next == level - 1) {
			amd_table(addr, level - 1, va, er, ew);
		} else {
			die("level skipping: not walked here");
		}
	}
}

static int amd_walk(const char *devtab_s, const char *bdf)
{
	uint64_t devtab = strtoull(devtab_s, NULL, 0) & ~0xfffULL, dte;
	unsigned bus, dev, fn, mode;

	if (sscanf(bdf, "%x:%x.%x", &bus, &dev, &fn) != 3)
		die("BDF is BUS:DEV.FN");
	dte = read_u64(devtab + (bus << 8 | dev << 3 | fn) * 32);
	mode = dte >> 9 & 7;
	if ((dte & 3) != 3 || mode == 0 || mode > 6)
		die("device table entry not translating");
	fprintf(stderr, "iommu_walk: mode %u, domain %u, root 0x%" PRIx64 "\n", mode,
		(unsigned)(read_u64(devtab + (bus << 8 | dev << 3 | fn) * 32 + 8) & 0xffff),
		(uint64_t)(dte & 0x000ffffffffff000ULL));
	amd_table(dte & 0x000ffffffffff000ULL, (int)mode, 0, 1, 1);
	return 0;
}

static int vtd_walk(const char *rtaddr_s, const char *bdf)
{
	uint64_t rtaddr = strtoull(rtaddr_s, NULL, 0), re, ce_lo, ce_hi;
	unsigned bus, dev, fn, aw;

	if (sscanf(bdf, "%x:%x.%x", &bus, &dev, &fn) != 3)
		die("BDF is BUS:DEV.FN");
	if (rtaddr & 0xc00)
		die("scalable mode: not walked here");
	re = read_u64((rtaddr & ~0xfffULL) + bus * 16);
	if (!(re & 1))
		die("root entry not present");
	ce_lo = read_u64((re & ~0xfffULL) + (dev << 3 | fn) * 16);
	ce_hi = read_u64((re & ~0xfffULL) + (dev << 3 | fn) * 16 + 8);
	if (!(ce_lo & 1) || ((ce_lo >> 2) & 3) >= 2)
		die("context entry not present, or not translating");
	aw = ce_hi & 7; /* 1: 3 levels, 2: 4, 3: 5 */
	fprintf(stderr, "iommu_walk: AW %u (%u levels), DID %u, SLPTPTR 0x%" PRIx64 "\n", aw,
		aw + 2, (unsigned)(ce_hi >> 8 & 0xffff), (uint64_t)(ce_lo & ~0xfffULL));
	vtd_table(ce_lo & 0x000ffffffffff000ULL, (int)aw + 2, 0, 1, 1);
	return 0;
}

static int read_bytes(const char *pa_s, const char *len_s)
{
	uint64_t pa = strtoull(pa_s, NULL, 0);
	size_t len = strtoull(len_s, NULL, 0);
	char *buf = malloc(len ? len : 1);

	if (!buf)
		die("out of memory");
	read_phys(pa, buf, len);
	return fwrite(buf, 1, len, stdout) == len ? 0 : 1;
}

static int pages(void)
{
	char perm[8];
	uint64_t va, pa, size;

	while (scanf("%" SCNx64 " %" SCNx64 " %" SCNu64 " %7s", &va, &pa, &size, perm) == 4)
		for (uint64_t off = 0; off < size; off += 4096)
			printf("0x%" PRIx64 " 0x%" PRIx64 " %c%c\n", va + off, pa + off, perm[0],
			       perm[1]);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "vtd"))
		return load_core(argv[2]), vtd_walk(argv[3], argv[4]);
	if (argc == 5 && !strcmp(argv[1], "amd"))
		return load_core(argv[2]), amd_walk(argv[3], argv[4]);
	if (argc == 5 && !strcmp(argv[1], "read"))
		return load_core(argv[2]), read_bytes(argv[3], argv[4]);
	if (argc == 2 && !strcmp(argv[1], "pages"))
		return pages();
	die("usage: iommu_walk (vtd VMCORE RTADDR | amd VMCORE DEVTAB) BUS:DEV.FN | "
	    "read VMCORE PA LEN | pages");
	return 1;
}
