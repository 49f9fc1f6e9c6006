#!/bin/sh
# The collector deployed for real: a Debian 12 root with systemd and udev
# (rootfs.sh, cached), the devsnap package built from this tree
# (tests/packaging/build_debs.sh) installed into it with dpkg, devsnap.ko and
# the QEMU test device built for Debian's kernel (tests/qemu/kernel.sh), all
# as one zstd initramfs, booted under QEMU (TCG) to its default target.  A
# unit of the test image (devsnap-guest-test.service, not in the package)
# runs guest.sh, whose TAP this re-emits.
# With $DEVSNAP_GUEST_SLOW=1 (make check-slow) three more boots follow, with
# the store on a virtio disk image (ext4): a dump saved and the package
# removed, re-installed and purged under the running systemd; after a reboot,
# the dump still there and a large save cut short by the monitor's `quit`;
# after another, nothing torn.  One TAP stream for all boots.
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
cp "$debs"/libdevsnap0_*_amd64.deb "$r/tmp/libdevsnap0.deb"
chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	dpkg -i /tmp/libdevsnap0.deb /tmp/devsnap.deb >"$work/dpkg.log" 2>&1 ||
	{ sed 's/^/# /' "$work/dpkg.log"; bail "dpkg -i libdevsnap0 devsnap fails"; }
rm -f "$r/tmp/libdevsnap0.deb"
t=$r/usr/local/lib/devsnap-test
mkdir -p "$t"
# The package again, for the guest's own dpkg -r, -i and --purge.
mv "$r/tmp/devsnap.deb" "$t/"
cp "$work/module/kernel/devsnap.ko" "$work/module/devsnap_qemu_test.ko" "$here/guest.sh" \
	"$here/guest_store.sh" "$t/"
cp "$here/devsnap-guest-test.service" "$r/etc/systemd/system/"
ln -sf ../devsnap-guest-test.service "$r/etc/systemd/system/multi-user.target.wants/"
cp "$here/var-lib-devsnap.mount" "$t/"
mkdir -p "$r/etc/systemd/system-generators"
cp "$here/store-generator" "$r/etc/systemd/system-generators/devsnap-test-store"
# What a store on a virtio disk needs of Debian's modules, which udev and
# mount load: virtio's PCI transport and block driver, ext4.
for m in drivers/virtio drivers/block/virtio_blk.ko fs/ext4 fs/jbd2 fs/mbcache.ko lib/crc16.ko \
	crypto/crc32c_generic.ko; do
	mkdir -p "$r/lib/modules/$rel/kernel/$(dirname $m)"
	cp -R "$kroot/lib/modules/$rel/kernel/$m" "$r/lib/modules/$rel/kernel/$m"
done
cp "$kroot/lib/modules/$rel"/modules.builtin* "$kroot/lib/modules/$rel/modules.order" \
	"$r/lib/modules/$rel/"
chroot "$r" /sbin/depmod "$rel" || bail "depmod fails in the guest's root"
# The serial console is the test's: no login prompt on it.
ln -sf /dev/null "$r/etc/systemd/system/serial-getty@ttyS0.service"
ln -sf /dev/null "$r/etc/systemd/system/getty@tty1.service"
echo devsnap-guest >"$r/etc/hostname"
[ -s "$r/etc/machine-id" ] || systemd-id128 new >"$r/etc/machine-id"
(cd "$r" && find . | cpio -o -H newc --quiet | zstd -q -T0 -3) >"$work/initrd.cpio.zst" ||
	bail "cannot pack the initramfs"
log "root with the package installed, packed in $(elapsed "$t0"): $(du -h "$work/initrd.cpio.zst" | cut -f1)"
rm -rf "$r"

# --- Boots ------------------------------------------------------------------
# TCG, not KVM (a KVM guest hangs on these machines).  The initramfs is the
# root: systemd runs from it as from a disk (no initrd-release).
loops=devsnap_guest.loops=${DEVSNAP_CRASH_LOOPS:-15}
total=0
fail=0
: >"$work/tap.txt"

# le64 VALUE: its 8 bytes, little-endian.
le64() {
	v=$1 b=0 s=
	while [ $b -lt 8 ]; do
		s="$s\\$(printf %03o $((v & 255)))"
		v=$((v >> 8)) b=$((b + 1))
	done
	printf "$s"
}

