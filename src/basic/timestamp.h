/* SPDX-License-Identifier: MIT */
/*
 * Points in time on the command line (list --since/--until), in the words
 * of systemd.time(7) that journalctl and coredumpctl take:
 *   "2026-11-25", "2026-11-25 10:04", "2026-11-25 10:04:31" (also with a
 *   'T' for the space), local time;
 *   "now", "today", "yesterday", "tomorrow" (local midnight);
 *   "-2h", "-30min", "-1d 12h", "+1w", "2h ago": relative to now, units us,
 *   ms, s, min, h, d, w, M (30.44 days), y (365.25 days) and their long
 *   names (sec, second(s), minute(s), hour(s), day(s), week(s), month(s),
 *   year(s)).
 */
#ifndef DS_TIMESTAMP_H
#define DS_TIMESTAMP_H

#include <stdint.h>

/* s as µs since the Unix epoch, now_usec being the present: 0, or -EINVAL
 * when s is none of the above, -ERANGE when it falls before 1970 or past
 * 2^64 µs. */
int parse_timestamp(const char *s, uint64_t now_usec, uint64_t *usec);

#endif /* DS_TIMESTAMP_H */
