/* SPDX-License-Identifier: MIT */
/*
 * libdevsnap: read devsnap dumps (and Asahi drm/asahi GPU dumps) and walk
 * device page tables from userspace.
 *
 *   #include <devsnap/devsnap.h>
 *   cc prog.c $(pkg-config --cflags --libs devsnap)
 *
 * devsnap/dump.h opens a dump and reads it by device VA or PA;
 * devsnap/walk.h walks tables of any known format through the caller's
 * physical-memory reader and lists the formats.  Conventions (errors,
 * threads) in devsnap/common.h; man page: libdevsnap(3).
 */
#ifndef DEVSNAP_DEVSNAP_H
#define DEVSNAP_DEVSNAP_H

#include <devsnap/version.h>
#include <devsnap/common.h>
#include <devsnap/dump.h>
#include <devsnap/walk.h>

#endif /* DEVSNAP_DEVSNAP_H */
