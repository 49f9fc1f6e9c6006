#!/bin/sh
# The collector deployed for real: a Debian 12 root with systemd and udev
# (rootfs.sh, cached), the devsnap package built from this tree
# (tests/packaging/build_debs.sh) installed into it with dpkg, devsnap.ko and
# the QEMU test device built for Debian's kernel (tests/qemu/kernel.sh), all
# as one zstd initramfs, booted under QEMU (TCG) to its default target.  A
# unit of the test image (devsnap-guest-test.service, not in the package)
# runs guest.sh, whose TAP this re-emits.
# Usage: run.sh SRC WORKDIR DEBS   (WORKDIR keeps the kernel between runs;
# DEBS is where build_debs.sh keeps the packages).  $DEVSNAP_CRASH_LOOPS: the
# crash loop's length (15; make check-slow: 50).
set -u
src=$(cd "$1" && pwd)
here=$src/tests/systemd
work=$2 debout=$3
mkdir -p "$work"
work=$(cd "$work" && pwd)
# About 35 s to boot and 60 s of checks on an idle 2-core machine; far more
# on a loaded one (TCG).
timeout_s=${DEVSNAP_QEMU_TIMEOUT:-900}

bail() { echo "Bail out! $*"; exit 1; }
log() { echo "# $*"; }
secs() { date +%s.%N | cut -c1-14; }
elapsed() { awk -v a="$1" -v b="$(secs)" 'BEGIN { printf "%.1f s", b - a }'; }

qemu=$(command -v qemu-system-x86_64) || { echo "1..0 # SKIP no qemu-system-x86_64"; exit 0; }
[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP not root (dpkg in a chroot)"; exit 0; }
for tool in mmdebstrap dpkg-buildpackage cpio zstd make; do
	command -v $tool >/dev/null || { echo "1..0 # SKIP no $tool (scripts/deps.sh)"; exit 0; }
done

# --- What goes in: Debian's kernel, its root, the packages, the modules ----
t0=$(secs)
rel=$("$src/tests/qemu/kernel.sh" "$work/cache" 2>"$work/kernel.log") ||
	{ sed 's/^/# /' "$work/kernel.log"; bail "cannot get Debian's kernel"; }
kroot=$work/cache/$rel
tar=$("$here/rootfs.sh" 2>"$work/rootfs.log") ||
	{ sed 's/^/# /' "$work/rootfs.log"; bail "cannot build the Debian root (mmdebstrap)"; }
debs=$("$src/tests/packaging/build_debs.sh" "$src" "$debout" 2>"$work/debs.log") ||
	{ sed 's/^/# /' "$work/debs.log"; bail "the packages do not build"; }
log "kernel $rel, Debian root and packages ready in $(elapsed "$t0")"

t0=$(secs)
rm -rf "$work/module"
mkdir -p "$work/module"
cp "$src/tests/qemu/module/devsnap_qemu_main.c" "$src/tests/qemu/module/Kbuild" "$work/module/"
cp -RL "$src/kernel" "$work/module/kernel"
cp -RL "$src/lib" "$work/module/lib" # the test device builds its tables with its own lib/ copy
make -j2 -C "/usr/src/linux-headers-$rel" M="$work/module" modules >"$work/module.log" 2>&1 ||
	{ sed 's/^/# /' "$work/module.log"; bail "devsnap.ko or the test module does not build"; }
log "modules built in $(elapsed "$t0")"

# --- The guest's root ---------------------------------------------------------
t0=$(secs)
r=$work/root
rm -rf "$r"
mkdir -p "$r"
tar -C "$r" -xf "$tar" || bail "cannot unpack $tar"
cp "$debs"/devsnap_*_amd64.deb "$r/tmp/devsnap.deb"
chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin dpkg -i /tmp/devsnap.deb \
	>"$work/dpkg.log" 2>&1 || { sed 's/^/# /' "$work/dpkg.log"; bail "dpkg -i devsnap fails"; }
rm "$r/tmp/devsnap.deb"
t=$r/usr/local/lib/devsnap-test
mkdir -p "$t"
cp "$work/module/kernel/devsnap.ko" "$work/module/devsnap_qemu_test.ko" "$here/guest.sh" "$t/"
cp "$here/devsnap-guest-test.service" "$r/etc/systemd/system/"
ln -sf ../devsnap-guest-test.service "$r/etc/systemd/system/multi-user.target.wants/"
# The serial console is the test's: no login prompt on it.
ln -sf /dev/null "$r/etc/systemd/system/serial-getty@ttyS0.service"
ln -sf /dev/null "$r/etc/systemd/system/getty@tty1.service"
echo devsnap-guest >"$r/etc/hostname"
[ -s "$r/etc/machine-id" ] || systemd-id128 new >"$r/etc/machine-id"
(cd "$r" && find . | cpio -o -H newc --quiet | zstd -q -T0 -3) >"$work/initrd.cpio.zst" ||
	bail "cannot pack the initramfs"
log "root with the package installed, packed in $(elapsed "$t0"): $(du -h "$work/initrd.cpio.zst" | cut -f1)"
rm -rf "$r"

# --- Boot -----------------------------------------------------------------
# TCG, not KVM (a KVM guest hangs on these machines).  The initramfs is the
# root: systemd runs from it as from a disk (no initrd-release).
loops=devsnap_guest.loops=${DEVSNAP_CRASH_LOOPS:-15}
t0=$(secs)
timeout "$timeout_s" "$qemu" -accel tcg -cpu max -smp 2 -m 1536M -nographic -no-reboot \
	-nic none -kernel "$kroot/boot/vmlinuz-$rel" -initrd "$work/initrd.cpio.zst" \
	-append "console=ttyS0 rdinit=/sbin/init panic=-1 loglevel=1 systemd.show_status=0 $loops" \
	</dev/null >"$work/console.log" 2>&1
qrc=$?
tr -d '\r' <"$work/console.log" >"$work/console.txt"
log "guest ran for $(elapsed "$t0") (qemu exit $qrc), console in $work/console.txt"

sed -n '/^DEVSNAP-TAP-BEGIN$/,/^DEVSNAP-TAP-END$/p' "$work/console.txt" |
	grep -E '^(ok |not ok |1\.\.|# )' >"$work/tap.txt"
cat "$work/tap.txt"
if ! grep -qx DEVSNAP-TAP-END "$work/console.txt"; then
	[ "$qrc" -eq 124 ] && log "the guest did not finish in $timeout_s s"
	tail -n 40 "$work/console.txt" | sed 's/^/# console: /'
	bail "the guest never finished its tests"
fi
grep -q '^not ok' "$work/tap.txt" && exit 1
grep -q '^1\.\.[1-9]' "$work/tap.txt" || bail "the guest printed no plan"
exit 0
