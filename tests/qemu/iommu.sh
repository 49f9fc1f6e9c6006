#!/bin/sh
# A real device's IOMMU domain: Debian's kernel under QEMU (TCG), q35 with
# intel-iommu at aw-bits 39 and 48, or amd-iommu, and an e1000e whose
# driver maps its receive ring.  From a dump-guest-memory of the waiting
# guest, devsnap capture --pci must give exactly the mappings that an
# independent walk by the VT-d or AMD-Vi rules (iommu_walk, which shares no
# code with lib/) gives, and the ring's bytes at its PA; the capture the
# guest made from its own /proc/kcore must give them too.  TAP on stdout.
# Usage: iommu.sh DEVSNAP IOMMU_WALK WORKDIR
set -u
here=$(cd "$(dirname "$0")" && pwd)
devsnap=$(realpath "$1")
iommu_walk=$(realpath "$2")
work=$3
mkdir -p "$work"
work=$(cd "$work" && pwd)
timeout_s=${DEVSNAP_QEMU_TIMEOUT:-240}

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
bail() { echo "Bail out! $*"; exit 1; }
log() { echo "# $*"; }
diag() { sed 's/^/# /' "$@"; }
check() { # description, command...
	desc=$1; shift
	if "$@" >"$work/out" 2>&1; then ok "$desc"; else not_ok "$desc"; diag "$work/out"; fi
}

qemu=$(command -v qemu-system-x86_64) || { echo "1..0 # SKIP no qemu-system-x86_64"; exit 0; }
for tool in busybox cpio; do
	command -v $tool >/dev/null || { echo "1..0 # SKIP no $tool"; exit 0; }
done
busybox=$(command -v busybox)
case $(ldd "$busybox" 2>&1) in
*"not a dynamic"*) ;;
*) echo "1..0 # SKIP $busybox is not busybox-static"; exit 0 ;;
esac

rel=$("$here/kernel.sh" "$work/cache" 2>"$work/kernel.log") ||
	{ diag "$work/kernel.log"; bail "cannot get Debian's kernel"; }
kroot=$work/cache/$rel
e1000e=$(find "$kroot/lib/modules/$rel" -name 'e1000e.ko*' | head -n 1)
[ -n "$e1000e" ] || bail "no e1000e module in Debian's kernel package"

# --- The initramfs: busybox, devsnap and its libraries, e1000e --------------
r=$work/iommu-root
rm -rf "$r"
mkdir -p "$r/bin" "$r/modules"
cp "$busybox" "$r/bin/busybox"
cp "$here/iommu_init.sh" "$r/init"
chmod 755 "$r/init"
case $e1000e in
*.ko) cp "$e1000e" "$r/modules/e1000e.ko" ;;
*.ko.xz) xz -dc "$e1000e" >"$r/modules/e1000e.ko" ;;
*.ko.zst) zstd -q -dc "$e1000e" >"$r/modules/e1000e.ko" ;;
esac
# devsnap as the normal build made it, with its shared libraries.
"$here/guest_bin.sh" "$devsnap" "$r" || bail "cannot put devsnap in the initramfs"
(cd "$r" && find . | cpio -o -H newc --quiet) >"$work/iommu-initrd.cpio" || bail "cpio failed"

# --- One guest per address width -------------------------------------------
# boot NAME IOMMU_DEVICE NIC_ADDR KERNEL_ARGS: runs the guest with its monitor on the FIFOs $w/mon.{in,out},
# waits for it to say "ready", reads RTADDR_REG with the monitor's xp and
# dumps the guest's memory while it waits.  The NIC has no network: no
# packet comes to change its buffers between the guest's capture and the
# dump.
boot() {
	name=$1 iommu=$2 nic=$3 extra=$4
	w=$work/iommu-$name
	xp=0xfed90020 # VT-d RTADDR_REG
	case $iommu in amd-iommu*) xp=0xfed80000 ;; esac # AMD-Vi device table base
	rm -rf "$w"
	mkdir -p "$w"
	echo "${xp#0x}" >"$w/xp.addr"
	mkfifo "$w/mon.in" "$w/mon.out"
	# The wait below is bounded by timeout_s; the dump and quit get more.
	timeout $((timeout_s + 120)) "$qemu" -accel tcg -cpu max -smp 1 -m 192M -nographic -no-reboot \
		-machine q35 -device "$iommu" -device e1000e,addr="$nic" \
		-monitor pipe:"$w/mon" \
		-kernel "$kroot/boot/vmlinuz-$rel" -initrd "$work/iommu-initrd.cpio" \
		-append "console=ttyS0 panic=-1 loglevel=1 iommu.passthrough=0 iomem=relaxed no_timer_check $extra" \
		</dev/null >"$w/console.log" 2>&1 &
	qpid=$!
	t0=$(date +%s)
	cat "$w/mon.out" >"$w/monitor.log" &
	catpid=$!
	exec 5>"$w/mon.in"
	waited=0
	until grep -q '^IOMMU-GUEST ready' "$w/console.log"; do
		kill -0 "$qpid" 2>/dev/null || break
		sleep 1
		waited=$((waited + 1))
		[ "$waited" -lt "$timeout_s" ] || break
	done
	echo "xp /1gx $xp" >&5
	echo "dump-guest-memory $w/vmcore" >&5
	echo "quit" >&5
	wait "$qpid"
	echo "qemu exit $?, $(($(date +%s) - t0)) s" >"$w/qemu.rc"
	exec 5>&-
	kill "$catpid" 2>/dev/null
	tr -d '\r' <"$w/console.log" >"$w/console.txt"
}

