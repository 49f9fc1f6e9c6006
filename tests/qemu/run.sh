#!/bin/sh
# devsnap in a real Linux kernel: Debian's own kernel under QEMU (TCG), a
# test module with device page tables and devcoredumps, and the guest's
# /init (init.sh) running the checks.  Re-emits the guest's TAP.
# Usage: run.sh DEVSNAP WORKDIR   (WORKDIR keeps the kernel cache between runs)
set -u
here=$(cd "$(dirname "$0")" && pwd)
devsnap=$(realpath "$1")
work=$2
mkdir -p "$work"
work=$(cd "$work" && pwd)
timeout_s=${DEVSNAP_QEMU_TIMEOUT:-420}

bail() { echo "Bail out! $*"; exit 1; }
log() { echo "# $*"; }
secs() { date +%s.%N | cut -c1-14; }
elapsed() { awk -v a="$1" -v b="$(secs)" 'BEGIN { printf "%.1f s", b - a }'; }

qemu=$(command -v qemu-system-x86_64) || { echo "1..0 # SKIP no qemu-system-x86_64"; exit 0; }
for tool in busybox cpio make; do
	command -v $tool >/dev/null || { echo "1..0 # SKIP no $tool"; exit 0; }
done
# The guest has no libc of its own for busybox: it must be busybox-static.
busybox=$(command -v busybox)
case $(ldd "$busybox" 2>&1) in
*"not a dynamic"*) ;;
*) echo "1..0 # SKIP $busybox is not busybox-static"; exit 0 ;;
esac

# --- The kernel, its headers, devsnap.ko and the test module ------------
t0=$(secs)
rel=$("$here/kernel.sh" "$work/cache" 2>"$work/kernel.log") ||
	{ sed 's/^/# /' "$work/kernel.log"; bail "cannot get Debian's kernel"; }
kroot=$work/cache/$rel
log "kernel $rel ready in $(elapsed "$t0")"

t0=$(secs)
rm -rf "$work/module"
mkdir -p "$work/module"
cp "$here/module/devsnap_qemu_main.c" "$here/module/Kbuild" "$work/module/"
# kernel/ and its lib/ link are built from a copy: Kbuild writes its objects
# next to the sources, which must not land in the repository.
cp -RL "$here/../../kernel" "$work/module/kernel"
cp -RL "$here/../../lib" "$work/module/lib"
make -j"$(nproc 2>/dev/null || echo 2)" -C "/usr/src/linux-headers-$rel" M="$work/module" modules >"$work/module.log" 2>&1 ||
	{ sed 's/^/# /' "$work/module.log"; bail "devsnap.ko or the test module does not build"; }
grep -q 'warning:' "$work/module.log" &&
	{ sed 's/^/# /' "$work/module.log"; bail "devsnap.ko or the test module builds with warnings"; }
log "modules built in $(elapsed "$t0")"
# kernel-doc, as the kernel's own tree checks it.
kdoc=/usr/src/linux-headers-$rel/scripts/kernel-doc
if [ -x "$kdoc" ]; then
	"$kdoc" -none -Werror "$here"/../../kernel/*.[ch] >"$work/kernel-doc.log" 2>&1 ||
		{ sed 's/^/# /' "$work/kernel-doc.log"; bail "kernel-doc finds faults in kernel/"; }
fi

# --- The initramfs --------------------------------------------------------
rm -rf "$work/root"
r=$work/root
mkdir -p "$r/bin" "$r/modules/hwpoison"
cp "$busybox" "$r/bin/busybox"
cp "$here/init.sh" "$r/init"
chmod 755 "$r/init"
cp "$work/module/kernel/devsnap.ko" "$work/module/devsnap_qemu_test.ko" "$r/modules/"
# devsnap as the normal build made it, with its shared libraries.
"$here/guest_bin.sh" "$devsnap" "$r" || bail "cannot put devsnap in the initramfs"

# hwpoison-inject and what it depends on (the package ships no modules.dep:
# read depends= from each module's .modinfo), loaded in dependency order.
modtree=$kroot/lib/modules/$rel/kernel
add_module() { # NAME: copies it after its dependencies, into the order file
	grep -qx "$1.ko" "$r/modules/hwpoison/order" 2>/dev/null && return 0
	f=$(find "$modtree" -name "$1.ko*" | head -n 1)
	[ -n "$f" ] || { log "no module $1 in $modtree"; return 1; }
	case $f in
	*.ko) cp "$f" "$r/modules/hwpoison/$1.ko" ;;
	*.ko.xz) xz -dc "$f" >"$r/modules/hwpoison/$1.ko" ;;
	*.ko.zst) zstd -q -dc "$f" >"$r/modules/hwpoison/$1.ko" ;;
	*) log "cannot unpack $f"; return 1 ;;
	esac || return 1
	deps=$(objcopy -O binary --only-section=.modinfo "$r/modules/hwpoison/$1.ko" /dev/stdout |
	       tr '\0' '\n' | sed -n 's/^depends=//p' | tr ',' ' ')
	for d in $deps; do add_module "$(echo "$d" | tr - _)" || return 1; done
	echo "$1.ko" >>"$r/modules/hwpoison/order"
}
add_module hwpoison-inject || rm -rf "$r/modules/hwpoison"

(cd "$r" && find . | cpio -o -H newc --quiet) >"$work/initrd.cpio" || bail "cpio failed"

# --- Boot -----------------------------------------------------------------
# TCG, not KVM: a KVM guest hangs on these machines.  loglevel=1 keeps the
# kernel's messages off the console the TAP goes through; the guest prints
# its dmesg when a check fails.  The 128 MiB DIMM is hotplug memory, which
# the kernel adds as System RAM and, told by memhp_default_state, leaves
# offline: the offline memory capture must skip.
t0=$(secs)
timeout "$timeout_s" "$qemu" -accel tcg -cpu max -smp 1 -nographic -no-reboot \
	-m 512M,slots=1,maxmem=1G \
	-object memory-backend-ram,id=hotplug0,size=128M -device pc-dimm,memdev=hotplug0 \
	-kernel "$kroot/boot/vmlinuz-$rel" -initrd "$work/initrd.cpio" \
	-append "console=ttyS0 panic=-1 loglevel=1 memhp_default_state=offline" \
	</dev/null >"$work/console.log" 2>&1
qrc=$?
tr -d '\r' <"$work/console.log" >"$work/console.txt"
log "guest ran for $(elapsed "$t0") (qemu exit $qrc), console in $work/console.txt"

sed -n '/^DEVSNAP-TAP-BEGIN$/,/^DEVSNAP-TAP-END$/p' "$work/console.txt" |
	grep -v '^DEVSNAP-TAP-' >"$work/tap.txt"
cat "$work/tap.txt"
if ! grep -qx DEVSNAP-TAP-END "$work/console.txt"; then
	[ "$qrc" -eq 124 ] && log "the guest did not finish in $timeout_s s"
	tail -n 30 "$work/console.txt" | sed 's/^/# console: /'
	bail "the guest never finished its tests"
fi
grep -q '^not ok' "$work/tap.txt" && exit 1
grep -q '^1\.\.[1-9]' "$work/tap.txt" || bail "the guest printed no plan"
exit 0
