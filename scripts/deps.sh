#!/bin/sh
# Installs what building and testing devsnap needs, from Debian's archive,
# only where it is missing.  Runs as root, or through sudo.  linux-headers-amd64
# is the headers of the kernel linux-image-amd64 names, the one the QEMU tests
# boot: installed here, before any test, the DKMS tree is built in every run.
# The second line is debian/control's Build-Depends and the tests of the
# packages (lintian, mmdebstrap for the guest's Debian root, mkfs.ext4 for its store disk).
set -eu

pkgs="build-essential meson ninja-build pkg-config clang libclang-rt-dev
libcmocka-dev libzstd-dev zstd libjson-c-dev libkdumpfile-dev libsystemd-dev
binutils elfutils gdb jq python3-drgn scdoc cppcheck util-linux makedumpfile
systemd qemu-system-x86 busybox-static cpio
chromium chromium-driver python3-selenium python3-pil
sparse linux-source-6.1 linux-headers-amd64 flex bison libelf-dev libssl-dev bc
debhelper dh-dkms dh-python fakeroot lintian udev mmdebstrap e2fsprogs"

missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "devsnap: installing:$missing" >&2
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
