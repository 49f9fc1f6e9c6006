#!/bin/sh
# The guest's Debian 12 root, with systemd and udev, built once by mmdebstrap
# (about a minute, 200 MB) into a cache outside any build directory, so that a
# fresh clone re-uses it; keyed by the suite and the package list.  Prints the
# tarball's path.  Usage: rootfs.sh [CACHE]  (default $DEVSNAP_TEST_CACHE, or
# /var/cache/devsnap-tests)
set -eu
cache=${1:-${DEVSNAP_TEST_CACHE:-/var/cache/devsnap-tests}}
suite=bookworm
# systemd and udev, kmod for insmod, devsnap's own run-time libraries (the
# guest has no network: dpkg -i must find every dependency in place), zstd
# for the test's check of a saved dump.
pkgs=systemd,systemd-sysv,udev,kmod,libzstd1,libjson-c5,libkdumpfile10,libsystemd0,zstd
# Documentation is of no use in a test guest and makes its initramfs larger.
nodoc='path-exclude=/usr/share/doc/*,/usr/share/man/*,/usr/share/locale/*,/usr/share/info/*'
key=$(printf '%s\n' "$suite" "$pkgs" "$nodoc" | sha256sum | cut -c1-16)
tar=$cache/rootfs-$suite-$key.tar
mkdir -p "$cache"
# The guest and packaging tests may ask at once: one builds, the other waits.
exec 9>"$cache/lock"
flock 9
if [ ! -s "$tar" ]; then
	tmp=$cache/rootfs-$suite-$key.tmp.$$.tar # mmdebstrap writes a tar for ".tar"
	# shellcheck disable=SC2046
	mmdebstrap --quiet --variant=apt --include="$pkgs" \
		$(echo "$nodoc" | tr ',' '\n' | sed 's/^path-exclude=//; s/^/--dpkgopt=path-exclude=/') \
		"$suite" "$tmp" >&2 || { rm -f "$tmp"; exit 1; }
	mv "$tmp" "$tar"
	# Only the current key's root is kept.
	find "$cache" -maxdepth 1 -name "rootfs-*.tar" ! -path "$tar" -delete
fi
echo "$tar"
