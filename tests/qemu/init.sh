#!/bin/busybox sh
# /init of the QEMU test guest (tests/qemu/run.sh builds the initramfs):
# devsnap against a real kernel.  /proc/kcore capture of the test module's
# device page tables, real devcoredumps through the collector, then the
# device's crash snapshotted in the kernel by devsnap.ko.  Prints
# TAP on the console between "DEVSNAP-TAP-BEGIN" and "DEVSNAP-TAP-END", then
# powers off.
/bin/busybox mkdir -p /proc /sys /dev /tmp /usr/bin /sbin /usr/sbin
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
exec </dev/console >/dev/console 2>&1

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
diag() { sed 's/^/# /' "$@"; }
check() { # description, command...
	desc=$1; shift
	if "$@" >/tmp/out 2>/tmp/err; then ok "$desc"; else
		not_ok "$desc"; diag /tmp/out /tmp/err; fi
}
has() { grep -q -- "$2" "$1"; }
finish() {
	echo "1..$n"
	if [ "$failed" -ne 0 ]; then
		echo "# kernel log, last lines:"
		dmesg | tail -n 40 | diag
	fi
	echo DEVSNAP-TAP-END
	sync
	poweroff -f
}
# Centiseconds since boot, for timings.
now_cs() { read -r up _ </proc/uptime; echo "${up%.*}${up#*.}"; }
# wait_for SECONDS COMMAND...: polls every 10 ms until COMMAND succeeds.
wait_for() {
	limit=$(($1 * 100)); shift
	while ! "$@" 2>/dev/null; do
		limit=$((limit - 1))
		[ "$limit" -gt 0 ] || return 1
		usleep 10000
	done
}

# maps --json DUMP as lines: VA PA SIZE STATE (saved, or why not)
maps_lines() {
	devsnap maps --json=pretty "$1" | awk -F'"' '
		/"va":/ { va = $4 } /"pa":/ { pa = $4 }
		/"size":/ { sz = $3; gsub(/[^0-9]/, "", sz) }
		/"saved": true/ { print va, pa, sz, "saved" }
		/"skipped":/ { print va, pa, sz, $4 }'
}
# seg_of LINES VA: the PA of VA by the segment holding it, and its state
seg_of() {
	while read -r sva spa ssz sst; do
		if [ $(($2)) -ge $((sva)) ] && [ $(($2)) -lt $((sva + ssz)) ]; then
			echo "$((spa + $2 - sva)) $sst"; return
		fi
	done <"$1"
}

# After the firmware's and the kernel's own lines, which may not end in one.
echo
echo DEVSNAP-TAP-BEGIN
dbg=/sys/kernel/debug/devsnap_qemu_test

