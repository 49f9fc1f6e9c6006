/* SPDX-License-Identifier: MIT */
/*
 * ELF64 and DEVSNAP note layouts, as byte offsets: the writer and the
 * parser read and write fields with ds_get_le/ds_put_le, so neither host
 * endianness nor alignment of the input matters.  No <elf.h>: lib/ is
 * freestanding.
 */
#ifndef DS_ELF_LAYOUT_H
#define DS_ELF_LAYOUT_H

#include "ds_base.h"

#define ELF_EHDR_SIZE 64
#define ELF_PHDR_SIZE 56
#define ELF_SHDR_SIZE 64
#define ELF_NHDR_SIZE 12

/* e_ident and ELF header fields */
#define EH_CLASS 4   /* ELFCLASS64 = 2 */
#define EH_DATA 5    /* ELFDATA2LSB = 1 */
#define EH_VERSION 6 /* EV_CURRENT = 1 */
#define EH_TYPE 16   /* u16, ET_CORE = 4 */
#define EH_MACHINE 18
#define EH_EVERSION 20
#define EH_PHOFF 32
#define EH_SHOFF 40
#define EH_EHSIZE 52
#define EH_PHENTSIZE 54
#define EH_PHNUM 56
#define EH_SHENTSIZE 58
#define EH_SHNUM 60

#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define EV_CURRENT 1
#define ET_CORE 4
#define PN_XNUM 0xffff

/* Program header fields */
#define PH_TYPE 0 /* u32 */
#define PH_FLAGS 4
#define PH_OFFSET 8
#define PH_VADDR 16
#define PH_PADDR 24
#define PH_FILESZ 32
#define PH_MEMSZ 40
#define PH_ALIGN 48

#define PT_LOAD 1
#define PT_NOTE 4
#define PF_X 1
#define PF_W 2
#define PF_R 4

/* Section header 0 carries the real e_phnum past PN_XNUM. */
#define SH_INFO 44

/*
 * INFO desc (version 1): u32 version, u32 page_size, u64 time_ns,
 * u64 roots[4], u32 nroots, u32 va_bits, u32 flags (bit 0: upper half),
 * u32 segment count, u64 mapped bytes, u64 saved bytes, then four
 * NUL-terminated strings: format, device, driver, reason.
 */
#define INFO_VERSION 0
#define INFO_PAGE_SIZE 4
#define INFO_TIME 8
#define INFO_ROOTS 16
#define INFO_NROOTS 48
#define INFO_VA_BITS 52
#define INFO_FLAGS 56
#define INFO_NSEGS 60
#define INFO_MAPPED 64
#define INFO_SAVED 72
#define INFO_STRINGS 80
#define INFO_UPPER_HALF 1u

/* After the strings, optionally (older readers stop at the reason):
 * u32 flags (bit 0: a PCI function's IOMMU domain), u16 PCI segment,
 * u16 requester id, u32 IOMMU domain id, u64 the VT-d root table or
 * AMD-Vi device table it was found from.
 */
#define INFO_PCI_FLAGS 0
#define INFO_PCI_SEGMENT 4
#define INFO_PCI_RID 6
#define INFO_PCI_DOMAIN 8
#define INFO_PCI_TABLE 12
#define INFO_PCI_SIZE 20
#define INFO_PCI_PRESENT 1u

/* SKIPPED desc: u32 version, u32 count, then count entries of
 * u64 va, u64 pa, u64 size, u32 reason, u32 zero.
 */
#define SKIPPED_HEADER 8
#define SKIPPED_ENTRY 32

/* BLOB desc: u32 name length, the name, zero padding to 4, the bytes. */
#define BLOB_HEADER 4

static inline u64 ds_align_up(u64 v, u64 a)
{
	return (v + a - 1) & ~(a - 1);
}

#endif /* DS_ELF_LAYOUT_H */
