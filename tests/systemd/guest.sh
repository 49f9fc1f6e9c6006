#!/bin/sh
# Runs in the guest of tests/systemd/run.sh, a Debian 12 system booted with
# systemd and udev and the devsnap package installed, started by
# devsnap-guest-test.service once the system is up.  It types no devsnap
# command to save anything: it crashes the test device and checks what the
# udev rule, the units and the collector did, through the store, sysfs and
# the journal.  TAP on the serial console between DEVSNAP-TAP-BEGIN and
# DEVSNAP-TAP-END, then powers off.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
here=/usr/local/lib/devsnap-test
store=/var/lib/devsnap
conf=/etc/devsnap/collect.conf
saved_id=3bd784eb513d4fcfa83a418c193d1f51
dropped_id=4a66884808a942579844f920f5ef9977
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
diag() { sed 's/^/# /' "$@"; }
check() { # description, command...
	desc=$1; shift
	if "$@" >/tmp/out 2>/tmp/err; then ok "$desc"; else
		not_ok "$desc"; diag /tmp/out /tmp/err; fi
}
finish() {
	echo "1..$n"
	if [ "$failed" -ne 0 ]; then
		echo "# devsnap's journal:"
		journalctl -b --no-pager -o short-monotonic -t devsnap | tail -n 40 | diag
		journalctl -b --no-pager -o short-monotonic -u 'devsnap-collect*' | tail -n 20 | diag
	fi
	echo DEVSNAP-TAP-END
	sync
	# A store on a disk sees a clean shutdown, as a rebooted system's would.
	# (systemctl poweroff would ask logind, and the image has no D-Bus.)
	[ "$mode" = ci ] || exec systemctl start --job-mode=replace-irreversibly poweroff.target
	systemctl poweroff --force --force
}
# Centiseconds since boot.
now_cs() { read -r up _ </proc/uptime; echo "${up%.*}${up#*.}"; }
# wait_for SECONDS COMMAND...: polls every 50 ms until COMMAND succeeds.
wait_for() {
	limit=$(($1 * 20)); shift
	while ! "$@" 2>/dev/null; do
		limit=$((limit - 1))
		[ "$limit" -gt 0 ] || return 1
		sleep 0.05
	done
}
entries() { ls "$store" 2>/dev/null | grep -c '\.json$'; }
pending() { ls /sys/class/devcoredump 2>/dev/null | grep -c '^devcd'; }
no_pending() { [ "$(pending)" = 0 ]; }
more_entries_than() { [ "$(entries)" -gt "$1" ]; }
# newest_json: the metadata file of the newest entry
newest_json() { ls -t "$store"/*.json | head -n 1; }
# cursor: the journal's position now, for --after-cursor
cursor() { journalctl -q -n 1 -o export | sed -n 's/^__CURSOR=//p'; }
field() { sed -n "s/.*\"$1\": *\"\{0,1\}\([^\",]*\)\"\{0,1\}.*/\1/p" "$2" | head -n 1; }

# cmdline NAME: devsnap_guest.NAME= of the kernel's command line.
cmdline() { sed -n "s/.*devsnap_guest\.$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
mode=$(cmdline mode)
mode=${mode:-ci}

echo
echo DEVSNAP-TAP-BEGIN
echo "# the test unit started $(awk '{ print $1 }' /proc/uptime) s after the kernel"
timeout 300 systemctl is-system-running --wait >/dev/null
systemd-analyze time | sed 's/^/# boot (TCG): /'
mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug
# The twin device for two crashes at once; dumps up to 192 MiB through
# debugfs "coredump" for a large save.
if ! insmod $here/devsnap.ko || ! insmod $here/devsnap_qemu_test.ko twin=1 coredump_mib=192; then
	echo "Bail out! cannot load the test modules"; finish
fi
dbg=/sys/kernel/debug/devsnap_qemu_test
if [ "$mode" != ci ]; then
	. $here/guest_store.sh
	finish
fi

# --- The package's deployment as systemd sees it ---------------------------
check "the boot sweep is enabled, and ran at boot without a failure" sh -c '
	test "$(systemctl is-enabled devsnap-collect-once.service)" = enabled &&
	systemctl show -p Result --value devsnap-collect-once.service | grep -qx success &&
	journalctl -b -u devsnap-collect-once.service -o cat | grep -q "no pending devcoredump"'
check "the --watch daemon is not enabled (it would race the rule)" sh -c '
	test "$(systemctl is-enabled devsnap-collect.service)" = disabled &&
	! systemctl is-active -q devsnap-collect.service'

# --- (3) A dump made while the rule could not run: the boot sweep saves it --
# The rule masked, as before udev's rules are loaded (or in the initrd).
ln -s /dev/null /etc/udev/rules.d/60-devsnap.rules
udevadm control --reload
before=$(entries)
echo main >$dbg/crash
if wait_for 10 sh -c '[ "$(ls /sys/class/devcoredump | grep -c devcd)" -gt 0 ]'; then
	sleep 2
	check "with the rule masked, the dump stays pending, unsaved" sh -c \
		'test "$(ls /sys/class/devcoredump | grep -c devcd)" = 1 && test "$(ls '$store' |
		 grep -c "\.json$")" = '"$before"
	rm /etc/udev/rules.d/60-devsnap.rules
	udevadm control --reload
	systemctl start devsnap-collect-once.service
	check "the boot sweep (devsnap-collect-once.service) saves it and releases it" sh -c '
		test "$(ls '$store' | grep -c "\.json$")" = $(('"$before"' + 1)) &&
		test "$(ls /sys/class/devcoredump | grep -c devcd)" = 0'
else
	not_ok "a crash of the test device makes a devcoredump"
	rm -f /etc/udev/rules.d/60-devsnap.rules; udevadm control --reload
fi

# --- (1) A crash: the rule starts devsnap-collect@devcdN.service ---------
before=$(entries)
t0=$(now_cs)
echo main >$dbg/crash
if wait_for 60 more_entries_than "$before"; then
	t1=$(now_cs)
	echo "# crash to saved dump under systemd: $(((t1 - t0) / 100)).$(((t1 - t0) % 100 / 10)) s (TCG)"
	j=$(newest_json)
	devcd=$(field devcd "$j")
	name=$(basename "$j" .json)
	ok "a crash of the test device is saved within seconds, no command typed"
	check "by devsnap-collect@$devcd.service, which the udev rule started" sh -c "
		journalctl -b -u devsnap-collect@$devcd.service -o cat | grep -q 'saved $devcd'"
	check "$devcd is released" wait_for 10 sh -c "test ! -e /sys/class/devcoredump/$devcd"
	check "devsnap list shows it with its device and driver" sh -c "
		devsnap list | grep -E ' devsnap_qemu_test +devsnap_qemu_test .* $name\$'"
	check "the saved dump is the device's snapshot, sound" sh -c "
		devsnap verify $name && devsnap show $name | grep -q 'Reason: firmware assertion'"
	check "saved 0600 in a 0700 store" sh -c "
		test \$(stat -c %a $store) = 700 && test \$(stat -c %a $store/$name.zst) = 600"
	# --- (2) the journal entry ------------------------------------------
	journalctl -b -o export MESSAGE_ID=$saved_id DEVSNAP_DEVCD=$devcd >/tmp/entry
	size=$(field size "$j")
	check "the save is a journal entry with devsnap's MESSAGE_ID" grep -qx "MESSAGE_ID=$saved_id" /tmp/entry
	check "... with DEVSNAP_DEVICE, _DRIVER, _DEVCD, _NAME, _SIZE of the dump" sh -c "
		grep -qx 'DEVSNAP_DEVICE=/sys/devices/platform/devsnap_qemu_test' /tmp/entry &&
		grep -qx 'DEVSNAP_DRIVER=devsnap_qemu_test' /tmp/entry &&
		grep -qx 'DEVSNAP_DEVCD=$devcd' /tmp/entry && grep -qx 'DEVSNAP_NAME=$name' /tmp/entry &&
		grep -qx 'DEVSNAP_SIZE=$size' /tmp/entry"
	check "... at PRIORITY=6, from the unit, MESSAGE saying what was saved" sh -c "
		grep -qx 'PRIORITY=6' /tmp/entry &&
		grep -qx '_SYSTEMD_UNIT=devsnap-collect@$devcd.service' /tmp/entry &&
		grep -q '^MESSAGE=saved $devcd from devsnap_qemu_test (devsnap_qemu_test) as $name' /tmp/entry"
	check "journalctl MESSAGE_ID=$saved_id lists every saved dump" sh -c "
		test \$(journalctl -b -o cat MESSAGE_ID=$saved_id | wc -l) = \$(ls $store | grep -c '\.json\$')"
else
	not_ok "a crash of the test device is saved within 60 s"
fi

# --- (5) Two devices crashing at the same moment ---------------------------
before=$(entries)
test_before=$(devsnap list | grep -c ' devsnap_qemu_test  *devsnap_qemu_test ')
cur=$(cursor)
echo twins >$dbg/crash
wait_for 60 more_entries_than $((before + 1))
wait_for 30 no_pending
sleep 2 # a third save, if one came, would be in by now
check "two devices crashing at once: both saved, two dumps" test "$(entries)" = $((before + 2))
check "... one of each device, with its driver, each once" sh -c "
	test \$(devsnap list | grep -c ' devsnap_qemu_twin  *devsnap_qemu_twin ') = 1 &&
	test \$(devsnap list | grep -c ' devsnap_qemu_test  *devsnap_qemu_test ') = $((test_before + 1))"
check "... both devcoredumps released" no_pending
check "... each by its own devsnap-collect@, no collector error in the journal" sh -c "
	test \$(journalctl --after-cursor '$cur' -o cat -u 'devsnap-collect@*' |
		grep -c '^saved devcd') = 2 &&
	test -z \"\$(journalctl --after-cursor '$cur' -p err -o cat -t devsnap)\""
# NAME DEVSNAP_DEVICE of the two newest dumps, sound ones only.
for j in $(ls -t $store/*.json | head -n 2); do
	name=$(basename "$j" .json)
	devsnap verify "$name" >/dev/null &&
		echo "$name $(journalctl -b -o export MESSAGE_ID=$saved_id DEVSNAP_NAME="$name" |
			sed -n 's/^DEVSNAP_DEVICE=//p')"
done >/tmp/twins
check "... both sound, in the journal with their device" sh -c "cat /tmp/twins &&
	grep -q 'devsnap_qemu_twin-devcd[0-9]* /sys/devices/platform/devsnap_qemu_twin\$' /tmp/twins &&
	grep -q 'devsnap_qemu_test-devcd[0-9]* /sys/devices/platform/devsnap_qemu_test\$' /tmp/twins"

# --- A failed save is an error in the journal (journalctl -p err) ----------
cp $conf /tmp/conf.orig
printf '[Collect]\nMaxDumpSize=1K\n' >$conf
before=$(entries)
echo main >$dbg/crash
wait_for 10 sh -c '[ "$(ls /sys/class/devcoredump | grep -c devcd)" -gt 0 ]'
wait_for 30 no_pending
check "a dump over MaxDumpSize is released unsaved" sh -c "
	test \$(ls /sys/class/devcoredump | grep -c devcd) = 0 &&
	test \$(ls $store | grep -c '\.json\$') = $before"
check "... and journalctl -p err finds why" sh -c "
	journalctl -b -p err -o cat -t devsnap | grep -q 'not saved: larger than MaxDumpSize=1.0 KiB'"
check "... while a saved dump's line is not an error" sh -c "
	! journalctl -b -p err -o cat -t devsnap | grep -q '^saved '"

# --- (4) A crash loop --------------------------------------------------------
# The device crashes again as soon as its last dump is released (while one is
# pending the kernel drops the device's next crash, before any collector sees
# it): devsnap_guest.loops= crashes (run.sh: 15, make check-slow: 50) that each reach
# the collector.
loops=$(sed -n 's/.*devsnap_guest\.loops=\([0-9]*\).*/\1/p' /proc/cmdline)
loops=${loops:-15}
burst=3
printf '[Collect]\nRateLimitIntervalSec=1h\nRateLimitBurst=%s\n' $burst >$conf
rm -f $store/.ratelimit
before=$(entries)
jl0=$(journalctl -b -o cat -t devsnap | wc -l)
t0=$(now_cs)
i=0
while [ $i -lt "$loops" ] && wait_for 60 no_pending; do
	echo main >$dbg/crash 2>/dev/null
	i=$((i + 1))
done
check "a crash loop of $loops crashes, each as soon as the last dump is released" \
	sh -c "test $i = $loops"
wait_for 60 no_pending
t1=$(now_cs)
read -r start saved dropped <$store/.ratelimit
echo "# crash loop: $i crashes in $(((t1 - t0) / 100)) s, $saved saved, $dropped dropped (TCG)"
check "every devcoredump of the loop is released" no_pending
check "the rate limit kept the first $burst, no more" sh -c "
	test $saved = $burst && test \$(ls $store | grep -c '\.json\$') = $((before + burst))"
check "... and counted the other $((loops - burst))" test "$dropped" = $((loops - burst))
check "... one warning for the window, naming the limit" sh -c "
	test \$(journalctl -b -o cat -t devsnap | grep -c 'not saved: RateLimitBurst=$burst dumps in RateLimitIntervalSec=3600s reached') = 1"
check "... the journal by a few lines of devsnap's, not one per crash" sh -c "
	test \$(journalctl -b -o cat -t devsnap | wc -l) -le $((jl0 + 2 * burst + 3))"
# The window over (a shorter interval: the window began before it), the next
# crash is saved and reports the count.
printf '[Collect]\nRateLimitIntervalSec=1s\nRateLimitBurst=%s\n' $burst >$conf
sleep 1
before=$(entries)
echo main >$dbg/crash
wait_for 60 more_entries_than "$before"
check "after the window, the next crash is saved" test "$(entries)" = $((before + 1))
check "... and the journal has the count of dropped dumps (MESSAGE_ID=$dropped_id)" sh -c "
	journalctl -b -o export MESSAGE_ID=$dropped_id | grep -qx 'DEVSNAP_DROPPED=$dropped' &&
	journalctl -b -o export MESSAGE_ID=$dropped_id | grep -qx 'PRIORITY=4'"
cp /tmp/conf.orig $conf
finish