# --- the kernel's own page tables: shared pages stored once (issue 12) ---
# init_top_pgt's PA from its VA: "Kernel code" in /proc/iomem starts at
# _text's PA.  The espfix area (one PGD entry at 0xffffff0000000000) maps a
# few stack pages at tens of thousands of VAs.
kernel_pgd() {
	text=$(awk '$3 == "_text" { print $1 }' /proc/kallsyms)
	pgt=$(awk '$3 == "init_top_pgt" { print $1 }' /proc/kallsyms)
	code=$(sed -n 's/^ *\([0-9a-f]*\)-[0-9a-f]* : Kernel code$/\1/p' /proc/iomem)
	[ -n "$text" ] && [ -n "$pgt" ] && [ -n "$code" ] &&
		printf '%#x\n' $((0x$code + 0x${pgt#????????} - 0x${text#????????}))
}
json_u64() { sed -n "s/.*\"$2\": *\([0-9]*\).*/\1/p" "$1" | head -n 1; }
espfix_sizes() { # the dump's size as written and as it would be with no sharing
	devsnap info --json /tmp/espfix.core >/tmp/espfix.json || return 1
	size=$(json_u64 /tmp/espfix.json file_size)
	saved=$(json_u64 /tmp/espfix.json saved)
	in_file=$(json_u64 /tmp/espfix.json in_file)
	echo "kernel espfix tables: dump $size bytes with sharing," \
		"$((size - in_file + saved)) without; $(json_u64 /tmp/espfix.json aliases) aliases"
	[ "$in_file" -lt "$saved" ]
}
fmt=x86_64
grep -qw la57 /proc/cpuinfo && fmt=x86_64-5l
if ! pgd=$(kernel_pgd); then
	not_ok "the kernel's init_top_pgt and Kernel code in /proc/kallsyms and /proc/iomem"
elif ! devsnap capture --kcore --format $fmt --root "$pgd" -o /tmp/espfix.core \
	--va-range 0xffffff0000000000-0xffffff8000000000 >/tmp/out 2>/tmp/err; then
	not_ok "capture --kcore of the kernel's own $fmt tables at $pgd, espfix area"
	diag /tmp/out /tmp/err
else
	ok "capture --kcore of the kernel's own $fmt tables at $pgd, espfix area"
	diag /tmp/out
	check "verify passes on it" devsnap verify /tmp/espfix.core
	check "it is smaller by the aliased bytes" espfix_sizes
	diag /tmp/out
	maps_lines /tmp/espfix.core | awk '$4 == "saved" { if (seen[$2]) { print seen[$2], $1; exit }
		seen[$2] = $1 }' >/tmp/alias
	read -r va1 va2 </tmp/alias
	check "read at two VAs of one page ($va1, $va2) gives the same bytes" \
		sh -c "devsnap read /tmp/espfix.core $va1 4K -o /tmp/a1 &&
		       devsnap read /tmp/espfix.core $va2 4K -o /tmp/a2 && cmp /tmp/a1 /tmp/a2"
	rm -f /tmp/espfix.core /tmp/a1 /tmp/a2
fi

# --- /proc/kcore capture of the module's device page tables (issue 4) ----
# The first page of a memory block the kernel left offline: run.sh's DIMM.
offline_block_pa() {
	bs=$((0x$(cat /sys/devices/system/memory/block_size_bytes)))
	for d in /sys/devices/system/memory/memory*; do
		[ "$(cat "$d/state")" = offline ] || continue
		n=${d##*memory}
		echo $((n * bs)); return 0
	done
	false
}
in_system_ram() { # PA: /proc/iomem lists it as System RAM
	sed -n 's/^ *\([0-9a-f]*\)-\([0-9a-f]*\) : System RAM$/\1 \2/p' /proc/iomem >/tmp/ram
	while read -r first last; do
		[ "$1" -ge $((0x$first)) ] && [ "$1" -le $((0x$last)) ] && return 0
	done </tmp/ram
	grep 'System RAM' /proc/iomem; false
}
if offline_pa=$(offline_block_pa); then
	ok "memory block at $(printf %#x "$offline_pa") is offline"
	check "it is System RAM in /proc/iomem all the same" in_system_ram "$offline_pa"
else
	not_ok "a memory block is offline (run.sh's DIMM)"
	ls /sys/devices/system/memory | diag
	offline_pa=0
fi
if ! insmod /modules/devsnap.ko 2>/tmp/err ||
   ! insmod /modules/devsnap_qemu_test.ko offline_pa="$offline_pa" 2>>/tmp/err; then
	not_ok "devsnap.ko and the test module load"; diag /tmp/err; finish
fi
ok "devsnap.ko and the test module load"
# devsnap's dev_dbg lines, for the order of snapshot and delivery.
echo 'module devsnap +p' >/sys/kernel/debug/dynamic_debug/control
root=$(cat $dbg/root)
# layout: NAME VA PA SIZE, one line per mapping
layout() { awk -v n="$1" -v f="$2" '$1 == n { print $f }' $dbg/layout; }
diag $dbg/layout

check "capture --kcore of the device's x86_64 tables at $root" \
	devsnap capture --kcore --format x86_64 --root "$root" -q -o /tmp/k.core \
	--device devsnap_qemu_test --driver devsnap_qemu_test
check "verify passes on the kcore capture" devsnap verify /tmp/k.core
devsnap maps /tmp/k.core 2>&1 | diag
maps_lines /tmp/k.core >/tmp/maps.txt

# Every RAM mapping: the dump's bytes at its device VA are exactly what the
# kernel sees in the page (the module's blob), and not all the same byte.
for m in page0 page1 page2 page3 poison block; do
	va=$(layout $m 2); size=$(layout $m 4)
	if devsnap read /tmp/k.core "$va" "$size" -o /tmp/$m.bin 2>/tmp/err &&
	   cmp /tmp/$m.bin $dbg/$m >/tmp/out 2>>/tmp/err &&
	   [ "$(head -n 1 /tmp/$m.bin)" = "devsnap-qemu $m page 0" ]; then
		ok "$m: $size bytes at device VA $va match the kernel's page"
	else
		not_ok "$m: $size bytes at device VA $va match the kernel's page"
		diag /tmp/out /tmp/err
	fi
done
last=$(($(layout block 4) / 4096 - 1))
check "block: its last 4K page holds its own header" \
	sh -c "devsnap read /tmp/k.core $(($(layout block 2) + last * 4096)) 32 |
	       grep -qx 'devsnap-qemu block page $last'"

# The dump's segment holding each mapping's VA is at the PA in the module's
# PTE, and saved, or not-ram for the page outside RAM, offline for the page
# in the offline block.
segments_match() { # MAPS-LINES STATE-OF-POISON
	bad=
	for m in $(cut -d' ' -f1 $dbg/layout); do
		want=saved
		[ $m = mmio ] && want=not-ram
		[ $m = offline ] && want=offline
		[ $m = poison ] && want=$2
		got=$(seg_of "$1" "$(layout $m 2)")
		[ "$got" = "$(($(layout $m 3))) $want" ] || bad="$bad $m($got)"
	done
	[ -z "$bad" ] || { echo "wrong:$bad"; cat "$1"; false; }
}
check "every mapping is in the dump at the PA in its PTE, saved, not-ram or offline" \
	segments_match /tmp/maps.txt saved
count() { [ "$(grep -c -- "$2" "$1")" -eq "$3" ]; } # FILE REGEX N
check "the 4 scattered pages and the poison page are 5 one-page segments" \
	count /tmp/maps.txt ' 4096 saved$' 5
check "only the pages at PA 0xfee00000 and in the offline block are skipped" \
	count /tmp/maps.txt ' saved$' 6
devsnap info /tmp/k.core >/tmp/info 2>&1
info_is() { grep -q "^ *$1: $2\$" /tmp/info || { cat /tmp/info; false; }; }
check "info: 8 segments, 6 saved" info_is Segments "8, 6 saved"
check "info: 4.0 KiB skipped as not-ram, 4.0 KiB as offline" \
	info_is Skipped "4.0 KiB not-ram, 4.0 KiB offline"
check "info: device and driver as given" \
	sh -c "grep -q '^ *Device: devsnap_qemu_test$' /tmp/info &&
	       grep -q '^ *Driver: devsnap_qemu_test$' /tmp/info"
refused() { # DUMP VA REASON: reading VA fails, naming REASON
	! devsnap read "$1" "$2" 16 >/dev/null 2>/tmp/e && grep -q -- "$3" /tmp/e ||
		{ cat /tmp/e; false; }
}
mmio_va=$(layout mmio 2)
check "reading the not-ram page is refused, naming why" refused /tmp/k.core "$mmio_va" not-ram
check "reading the offline page is refused, naming why" \
	refused /tmp/k.core "$(layout offline 2)" offline

# --budget counts the RAM to copy: 5 pages and the 2 MiB block.
budget_refused() {
	! devsnap capture --kcore --format x86_64 --root "$root" -q --budget 1M -o /tmp/b.core \
		2>/tmp/e && [ "$(wc -l </tmp/e)" -eq 1 ] &&
		grep -q 'needs 2.0 MiB (2117632 bytes), over --budget 1.0 MiB' /tmp/e &&
		[ ! -e /tmp/b.core ] || { cat /tmp/e; ls /tmp; false; }
}
check "capture --budget 1M fails in one line naming the 2117632 bytes, and writes nothing" \
	budget_refused
check "capture --budget 1M --partial saves what fits" \
	devsnap capture --kcore --format x86_64 --root "$root" -q --budget 1M --partial -o /tmp/b.core
# The 5 pages take 20 KiB of the budget; the block is saved up to 1 MiB.
maps_lines /tmp/b.core >/tmp/bmaps.txt
block_split() {
	va=$(($(layout block 2))); pa=$(($(layout block 3)))
	grep -qx "0x$(printf %x $va) 0x$(printf %x $pa) 1028096 saved" /tmp/bmaps.txt &&
	grep -qx "0x$(printf %x $((va + 1028096))) 0x$(printf %x $((pa + 1028096))) 1069056 over-budget" \
		/tmp/bmaps.txt && count /tmp/bmaps.txt ' saved$' 6 || { cat /tmp/bmaps.txt; false; }
}
check "the block is saved up to the budget's 1 MiB, its rest skipped as over-budget" block_split
check "verify passes on the partial capture" devsnap verify /tmp/b.core
check "page0 reads back from the partial capture" \
	sh -c "devsnap read /tmp/b.core $(layout page0 2) 4096 | cmp - $dbg/page0"

# Bonus: a hwpoisoned page is skipped as hwpoison, its bytes never read.
poison_va=$(layout poison 2)
poison_pfn=$(($(layout poison 3) / 4096))
load_hwpoison() {
	for k in $(cat /modules/hwpoison/order); do insmod /modules/hwpoison/"$k" || return 1; done
}
if [ ! -f /modules/hwpoison/order ]; then
	skip "hwpoisoned page skipped" "no hwpoison-inject module in the kernel's tree"
elif ! load_hwpoison 2>/tmp/err; then
	not_ok "hwpoison-inject loads"; diag /tmp/err
else
	echo "$poison_pfn" >/sys/kernel/debug/hwpoison/corrupt-pfn 2>/tmp/err
	# KPF_HWPOISON is bit 19 of the page's 64-bit /proc/kpageflags word.
	flags=$(dd if=/proc/kpageflags bs=8 skip="$poison_pfn" count=1 2>/dev/null |
		od -An -tu8 | tr -d ' ')
	if [ $((flags >> 19 & 1)) -ne 1 ]; then
		skip "hwpoisoned page skipped" "corrupt-pfn did not poison pfn $poison_pfn ($flags)"
		diag /tmp/err
	else
		ok "pfn $poison_pfn is hwpoisoned through corrupt-pfn"
		check "capture --kcore after the poisoning" \
			devsnap capture --kcore --format x86_64 --root "$root" -q -o /tmp/p.core
		maps_lines /tmp/p.core >/tmp/pmaps.txt
		check "the poisoned page is skipped as hwpoison, the rest as before" \
			segments_match /tmp/pmaps.txt hwpoison
		devsnap info /tmp/p.core >/tmp/info 2>&1
		check "info: 4.0 KiB each not-ram, offline and hwpoison skipped, 5 saved" \
			sh -c "grep -q 'Skipped: 4.0 KiB not-ram, 4.0 KiB offline, 4.0 KiB hwpoison$' /tmp/info &&
			       grep -q 'Segments: 8, 5 saved$' /tmp/info || { cat /tmp/info; false; }"
		check "reading the poisoned page is refused, naming why" \
			refused /tmp/p.core "$poison_va" hwpoison
		check "the poisoned page's bytes are nowhere in the dump" \
			sh -c "! grep -q 'devsnap-qemu poison' /tmp/p.core && grep -q 'devsnap-qemu page0' /tmp/p.core"
		check "verify passes on the capture with a poisoned page" devsnap verify /tmp/p.core
		check "page0 reads back the same after the poisoning" \
			sh -c "devsnap read /tmp/p.core $(layout page0 2) 4096 | cmp - $dbg/page0"
	fi
fi

# --- Real devcoredumps through the collector (issue 5) -------------------
dcd=/sys/class/devcoredump
devsnap demo -q -o /tmp/demo.core >/dev/null 2>&1
# A crash of the module's device: it hands these bytes to dev_coredumpv().
trigger() { cat /tmp/demo.core >$dbg/coredump; }
has_entry() { for f in "$1"/*.json; do [ -e "$f" ] && return 0; done; false; }
gone() { [ ! -e "$1" ]; }
show_has() { # STORE LINE: devsnap show -1 prints LINE
	devsnap show -1 --store "$1" >/tmp/show 2>&1 && grep -qx " *$2" /tmp/show ||
		{ cat /tmp/show; false; }
}
kernel=$(uname -r)

trigger
if ! wait_for 10 test -e $dcd/devcd1/data; then
	not_ok "a devcoredump appears as $dcd/devcd1/data"; ls $dcd 2>&1 | diag
else
	ok "a devcoredump appears as $dcd/devcd1/data"
	check "failing_device is the module's platform device" \
		sh -c "[ \"\$(basename \"\$(readlink $dcd/devcd1/failing_device)\")\" = devsnap_qemu_test ]"
	cp $dcd/devcd1/data /tmp/orig
	check "cp of data gives the dump the module was given" cmp /tmp/orig /tmp/demo.core
	check "collect --once saves it" devsnap collect --once --store /tmp/store
	diag /tmp/err
	check "the dump is released: devcd1 is gone" wait_for 10 gone $dcd/devcd1
	check "export -1 is byte-identical to the cp of data" \
		sh -c "devsnap export -1 -o /tmp/exp --store /tmp/store && cmp /tmp/exp /tmp/orig"
	devsnap list --store /tmp/store >/tmp/list 2>&1
	diag /tmp/list
	check "list shows one dump, of devsnap_qemu_test" \
		sh -c "[ \$(grep -c ' devsnap_qemu_test  *devsnap_qemu_test  *2.1 MiB  *present ' /tmp/list) -eq 1 ]"
	check "list --driver devsnap_qemu_test --device devsnap_qemu_test finds it" \
		devsnap list --driver devsnap_qemu_test --device devsnap_qemu_test --store /tmp/store
	check "list --driver of another driver finds nothing" \
		sh -c "! devsnap list --driver i915 --store /tmp/store"
	check "metadata: the device's sysfs path" \
		show_has /tmp/store "Device: /sys/devices/platform/devsnap_qemu_test"
	check "metadata: driver devsnap_qemu_test" show_has /tmp/store "Driver: devsnap_qemu_test"
	check "metadata: devcd1, the running kernel, the boot id" \
		sh -c "grep -qx ' *Devcd: devcd1' /tmp/show && grep -qx ' *Kernel: $kernel' /tmp/show &&
		       grep -qx \" *Boot ID: \$(cat /proc/sys/kernel/random/boot_id)\" /tmp/show"
	check "metadata: the devsnap dump's own summary (demo-gpu, 9 segments)" \
		sh -c "grep -qx ' *Content: devsnap' /tmp/show && grep -qx ' *Device: demo-gpu' /tmp/show &&
		       grep -qx ' *Segments: 9, 7 saved' /tmp/show"
fi

# The daemon: a dump announced by uevent is saved and released by itself.
devsnap collect --watch --store /tmp/store2 2>/tmp/watch.log &
watcher=$!
if ! wait_for 30 grep -q 'watching for devcoredumps' /tmp/watch.log; then
	not_ok "collect --watch starts"; diag /tmp/watch.log
else
	ok "collect --watch starts"
	t0=$(now_cs)
	trigger
	if wait_for 30 has_entry /tmp/store2; then
		t1=$(now_cs)
		ok "collect --watch saves the next dump by itself"
		echo "# uevent to saved: $(((t1 - t0) * 10)) ms (TCG, not a performance figure)"
		check "it is byte-identical to the dump given" \
			sh -c "devsnap export -1 -o /tmp/exp2 --store /tmp/store2 &&
			       cmp /tmp/exp2 /tmp/demo.core"
		check "its metadata: devcd2" show_has /tmp/store2 "Devcd: devcd2"
		check "its metadata: driver devsnap_qemu_test" \
			show_has /tmp/store2 "Driver: devsnap_qemu_test"
		check "and released: devcd2 is gone" wait_for 10 gone $dcd/devcd2
	else
		not_ok "collect --watch saves the next dump by itself"; ls $dcd | diag
	fi
fi
kill -TERM $watcher 2>/dev/null
wait $watcher
rc=$?
check "collect --watch exits 0 on SIGTERM" [ $rc -eq 0 ]
diag /tmp/watch.log

# --- devsnap.ko: the device's crash, copied in the kernel (kernel/) -----
# The module calls devsnap_snapshot() on its tables under its VM spinlock
# with interrupts off: lib/ walks them in the kernel, the RAM they map is
# copied into the pool reserved at probe; devsnap's worker hands the dump
# to devcoredump, which serves the ELF file from the copy.  Checked against
# the kcore capture, the poisoned page included when the poisoning ran.
any_devcd() { for d in $dcd/devcd*; do [ -e "$d/data" ] && echo "$d" && return 0; done; false; }
no_devcd() { ! any_devcd >/dev/null; }
# Nothing the snapshot did in atomic context made the kernel complain.
kernel_quiet() {
	! dmesg | grep -E 'BUG:|WARNING:|Oops|Bad page|general protection|sleeping function|scheduling while atomic|lockup' ||
		{ dmesg | tail -n 30; false; }
}
# skipped_are DUMP REASON=BYTES...: info --json counts those bytes skipped
# for each reason (0: none), and saved + skipped = mapped.
skipped_are() {
	dump=$1; shift
	devsnap info --json=pretty "$dump" >/tmp/sk.json || return 1
	for want in "$@"; do
		got=$(json_u64 /tmp/sk.json "${want%%=*}")
		[ "${got:-0}" -eq "${want#*=}" ] || { echo "${want%%=*}: ${got:-0}"; cat /tmp/sk.json; return 1; }
	done
	skipped=$(awk '/"skipped": [{]/ { s = !/[}]/; next } s && /[}]/ { s = 0 }
		       s { gsub(/[^0-9]/, "", $2); n += $2 } END { print n + 0 }' /tmp/sk.json)
	[ $(($(json_u64 /tmp/sk.json saved) + skipped)) -eq "$(json_u64 /tmp/sk.json mapped)" ] ||
		{ echo "saved + skipped is not mapped"; cat /tmp/sk.json; false; }
}
ref=/tmp/maps.txt
[ -s /tmp/pmaps.txt ] && ref=/tmp/pmaps.txt
if ! echo main >$dbg/crash 2>/tmp/err; then
	not_ok "devsnap_snapshot() of the device's tables under a spinlock, irqs off, succeeds"
	diag /tmp/err
elif ! wait_for 10 any_devcd >/dev/null; then
	ok "devsnap_snapshot() of the device's tables under a spinlock, irqs off, succeeds"
	not_ok "its devcoredump appears"; ls $dcd | diag
else
	ok "devsnap_snapshot() of the device's tables under a spinlock, irqs off, succeeds"
	d=$(any_devcd)
	ok "its devcoredump appears as $d"
	check "it ran with interrupts off and never scheduled" \
		sh -c "grep -qx 'irqs_off=1 switches=0' $dbg/context || { cat $dbg/context; false; }"
	# devsnap's dev_dbg lines are on (dynamic debug): the worker hands the
	# dump over after the snapshot returned, never inside it.
	delivered_later() {
		dmesg | awk '/snapshot returned 0/ && !r { r = NR }
			     /dump handed to devcoredump/ && !h { h = NR }
			     END { exit !(r && h > r) }' ||
			{ dmesg | grep -E 'devsnap|snapshot returned'; false; }
	}
	check "devcoredump gets it from devsnap's worker, after the snapshot returned" delivered_later
	check "the kernel log has no warning, sleep-in-atomic or lockup report" kernel_quiet
	# After the crash the device's memory moves on; the dump must not.
	echo x >$dbg/scribble
	cp "$d/data" /tmp/crash.core
	# sysfs says data is 0 bytes long: readers stream it, as they do a pipe.
	check "verify and info read devcd data in place" \
		sh -c "devsnap verify '$d/data' >/dev/null && devsnap info '$d/data' | grep -q 'Segments:'"
	# devcoredump keeps one dump per device: a second crash is reported.
	if echo main | dd of=$dbg/crash 2>/tmp/crash.err; then
		not_ok "a second crash while the dump is pending fails"
	else
		ok "a second crash while the dump is pending fails"
		check "with 'Device or resource busy'" grep -q 'Device or resource busy' /tmp/crash.err
		check "the kernel log says the crash was not captured" \
			sh -c "dmesg | grep -q 'crashed again while its last dump is pending: not captured'"
		check "the pending dump is still the first one" cmp "$d/data" /tmp/crash.core
	fi
	check "collect --once saves it" devsnap collect --once --store /tmp/store3
	check "and releases it" wait_for 10 gone "$d"
	check "export -1 is byte-identical to the cp of data" \
		sh -c "devsnap export -1 -o /tmp/exp3 --store /tmp/store3 && cmp /tmp/exp3 /tmp/crash.core"
	check "metadata: the summary from its notes (devsnap, the device, the reason)" \
		sh -c "devsnap show -1 --store /tmp/store3 >/tmp/show &&
		       grep -qx ' *Content: devsnap' /tmp/show &&
		       grep -qx ' *Device: devsnap_qemu_test' /tmp/show &&
		       grep -qx ' *Reason: firmware assertion (test crash)' /tmp/show || { cat /tmp/show; false; }"
	check "verify passes on the in-kernel dump" devsnap verify /tmp/crash.core
	maps_lines /tmp/crash.core >/tmp/crashmaps.txt
	check "its segments are the kcore capture's: va, pa, size, saved or why not" \
		sh -c "cmp -s /tmp/crashmaps.txt $ref || { diff /tmp/crashmaps.txt $ref; false; }"
	check "page0 holds the bytes from the crash, not the scribble made after" \
		sh -c "devsnap read /tmp/crash.core $(layout page0 2) 4096 | cmp - /tmp/page0.bin &&
		       head -n 1 $dbg/page0 | grep -qx 'devsnap-qemu page0 scribbled'"
	check "page3 and the 2M block read back as the kernel's pages" \
		sh -c "devsnap read /tmp/crash.core $(layout page3 2) 4096 | cmp - $dbg/page3 &&
		       devsnap read /tmp/crash.core $(layout block 2) $(layout block 4) | cmp - $dbg/block"
	devsnap info /tmp/crash.core >/tmp/info 2>&1
	diag /tmp/info
	check "info: the device, its driver, the reason, the module's root" \
		sh -c "grep -qx ' *Device: devsnap_qemu_test' /tmp/info &&
		       grep -qx ' *Driver: devsnap_qemu_test' /tmp/info &&
		       grep -qx ' *Reason: firmware assertion (test crash)' /tmp/info &&
		       grep -qx ' *Format: x86_64, 48-bit VA, root 0x$(printf %x $((root)))' /tmp/info"
	check "the driver's firmware log is a blob note, its bytes in the file" \
		sh -c "grep -q 'Note: DEVSNAP BLOB, .*, blob \"firmware-log\"' /tmp/info &&
		       grep -q 'fw: assertion failed at 0x1234' /tmp/crash.core"
	check "no byte of the hwpoisoned page is in it" \
		sh -c "[ $ref = /tmp/maps.txt ] || ! grep -q 'devsnap-qemu poison' /tmp/crash.core"
	poisoned=0
	[ $ref = /tmp/maps.txt ] || poisoned=4096
	check "info --json: 4096 bytes skipped as not-ram (MMIO), 4096 offline, $poisoned hwpoison" \
		skipped_are /tmp/crash.core not-ram=4096 offline=4096 hwpoison=$poisoned
fi

# One page at 64 device VAs (the "alias" tables): devsnap.ko copies it once,
# within a budget of one page, and the dump stores it once, as the kcore
# capture does.
alias_root=$(cat $dbg/alias_root)
alias_sizes() { # DUMP: its size is the saved bytes' less the 63 aliases
	devsnap info --json "$1" >/tmp/alias.json || return 1
	size=$(wc -c <"$1"); in_file=$(json_u64 /tmp/alias.json in_file)
	saved=$(awk '$4 == "saved" { s += $3 } END { print s }' /tmp/alias-kmaps.txt)
	echo "alias tables: in-kernel dump $size bytes with sharing," \
		"$((size - in_file + saved)) without; $saved bytes saved, $in_file in the file"
	[ "$saved" -eq $((64 * 4096)) ] && [ "$in_file" -eq 4096 ] &&
		[ "$(json_u64 /tmp/alias.json file_size)" -eq "$size" ]
}
if ! devsnap capture --kcore --format x86_64 --root "$alias_root" -q -o /tmp/alias-k.core \
	>/tmp/out 2>/tmp/err; then
	not_ok "capture --kcore of the alias tables at $alias_root"; diag /tmp/out /tmp/err
elif ! echo alias >$dbg/crash 2>/tmp/err || ! wait_for 10 any_devcd >/dev/null; then
	not_ok "devsnap_snapshot() of one page at 64 VAs, budget 4096, gives a devcoredump"
	diag /tmp/err
else
	ok "devsnap_snapshot() of one page at 64 VAs, budget 4096, gives a devcoredump"
	d=$(any_devcd)
	cp "$d/data" /tmp/alias.core
	echo 1 >"$d/data"
	maps_lines /tmp/alias-k.core >/tmp/alias-kmaps.txt
	maps_lines /tmp/alias.core >/tmp/alias-maps.txt
	check "its segments are the kcore capture's: 64 of one page" \
		sh -c "cmp -s /tmp/alias-maps.txt /tmp/alias-kmaps.txt &&
		       [ \$(grep -c ' 4096 saved\$' /tmp/alias-maps.txt) -eq 64 ] ||
		       { diff /tmp/alias-maps.txt /tmp/alias-kmaps.txt; false; }"
	check "devsnap.ko copied the page once: 64 segments, 4096 bytes" \
		sh -c "dmesg | grep -q '64 segments, 4096 bytes copied'"
	check "verify passes on it" devsnap verify /tmp/alias.core
	check "it is smaller by the 63 aliased pages" alias_sizes /tmp/alias.core
	diag /tmp/out
	check "read at two alias VAs gives the same bytes, page0's" \
		sh -c "devsnap read /tmp/alias.core 0x100000000000 4K -o /tmp/a1 &&
		       devsnap read /tmp/alias.core 0x10000003f000 4K -o /tmp/a2 && cmp /tmp/a1 /tmp/a2 &&
		       head -n 1 /tmp/a1 | grep -q '^devsnap-qemu page0'"
	check "and the dump is released" wait_for 10 gone "$d"
	rm -f /tmp/alias.core /tmp/alias-k.core /tmp/a1 /tmp/a2
fi

# crash_refused WHICH WHAT ERROR LOG: "crash" of WHICH fails, with the
# strerror text ERROR, a kernel log line matching LOG, and no devcoredump.
# dd, not echo: busybox's echo does not say why a write failed.
crash_refused() {
	if echo "$1" | dd of=$dbg/crash 2>/tmp/crash.err; then
		not_ok "devsnap_snapshot() of $2 fails"; return 1
	fi
	ok "devsnap_snapshot() of $2 fails"
	check "with '$3'" sh -c "grep -q '$3' /tmp/crash.err || { cat /tmp/crash.err; false; }"
	check "the kernel log says why" sh -c "dmesg | grep -q '$4'"
	sleep 1
	check "and no devcoredump appears" no_devcd
}

# The guest's RAM (PA 0-1 GiB mapped) to copy with an 8 MiB pool: the pool is
# exhausted, cleanly.
crash_refused huge "1 GiB with an 8 MiB pool" 'No space left on device' \
	'devsnap: the mapped RAM needs [0-9]* bytes, over the pool of 8388608'
# A pool is reserved at probe, never more than the system has available.
mem_available_kib() { awk '/^MemAvailable:/ { print $2 }' /proc/meminfo; }
check "a second pool of 4 MiB is made and given back" sh -c "echo 4194304 >$dbg/pool"
before=$(mem_available_kib)
if echo 1073741824 | dd of=$dbg/pool 2>/tmp/pool.err; then
	not_ok "a pool of 1 GiB in a 512 MiB guest fails"
else
	ok "a pool of 1 GiB in a 512 MiB guest fails"
	check "with 'Cannot allocate memory'" grep -q 'Cannot allocate memory' /tmp/pool.err
	check "the kernel log says why" \
		sh -c "dmesg | grep -q 'devsnap: a pool of 1073741824 bytes is more than the'"
	after=$(mem_available_kib)
	echo "# MemAvailable: $before KiB before, $after KiB after"
	check "what it allocated is freed (MemAvailable within 4 MiB)" \
		sh -c "[ $((before - after)) -lt 4096 ]"
fi
# From a hard interrupt (an hrtimer): refused, as the header says.
crash_refused irq "the tables from a hard interrupt" 'Invalid argument' \
	'devsnap: snapshot from interrupt context refused'
crash_refused loop "a table that refers to itself" 'Too many levels of symbolic links' \
	'devsnap: page-table loop: a table refers to itself or an ancestor'
# A 1 MiB budget: refused without partial, naming what the RAM needs; with
# partial, saved up to 1 MiB and the rest marked over budget.
crash_refused over-budget "2 MiB over a 1 MiB budget" 'Argument list too long' \
	'devsnap: the mapped RAM needs [0-9]* bytes, over the budget of 1048576'
saved_bytes() { awk '$4 == "saved" { n += $3 } END { print n + 0 }' "$1"; }
if ! echo partial >$dbg/crash 2>/tmp/err || ! wait_for 10 any_devcd >/dev/null; then
	not_ok "devsnap_snapshot() with partial hands over a dump"; diag /tmp/err
else
	ok "devsnap_snapshot() with partial hands over a dump"
	d=$(any_devcd)
	cp "$d/data" /tmp/partial.core
	echo 1 >"$d/data"
	maps_lines /tmp/partial.core >/tmp/partialmaps.txt
	check "it saves exactly the 1 MiB budget, the rest of the block over-budget" \
		sh -c "[ $(saved_bytes /tmp/partialmaps.txt) -eq 1048576 ] &&
		       grep -q ' over-budget\$' /tmp/partialmaps.txt || { cat /tmp/partialmaps.txt; false; }"
	check "verify passes on it" devsnap verify /tmp/partial.core
fi

# A dump of the device already pending (the driver's own devcoredump):
# devcoredump drops devsnap's, and the driver hears of it.
trigger
if ! wait_for 10 any_devcd >/dev/null; then
	not_ok "the driver's own devcoredump is pending"; ls $dcd | diag
else
	d=$(any_devcd)
	ok "the driver's own devcoredump is pending"
	if echo main | dd of=$dbg/crash 2>/tmp/crash.err; then
		not_ok "a crash while it is pending fails"
	else
		ok "a crash while it is pending fails"
		check "with 'Device or resource busy'" grep -q 'Device or resource busy' /tmp/crash.err
		check "the kernel log says devsnap's dump is dropped" \
			sh -c "dmesg | grep -q 'a dump of this device is still pending: this one (firmware assertion (test crash)) is dropped'"
		check "the pending dump is still the driver's" cmp "$d/data" /tmp/demo.core
	fi
	echo 1 >"$d/data"
	wait_for 10 gone "$d"
	delivered() { # the next crash's dump appears, sound; released again
		echo main >$dbg/crash && d=$(any_devcd) && cp "$d/data" /tmp/next.core &&
			echo 1 >"$d/data" && wait_for 10 gone "$d" && devsnap verify /tmp/next.core
	}
	check "after its release the next crash is delivered" delivered
fi

# --- A driver's off-by-one va_last and unaligned range (issue 10) --------
# lib/ rounds a range out to whole pages, for the CLI and devsnap.ko alike:
# the dump holds the whole pages the range touches, never a lockup.
range_dump() { # WHICH SAVED-PAGES
	echo "$1" >$dbg/crash && d=$(any_devcd) && cp "$d/data" /tmp/r.core &&
		echo 1 >"$d/data" && wait_for 10 gone "$d" && devsnap verify /tmp/r.core >/dev/null &&
		maps_lines /tmp/r.core >/tmp/r.txt && count /tmp/r.txt ' saved$' "$2" &&
		[ "$(wc -l </tmp/r.txt)" -eq "$2" ] || { cat /tmp/r.txt; false; }
}
check "off-by-one va_last (4 pages and a byte): the 4 pages and nothing else" \
	range_dump off-by-one 4
check "an unaligned range (3 pages, 0x800 in): rounded out to the 3 pages" \
	range_dump unaligned 3
crash_refused reversed "a range whose first VA is above its last" 'Invalid argument' \
	'devsnap: empty VA range: its first address is above its last'
check "no snapshot made the kernel complain" kernel_quiet

# --- Every format: the test device's tables in each, in devsnap.ko -------
# The device is loaded again with its tables in another format: the kcore
# capture and devsnap.ko's dump of the crash must list the same segments,
# the RAM ones with the kernel's bytes; where io-pgtable has the format,
# the dump through the io_pgtable_cfg is the same again.
rmmod devsnap_qemu_test 2>/tmp/err || { not_ok "the x86_64 test device unloads"; diag /tmp/err; }
crash_dump() { # WHICH OUT: the dump of that crash, released
	echo "$1" >$dbg/crash && d=$(any_devcd) && cp "$d/data" "$2" && echo 1 >"$d/data" &&
		wait_for 10 gone "$d"
}
reads_back() { # DUMP: page0 and the 2 MiB run are the kernel's bytes
	devsnap read "$1" "$(layout page0 2)" "$(layout page0 4)" | cmp - $dbg/page0 &&
	devsnap read "$1" "$(layout block 2)" "$(layout block 4)" | cmp - $dbg/block
}
same_maps() { cmp -s "$1" "$2" || { diff "$1" "$2"; false; }; }
for fmt in arm64-4k arm64-16k apple-uat mali dart dart2 riscv-sv48 arm64-s2-4k; do
	if ! insmod /modules/devsnap_qemu_test.ko format=$fmt offline_pa="$offline_pa" 2>/tmp/err
	then
		not_ok "$fmt: the test device loads with its tables in $fmt"; diag /tmp/err; continue
	fi
	ok "$fmt: the test device loads with its tables in $fmt"
	half=
	[ $fmt = apple-uat ] && half=--upper-half
	[ $fmt = arm64-s2-4k ] && half=--va-bits=40 # two concatenated tables
	if ! devsnap capture --kcore --format $fmt $half --root "$(cat $dbg/root)" -q \
		-o /tmp/f.core 2>/tmp/err; then
		not_ok "$fmt: capture --kcore"; diag /tmp/err
	else
		maps_lines /tmp/f.core >/tmp/fmaps.txt
		check "$fmt: kcore: every mapping at the PA in its PTE, saved, not-ram or offline" \
			segments_match /tmp/fmaps.txt saved
		check "$fmt: devsnap.ko's dump of the crash" crash_dump main /tmp/fc.core
		maps_lines /tmp/fc.core >/tmp/fcmaps.txt
		check "$fmt: its segments are the kcore capture's" same_maps /tmp/fcmaps.txt /tmp/fmaps.txt
		check "$fmt: page0 and the 2 MiB run read back as the kernel's pages" reads_back /tmp/fc.core
		check "$fmt: verify passes on it" devsnap verify /tmp/fc.core
		case $fmt in
		arm64-4k|arm64-16k|mali|dart|dart2|arm64-s2-4k)
			check "$fmt: devsnap_snapshot_iopgtable() of its io_pgtable_cfg" \
				crash_dump iopgtable /tmp/fi.core
			maps_lines /tmp/fi.core >/tmp/fimaps.txt
			check "$fmt: the same segments as the direct request" \
				same_maps /tmp/fimaps.txt /tmp/fmaps.txt ;;
		esac
	fi
	rmmod devsnap_qemu_test 2>/tmp/err || { not_ok "$fmt: the test device unloads"; diag /tmp/err; }
done
check "no format made the kernel complain" kernel_quiet

# --- Page states at crash time: devsnap.ko's RAM policy (issue 14) -------
# The x86_64 device again, its pages fresh (none poisoned).  Against its
# first crash's dump: a page a balloon took (PageOffline), a page hwpoisoned
# or taken after the walk classified it and before its copy (set by a
# kprobe on the copy), and a memory block onlined, then offlined.  Each
# mapping's state comes from the kernel's page state at crash time.
state_as() { # MAPS NAME STATE: MAPS with NAME's mapping in STATE
	awk -v va="$(layout "$2" 2)" -v st="$3" '$1 == va { $4 = st } 1' "$1"
}
# The block with its 4K page 5 cut out as STATE: three segments.
block_cut() { # MAPS STATE
	va=$(($(layout block 2))); pa=$(($(layout block 3)))
	printf '0x%x 0x%x 20480 saved\n0x%x 0x%x 4096 %s\n0x%x 0x%x 2072576 saved\n' \
		$va $pa $((va + 20480)) $((pa + 20480)) "$2" $((va + 24576)) $((pa + 24576)) >/tmp/cut
	awk -v va="$(layout block 2)" '$1 != va { print; next } { system("cat /tmp/cut") }' "$1"
}
# WHICH DUMP EXPECTED-MAPS: the crash's dump verifies, its segments are those
crash_as() {
	crash_dump "$1" "$2" && devsnap verify "$2" >/dev/null && maps_lines "$2" >/tmp/got.txt &&
		same_maps /tmp/got.txt "$3"
}
saved_is() { [ "$(json_u64 /tmp/sk.json saved)" -eq "$1" ] || { cat /tmp/sk.json; false; }; }
page2_left_out() { # DUMP
	! grep -q 'devsnap-qemu page2 page 0$' "$1" && grep -q 'devsnap-qemu page1 page 0$' "$1"
}
hwpoisoned() { # PFN: KPF_HWPOISON, bit 19 of its /proc/kpageflags word
	f=$(dd if=/proc/kpageflags bs=8 skip="$1" count=1 2>/dev/null | od -An -tu8 | tr -d ' ')
	[ $((f >> 19 & 1)) -eq 1 ]
}
not_poisoned() { ! hwpoisoned "$1"; }
alias_poisoned() { # DUMP
	crash_dump race-alias "$1" && devsnap verify "$1" >/dev/null && maps_lines "$1" >/tmp/got.txt &&
	[ "$(grep -c '^0x1000000[0-3][0-9a-f]000 0x[0-9a-f]* 4096 hwpoison$' /tmp/got.txt)" -eq 64 ] &&
	[ "$(wc -l </tmp/got.txt)" -eq 64 ] && ! grep -q 'devsnap-qemu page0' "$1" ||
		{ cat /tmp/got.txt; false; }
}
block_but_page5() { # DUMP: the block's other pages are the kernel's, page 5 is not in it
	va=$(($(layout block 2)))
	devsnap read "$1" $va 20480 -o /tmp/b0 && devsnap read "$1" $((va + 24576)) 2072576 -o /tmp/b6 &&
	dd if=$dbg/block bs=4096 count=5 2>/dev/null | cmp - /tmp/b0 &&
	dd if=$dbg/block bs=4096 skip=6 2>/dev/null | cmp - /tmp/b6 &&
	! grep -q 'devsnap-qemu block page 5$' "$1" && grep -q 'devsnap-qemu block page 6$' "$1"
}
t_states=$(now_cs)
if ! insmod /modules/devsnap_qemu_test.ko offline_pa="$offline_pa" 2>/tmp/err; then
	not_ok "the x86_64 test device loads again"; diag /tmp/err
else
	ok "the x86_64 test device loads again"
	crash_dump main /tmp/s0.core
	maps_lines /tmp/s0.core >/tmp/s0.txt
	check "its crash: each mapping at its PA, saved but the MMIO page (not-ram) and the offline one" \
		segments_match /tmp/s0.txt saved
	check "info --json: 4096 bytes skipped as not-ram (the MMIO page), 4096 offline, 0 hwpoison" \
		skipped_are /tmp/s0.core not-ram=4096 offline=4096 hwpoison=0
	saved0=$(saved_bytes /tmp/s0.txt)

	state_as /tmp/s0.txt page2 offline >/tmp/want.txt
	check "balloon: a logically offline page (PageOffline) is skipped as offline" \
		crash_as balloon /tmp/s1.core /tmp/want.txt
	check "balloon: info --json: 8192 bytes offline, 4096 not-ram, 0 hwpoison" \
		skipped_are /tmp/s1.core offline=8192 not-ram=4096 hwpoison=0
	check "balloon: $((saved0 - 4096)) bytes saved" saved_is $((saved0 - 4096))
	check "balloon: none of page2's bytes are in the dump, page1's are" page2_left_out /tmp/s1.core

	block_cut /tmp/s0.txt hwpoison >/tmp/want.txt
	check "race-poison: the block's page 5, poisoned after the walk, is cut out as hwpoison" \
		crash_as race-poison /tmp/s2.core /tmp/want.txt
	check "race-poison: info --json: 4096 bytes hwpoison, 4096 offline, 4096 not-ram" \
		skipped_are /tmp/s2.core hwpoison=4096 offline=4096 not-ram=4096
	check "race-poison: $((saved0 - 4096)) bytes saved" saved_is $((saved0 - 4096))
	check "race-poison: the block's other pages read back, page 5's bytes are not in the dump" \
		block_but_page5 /tmp/s2.core

	crash_refused race-offline "a page that leaves RAM between its check and its copy" \
		'Input/output error' \
		"devsnap: a page left RAM during the copy (PA $(printf %#x $(($(layout block 3) + 20480))))"
	check "the next crash is whole again: the page states were restored" \
		crash_as main /tmp/s3.core /tmp/s0.txt
	# page0 at 64 VAs (the alias tables), poisoned after the walk: it is cut
	# out at every VA in one more round, not in one round per alias.
	check "race-alias: page0, poisoned after the walk, is hwpoison at all 64 VAs" \
		alias_poisoned /tmp/s7.core
	check "race-alias: info --json: 262144 bytes hwpoison" \
		skipped_are /tmp/s7.core hwpoison=262144 not-ram=0 offline=0
	check "race-alias: 0 bytes saved" saved_is 0
	check "race-alias: laid out twice, not once per alias" \
		sh -c "[ \$(cat $dbg/layouts) -eq 2 ] || { cat $dbg/layouts; false; }"

	# The same page poisoned for real: memory_failure() through
	# hwpoison-inject; the walk cuts it out of the block's run.  Unpoisoned
	# after, or freeing the block at unload would find a bad page.
	hwp=/sys/kernel/debug/hwpoison
	pfn5=$((($(layout block 3) + 20480) / 4096))
	if [ ! -e $hwp/corrupt-pfn ]; then
		skip "a page inside the block hwpoisoned through corrupt-pfn" "no hwpoison-inject"
	else
		echo $pfn5 >$hwp/corrupt-pfn 2>/dev/null
		check "pfn $pfn5, page 5 of the 2 MiB block, is hwpoisoned through corrupt-pfn" \
			hwpoisoned $pfn5
		block_cut /tmp/s0.txt hwpoison >/tmp/want.txt
		check "the walk cuts it out of the block as hwpoison, the rest saved" \
			crash_as main /tmp/s6.core /tmp/want.txt
		check "the block's other pages read back, page 5's bytes are not in the dump" \
			block_but_page5 /tmp/s6.core
		echo $pfn5 >$hwp/unpoison-pfn
		check "pfn $pfn5 is unpoisoned through unpoison-pfn" not_poisoned $pfn5
	fi

	bs=$((0x$(cat /sys/devices/system/memory/block_size_bytes)))
	blk=/sys/devices/system/memory/memory$((offline_pa / bs))
	if [ "$offline_pa" -eq 0 ]; then
		skip "a memory block onlined, then offlined" "no offline block"
	elif ! echo online_movable >$blk/state 2>/tmp/err; then
		not_ok "memory block $blk goes online (movable)"; diag /tmp/err
	else
		ok "memory block $blk goes online (movable)"
		state_as /tmp/s0.txt offline saved >/tmp/want.txt
		check "online: the page in it is saved" crash_as main /tmp/s4.core /tmp/want.txt
		check "online: info --json: 0 bytes offline, 4096 not-ram" \
			skipped_are /tmp/s4.core offline=0 not-ram=4096 hwpoison=0
		check "memory block $blk goes offline again" sh -c "echo offline >$blk/state"
		check "offlined: the page in it is skipped as offline again" \
			crash_as main /tmp/s5.core /tmp/s0.txt
		check "offlined: info --json: 4096 bytes offline, 4096 not-ram" \
			skipped_are /tmp/s5.core offline=4096 not-ram=4096 hwpoison=0
	fi
	rmmod devsnap_qemu_test
	check "no page state made the kernel complain, nor the unload" kernel_quiet
fi
echo "# page states took $(($(now_cs) - t_states))0 ms of the guest's $(now_cs)0 ms"

finish