# Lines "IOVA PA PERM", one per 4K page, from a dump's segments.
dump_pages() {
	"$devsnap" maps --json=pretty "$1" | awk -F'"' '
		/"va":/ { va = $4 } /"pa":/ { pa = $4 }
		/"size":/ { sz = $3; gsub(/[^0-9]/, "", sz) }
		/"perm":/ { print va, pa, sz, $4 }' | "$iommu_walk" pages
}

# The register the monitor's xp read in guest W.
monitor_value() {
	tr -d '\r' <"$1/monitor.log" | sed -n "s/^0*$(cat "$1/xp.addr"): //p"
}

# check_guest NAME KIND FORMAT BDF: the checks of one guest; KIND vtd or
# amd, FORMAT what its info must say ("vtd, 39-bit VA").
check_guest() {
	name=$1 kind=$2 format=$3 bdf=$4
	w=$work/iommu-$name
	t=$w/console.txt
	opt=--vtd-root-table reg=RTADDR_REG
	[ "$kind" = amd ] && opt=--amd-dev-table reg="the device table base"
	if ! grep -q '^IOMMU-GUEST ready' "$t"; then
		not_ok "$name: the guest brought its e1000e up and waited"
		tail -n 30 "$t" | diag
		return
	fi
	ok "$name: the guest brought its e1000e up and waited"
	grep '^IOMMU-GUEST' "$t" | diag
	diag "$w/qemu.rc"
	guest=$(sed -n 's/^IOMMU-GUEST table //p' "$t")
	xp=$(monitor_value "$w")
	check "$name: $reg is $xp from the monitor's xp, the same in the guest" \
		test -n "$xp" -a $((xp)) -eq $((guest))
	[ -s "$w/vmcore" ] || { not_ok "$name: dump-guest-memory wrote $w/vmcore"; return; }

	check "$name: devsnap capture --vmcore $opt $xp --pci $bdf" \
		"$devsnap" capture --vmcore "$w/vmcore" "$opt" "$xp" --pci "$bdf" -o "$w/dump" -q
	"$devsnap" info "$w/dump" >"$w/info.txt" 2>&1
	check "$name: the dump says $format, function 0000:$bdf" \
		sh -c "grep -q 'Format: $format' '$w/info.txt' &&
		       grep -q 'PCI function: 0000:$bdf, IOMMU domain' '$w/info.txt'"
	if "$iommu_walk" "$kind" "$w/vmcore" "$xp" "$bdf" >"$w/walk.txt" 2>"$w/walk.err"; then
		diag "$w/walk.err"
		dump_pages "$w/dump" >"$w/pages.txt"
		pages=$(wc -l <"$w/walk.txt")
		if [ "$pages" -gt 0 ] && cmp -s "$w/walk.txt" "$w/pages.txt"; then
			ok "$name: $pages pages (IOVA, PA, R/W), the same as the independent walk"
		else
			not_ok "$name: the capture's pages are the independent walk's"
			diff "$w/walk.txt" "$w/pages.txt" | head -n 20 | diag
		fi
	else
		not_ok "$name: the independent walk"
		diag "$w/walk.err"
	fi
	check_ring "$name" "$w" "$t"
	check_kcore "$name" "$w" "$t"
	check_cr3 "$w" "$t"
}

# The CPU's own tables from the same dump: CR3 and CR4.LA57 from its QEMU
# note, the kernel's first text page mapped.
check_cr3() {
	w=$1 t=$2
	text=0x$(sed -n 's/^IOMMU-GUEST text //p' "$t")
	levels=$(sed -n 's/^IOMMU-GUEST paging //p' "$t")
	fmt=x86_64
	[ "$levels" = 5 ] && fmt=x86_64-5l
	"$devsnap" capture --vmcore "$w/vmcore" --root cr3 --va-range "$text+0x1000" \
		-o "$w/cpu.core" -q >"$w/cpu.out" 2>&1 && "$devsnap" info "$w/cpu.core" >>"$w/cpu.out"
	check "--root cr3: CPU 0's $levels-level tables ($fmt) map the kernel's text at $text" \
		sh -c "grep -q 'Format: $fmt,' '$w/cpu.out' && grep -q 'Saved: 4.0 KiB' '$w/cpu.out'"
}

