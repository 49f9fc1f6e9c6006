#!/bin/sh
# Fetches Debian's own kernel for the QEMU tests: the image package that
# linux-image-amd64 depends on, downloaded from the archive into CACHE and
# unpacked there (re-used across runs), and the matching headers package
# installed through apt so that test modules can be built against it.
# Prints the kernel release (e.g. 6.1.0-56-amd64) on stdout.
# Usage: kernel.sh CACHE
set -eu
cache=$1
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)

sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive

# Resolve the ABI the meta package points at today; never hard-code it.
resolve() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n 1
}
pkg=$(resolve)
if [ -z "$pkg" ]; then
	$sudo apt-get update -qq >&2
	pkg=$(resolve)
fi
[ -n "$pkg" ] || { echo "kernel.sh: no linux-image-amd64 in apt's lists" >&2; exit 1; }
rel=${pkg#linux-image-}
# The signed and unsigned packages carry the same release; the unsigned
# name (-unsigned suffix) is not a release.
rel=${rel%-unsigned}

# As root, apt fetches as _apt, who cannot write into a private directory.
sandbox=
[ "$(id -u)" -ne 0 ] || sandbox="-o APT::Sandbox::User=root"

root=$cache/$rel
if [ ! -f "$root/boot/vmlinuz-$rel" ]; then
	# Only one kernel is kept: an older release's tree goes.
	find "$cache" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
	tmp=$(mktemp -d "$cache/dl.XXXXXX")
	# shellcheck disable=SC2086
	(cd "$tmp" && { apt-get download -qq $sandbox "$pkg" >&2 ||
			{ $sudo apt-get update -qq >&2 && apt-get download -qq $sandbox "$pkg" >&2; }; })
	dpkg -x "$tmp"/*.deb "$root.tmp"
	rm -rf "$tmp" "$root"
	mv "$root.tmp" "$root"
fi

hdr=linux-headers-$rel
if ! dpkg-query -W -f='${Status}' "$hdr" 2>/dev/null | grep -q 'install ok installed'; then
	echo "kernel.sh: installing $hdr" >&2
	$sudo apt-get install -y -qq --no-install-recommends "$hdr" >/dev/null ||
		{ $sudo apt-get update -qq >&2 &&
		  $sudo apt-get install -y -qq --no-install-recommends "$hdr" >/dev/null; }
fi
echo "$rel"