# boot NAME ARGS [QEMU OPTIONS...]: boots the guest with devsnap_guest.mode=NAME
# and ARGS on its command line; its console in $work/console-NAME.txt.  With
# $kill_on set, the monitor's `quit` as soon as the console shows that line.
boot() {
	name=$1 args=$2
	shift 2
	mon=$work/monitor
	rm -f "$mon.in" "$mon.out"
	mkfifo "$mon.in" "$mon.out"
	t0=$(secs)
	cmdline="console=ttyS0 rdinit=/sbin/init panic=-1 loglevel=1 systemd.show_status=0"
	timeout "$timeout_s" "$qemu" -accel tcg -cpu max -smp 2 -m 1536M -nographic -no-reboot \
		-nic none -monitor "pipe:$mon" -kernel "$kroot/boot/vmlinuz-$rel" \
		-initrd "$work/initrd.cpio.zst" -append "$cmdline devsnap_guest.mode=$name $args" \
		"$@" </dev/null >"$work/console-$name.log" 2>&1 &
	qpid=$!
	# The monitor's replies go nowhere: drain them.
	cat "$mon.out" >/dev/null &
	drain=$!
	if [ -n "${kill_on:-}" ]; then
		while kill -0 "$qpid" 2>/dev/null && ! grep -q "$kill_on" "$work/console-$name.log"; do
			sleep 0.2
		done
		if kill -0 "$qpid" 2>/dev/null; then
			echo quit >"$mon.in"
			log "$name: the monitor's quit, $(elapsed "$t0") after QEMU started"
		fi
	fi
	wait "$qpid"
	qrc=$?
	kill "$drain" 2>/dev/null
	rm -f "$mon.in" "$mon.out"
	tr -d '\r' <"$work/console-$name.log" >"$work/console-$name.txt"
	log "$name: guest ran for $(elapsed "$t0") (qemu exit $qrc), console in $work/console-$name.txt"
	# The guest's TAP, numbered on from the boots before; its plan dropped.
	sed -n '/^DEVSNAP-TAP-BEGIN$/,/^DEVSNAP-TAP-END$/p' "$work/console-$name.txt" |
		grep -E '^(ok |not ok |# )' |
		awk -v base="$total" -v boot="$name" '
			/^(not )?ok [0-9]+ / { split($0, w, " "); i = (w[1] == "ok") ? 2 : 3
				sub(/^(not )?ok [0-9]+ - /, "")
				printf "%s %d - %s: %s\n", (i == 2 ? "ok" : "not ok"), base + w[i], boot, $0
				next }
			{ print }' >"$work/tap-$name.txt"
	tee -a "$work/tap.txt" <"$work/tap-$name.txt"
	total=$((total + $(grep -cE '^(not )?ok ' "$work/tap-$name.txt")))
	grep -q '^not ok' "$work/tap-$name.txt" && fail=1
	guest_plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$work/console-$name.txt" | tail -n 1)
	if [ -n "${kill_on:-}" ]; then
		return 0
	elif ! grep -qx DEVSNAP-TAP-END "$work/console-$name.txt" || [ -z "$guest_plan" ]; then
		[ "$qrc" -eq 124 ] && log "the guest did not finish in $timeout_s s"
		tail -n 40 "$work/console-$name.txt" | sed 's/^/# console: /'
		total=$((total + 1))
		echo "not ok $total - $name: the guest finishes its tests"
		fail=1
	fi
}

boot ci "$loops"

# --- make check-slow: the store on a disk, across reboots -------------------
if [ "${DEVSNAP_GUEST_SLOW:-0}" = 1 ]; then
	t0=$(secs)
	img=$work/store.img
	rm -f "$img"
	truncate -s 512M "$img"
	mkfs.ext4 -q -F -L devsnap-store -E root_owner=0:0 "$img" || bail "mkfs.ext4 fails"
	# A large dump for a save cut short: 128 MiB of random bytes behind
	# x86-64 tables (PML4 0x1000, PDPT 0x2000, PD 0x3000, 2 MiB blocks),
	# captured with the package's devsnap, on a second (read-only) disk.
	rm -rf "$work/pkg"
	dpkg-deb -x "$debs"/devsnap_*_amd64.deb "$work/pkg" || bail "cannot unpack devsnap.deb"
	dpkg-deb -x "$debs"/libdevsnap0_*_amd64.deb "$work/pkg" ||
		bail "cannot unpack libdevsnap0.deb"
	mem=$work/big.mem
	rm -f "$mem"
	truncate -s 130M "$mem"
	le64 $((0x2003)) | dd of="$mem" bs=1 seek=$((0x1000)) conv=notrunc status=none
	le64 $((0x3003)) | dd of="$mem" bs=1 seek=$((0x2000)) conv=notrunc status=none
	k=0
	while [ $k -lt 64 ]; do le64 $(((k + 1) * 0x200000 | 0x83)); k=$((k + 1)); done |
		dd of="$mem" bs=1 seek=$((0x3000)) conv=notrunc status=none
	head -c 128M /dev/urandom | dd of="$mem" bs=2M seek=1 conv=notrunc status=none
	LD_LIBRARY_PATH=$(dirname "$(find "$work/pkg" -name libdevsnap.so.0 | head -1)") \
		"$work/pkg/usr/bin/devsnap" capture -q --memory "$mem" --format x86_64 --root 0x1000 \
		-o "$work/big.core" || bail "cannot capture the large dump"
	rm -f "$mem"
	big=$(stat -c %s "$work/big.core")
	truncate -s %1M "$work/big.core" # whole sectors for the disk; the guest reads $big bytes
	log "a 512 MiB ext4 store image and a $((big >> 20)) MiB dump made in $(elapsed "$t0")"
	# With devsnap_guest.store=disk, store-generator mounts /dev/vda at the store.
	disk=devsnap_guest.store=disk
	store="-drive file=$img,if=virtio,format=raw"
	dump="-drive file=$work/big.core,if=virtio,format=raw,readonly=on"

	# shellcheck disable=SC2086
	boot store-saved "$disk" $store
	# What one boot tells the next, from its console.
	saved=$(sed -n 's/^# for the next boot: saved=\([^ ]*\)$/\1/p' "$work/console-store-saved.txt")
	kill_on=DEVSNAP-QUIT-NOW
	# shellcheck disable=SC2086
	boot store-quit "$disk devsnap_guest.saved=$saved devsnap_guest.big=$big" $store $dump
	kill_on=
	quit_state=$(sed -n \
		's/^# for the next boot: used=\([0-9]*\) entries=\([0-9]*\)$/used=\1 devsnap_guest.entries=\2/p' \
		"$work/console-store-quit.txt")
	# shellcheck disable=SC2086
	boot store-after "$disk devsnap_guest.saved=$saved devsnap_guest.$quit_state" $store
	rm -f "$img" "$work/big.core"
fi

echo "1..$total"
[ "$total" -gt 0 ] || bail "the guest printed no test"
exit $fail
