/* SPDX-License-Identifier: MIT */
/*
 * /etc/devsnap/collect.conf, in the manner of systemd's coredump.conf:
 *
 *   [Collect]
 *   MaxDumpSize=2G   # larger dumps are released unsaved
 *   MaxUse=          # the store's most bytes (default 10% of its filesystem, at most 4G)
 *   KeepFree=        # bytes left free on that filesystem (default 15%, at most 4G)
 *   MaxCount=64      # most saved dumps
 *   RateLimitIntervalSec=30s  # crash loops: at most RateLimitBurst dumps saved
 *   RateLimitBurst=10         # per interval, the others released unsaved
 *
 * Sizes take K, M, G, T (powers of 1024) or "infinity"; times, us, ms, s,
 * min or h (seconds without one); 0 for either rate-limit key disables it.  Unknown keys and
 * bad values are warned about and ignored, as systemd does: a typo must not
 * stop dumps from being collected.
 */
#ifndef DS_COLLECT_CONF_H
#define DS_COLLECT_CONF_H

#include <stdbool.h>
#include <stdint.h>

/* Where meson installs it (sysconfdir): /etc/devsnap/collect.conf for
 * prefix /usr. */
#ifndef COLLECT_CONF_PATH
#define COLLECT_CONF_PATH "/etc/devsnap/collect.conf"
#endif

struct collect_conf {
	uint64_t max_dump_size;
	uint64_t max_use, keep_free; /* used only when set */
	bool max_use_set, keep_free_set;
	uint64_t max_count;
	uint64_t ratelimit_interval_usec, ratelimit_burst;
};

void collect_conf_init(struct collect_conf *c);

/* Reads path into c (after collect_conf_init).  A missing file is the
 * defaults unless must_exist; -errno for a file that cannot be read. */
int collect_conf_load(struct collect_conf *c, const char *path, bool must_exist);

/* MaxUse and KeepFree for a store on a filesystem of fs_size bytes. */
void collect_conf_limits(const struct collect_conf *c, uint64_t fs_size, uint64_t *max_use,
			 uint64_t *keep_free);

#endif /* DS_COLLECT_CONF_H */
