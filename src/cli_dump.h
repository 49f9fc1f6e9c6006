/* SPDX-License-Identifier: MIT */
/*
 * What a reader verb's operand names: "-", a dump file, or else a saved
 * dump's ID.  The read room knows files only; this is where the CLI ties
 * it to the store (dumpview_set_opener).
 */
#ifndef DS_CLI_DUMP_H
#define DS_CLI_DUMP_H

/* An fd for dumpview_open, or -errno after one line saying what is
 * wrong: a saved dump is decompressed into an unnamed memory file, sparse
 * where it is zero, never larger than its recorded size.  The store is
 * $DEVSNAP_STORE, or STORE_DEFAULT_DIR. */
int cli_dump_open(const char *operand);

#endif /* DS_CLI_DUMP_H */