# The receive ring: its bytes in the dump at its IOVA are the guest's at
# its PA, and every buffer its descriptors give is mapped writable.
check_ring() {
	name=$1 w=$2 t=$3
	set -- $(sed -n 's/^IOMMU-GUEST ring //p' "$t")
	iova=$((($1 << 32) | $2)) len=$(($3))
	iova_hex=$(printf '0x%x' "$iova")
	pa=$(awk -v v="$iova_hex" '$1 == v { print $2 }' "$w/walk.txt")
	if [ -z "$pa" ] || [ "$len" -eq 0 ]; then
		not_ok "$name: the receive ring at IOVA $iova_hex is mapped"
		return
	fi
	"$devsnap" read "$w/dump" "$iova_hex" "$len" -o "$w/ring.dump" 2>"$w/err"
	"$iommu_walk" read "$w/vmcore" "$pa" "$len" >"$w/ring.phys" 2>>"$w/err"
	check "$name: the receive ring's $len bytes at IOVA $iova_hex are the guest's at PA $pa" \
		cmp "$w/ring.dump" "$w/ring.phys"
	# Extended receive descriptors, 16 bytes: the buffer's IOVA first.
	od -An -v -tx8 -w16 "$w/ring.dump" | awk '$1 !~ /^0+$/ { print "0x" $1 }' |
		sort -u >"$w/buffers"
	bad=0
	while read -r buf; do
		grep -q "^$(printf '0x%x' $((buf & ~0xfff))) .* .w$" "$w/walk.txt" || bad=$((bad + 1))
	done <"$w/buffers"
	check "$name: the $(wc -l <"$w/buffers") receive buffers the ring names are mapped writable" \
		test "$bad" -eq 0
}

# The capture the guest made from its own /proc/kcore, before the dump.
check_kcore() {
	name=$1 w=$2 t=$3
	if grep -q '^IOMMU-GUEST error kcore' "$t"; then
		not_ok "$name: devsnap capture --kcore in the guest"
		grep '^IOMMU-GUEST error kcore' "$t" | diag
		return
	fi
	sed -n 's/^IOMMU-KCORE //p' "$t" | "$iommu_walk" pages >"$w/kcore-pages.txt"
	check "$name: the guest's capture from /proc/kcore has the same pages" \
		cmp "$w/walk.txt" "$w/kcore-pages.txt"
}

# All three guests at once: each is single-threaded TCG.  At 48 bits the
# IOVAs come from the top of the space (forcedac: none below 4G), bit 47
# set: they must stay as they are, never sign-extended.  QEMU's amd-iommu
# takes slot 3 for itself: the NIC goes to slot 4.
boot vtd-aw39 intel-iommu,aw-bits=39,intremap=off 03.0 intel_iommu=on &
b1=$!
boot vtd-aw48 intel-iommu,aw-bits=48,intremap=off 03.0 "intel_iommu=on iommu.forcedac=1" &
b2=$!
boot amd amd-iommu,intremap=off 04.0 "amd_iommu=on IOMMU_KIND=amd IOMMU_BDF=0000:00:04.0" &
b3=$!
wait "$b1" "$b2" "$b3"
check_guest vtd-aw39 vtd "vtd, 39-bit VA" 00:03.0
check_guest vtd-aw48 vtd "vtd, 48-bit VA" 00:03.0
check_guest amd amd "amd-v1, 39-bit VA" 00:04.0

w=$work/iommu-vtd-aw48
xp=$(monitor_value "$w")
"$devsnap" capture --vmcore "$w/vmcore" --vtd-root-table "$xp" --pci 00:1e.0 -o "$w/none" \
	>"$w/out" 2>&1
check "a function without a context entry: one clear error, no dump" \
	sh -c "[ $? -eq 1 ] && grep -q 'no context entry for the function' '$w/out' &&
	       [ \$(wc -l <'$w/out') -eq 1 ] && [ ! -e '$w/none' ]"
diag "$w/out"
w=$work/iommu-amd
xp=$(monitor_value "$w")
"$devsnap" capture --vmcore "$w/vmcore" --amd-dev-table "$xp" --pci 00:03.0 -o "$w/none" \
	>"$w/out" 2>&1
check "the AMD IOMMU's own function, not translated: one clear error, no dump" \
	sh -c "[ $? -eq 1 ] && grep -q 'translates nothing' '$w/out' &&
	       [ \$(wc -l <'$w/out') -eq 1 ] && [ ! -e '$w/none' ]"
diag "$w/out"

echo "1..$n"
[ "$failed" -eq 0 ] || exit 1
# The guests' memory is large and worth nothing once the checks pass.
rm -f "$work"/iommu-*/vmcore
exit 0
