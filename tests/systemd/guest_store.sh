# Sourced by guest.sh (make check-slow) in the boots whose store is a virtio
# disk, ext4, mounted at /var/lib/devsnap by var-lib-devsnap.mount.  One boot
# after another on the same disk (devsnap_guest.mode=):
#   store-saved  a crash saved on the disk; then the package removed,
#                re-installed and purged under the running systemd
#   store-quit   after a clean reboot, that dump listed and sound; then a
#                large save (devsnap_guest.big= bytes read from /dev/vdb)
#                cut short: DEVSNAP-QUIT-NOW on the console once the
#                collector has written 16 MiB, and run.sh sends the
#                monitor's `quit`
#   store-after  nothing torn: every entry whole and sound, no leftover
#                file, the space of the cut save free again, a new crash saved
# A boot tells the next what it needs in "# for the next boot: KEY=VALUE".

listed() { devsnap list 2>/dev/null | grep -c ' devsnap_qemu_test '; }
kib_used() { df -k --output=used "$store" | tail -n 1 | tr -d ' '; }
check "the store is the virtio disk, ext4, mounted before the collector's units ran" sh -c "
	findmnt -n -o SOURCE,FSTYPE $store | grep -qx '/dev/vda  *ext4' &&
	systemctl show -p Result --value devsnap-collect-once.service | grep -qx success"

# crash_saved: the test device crashes and a collector saves it; $name is
# the new entry.
crash_saved() {
	before=$(entries)
	echo main >$dbg/crash
	wait_for 60 more_entries_than "$before" && name=$(basename "$(newest_json)" .json)
}

# --- Item: the package removed, re-installed and purged, systemd running ---
# The package's files in /tmp/files: what dpkg installed and is there (not
# directories, nor what the image's dpkg excludes: /usr/share/doc, man).
package_cycle() {
	dpkg-query -L devsnap | while read -r f; do
		[ ! -d "$f" ] && { [ -e "$f" ] || [ -L "$f" ]; } && echo "$f"; done >/tmp/files
	conffile=/etc/devsnap/collect.conf
	check "dpkg -r devsnap, under the running systemd" sh -c "dpkg -r devsnap >/tmp/dpkg.log 2>&1 ||
		{ cat /tmp/dpkg.log; false; }"
	check "... removes the CLI, the rule, the units and the tmpfiles; keeps the conffile" sh -c "
		while read -r f; do [ \$f = $conffile ] && continue; ! test -e \$f || { echo \$f left; exit 1; }
		done </tmp/files; test -f $conffile"
	# udevd re-reads its rules before an event once 3 s have passed.
	sleep 4
	cur=$(cursor)
	before=$(entries)
	echo main >$dbg/crash
	wait_for 10 sh -c '[ "$(ls /sys/class/devcoredump | grep -c devcd)" -gt 0 ]'
	sleep 5
	check "a crash after dpkg -r: nothing collected, the devcoredump left pending" sh -c "
		test \$(ls $store | grep -c '\\.json\$') = $before &&
		test \$(ls /sys/class/devcoredump | grep -c devcd) = 1"
	check "... and no error from a dangling rule or unit" sh -c "
		! journalctl --after-cursor '$cur' -o cat | grep -E 'devsnap-collect|60-devsnap' &&
		test -z \"\$(journalctl --after-cursor '$cur' -p err -o cat)\" &&
		! systemctl --failed --no-legend | grep devsnap"
	for d in /sys/class/devcoredump/devcd*; do echo 1 >"$d/data"; done
	wait_for 10 no_pending
	check "dpkg -i devsnap again" sh -c "dpkg -i $here/devsnap.deb >/tmp/dpkg.log 2>&1 ||
		{ cat /tmp/dpkg.log; false; }"
	check "... brings back every file, the boot sweep enabled" sh -c "
		while read -r f; do test -e \$f || { echo \$f missing; exit 1; }; done </tmp/files &&
		test \$(systemctl is-enabled devsnap-collect-once.service) = enabled"
	sleep 4
	if crash_saved; then
		ok "a crash after dpkg -i is collected again"
		wait_for 10 no_pending
		check "... by devsnap-collect@, its devcoredump released" sh -c "
			journalctl -b -u 'devsnap-collect@*' -o cat | grep -q ' as $name' &&
			test \$(ls /sys/class/devcoredump | grep -c devcd) = 0"
	else
		not_ok "a crash after dpkg -i is collected again"
	fi
	ls "$store" | grep -E '\.(zst|json)$' >/tmp/dumps
	check "dpkg --purge devsnap" sh -c "dpkg --purge devsnap >/tmp/dpkg.log 2>&1 ||
		{ cat /tmp/dpkg.log; false; }"
	check "... keeps the $(wc -l </tmp/dumps) files of the saved dumps, and only them" sh -c "
		ls -A $store | grep -vx lost+found | diff /tmp/dumps -"
	check "... and removes the rest: config, units and their links, rule, tmpfiles, CLI" sh -c "
		while read -r f; do ! test -e \$f || { echo \$f left; exit 1; }; done </tmp/files &&
		! test -e /etc/devsnap && ! find /etc/systemd /etc/udev /etc/tmpfiles.d \\
			-name 'devsnap-collect*' -o -name '*devsnap.rules' -o -name devsnap.conf | grep . &&
		test -z \"\$(systemctl list-unit-files --no-legend 'devsnap-collect*')\""
}

case $mode in
store-saved)
	if crash_saved; then
		ok "a crash is saved on the disk"
		check "... sound" devsnap verify "$name"
		echo "# for the next boot: saved=$name"
	else
		not_ok "a crash is saved on the disk"
	fi
	package_cycle
	;;
store-quit)
	saved=$(cmdline saved)
	big=$(cmdline big)
	check "after a reboot, the dump saved before is listed" sh -c "devsnap list | grep -q ' $saved\$'"
	check "... and sound" devsnap verify "$saved"
	echo "# for the next boot: used=$(kib_used) entries=$(entries)"
	# Room for it: MaxUse= defaults to 10% of the filesystem.
	printf '[Collect]\nMaxUse=1G\nKeepFree=0\n' >/etc/devsnap/collect.conf
	before=$(entries)
	head -c "$big" /dev/vdb >$dbg/coredump
	wait_for 30 sh -c '[ "$(ls /sys/class/devcoredump | grep -c devcd)" -gt 0 ]'
	devcd=$(ls /sys/class/devcoredump | grep devcd | head -n 1)
	# The collector's file in the store (unnamed until it is whole: O_TMPFILE)
	# once it holds 16 MiB.
	mid_save() {
		for pid in $(pidof devsnap); do
			for fd in /proc/"$pid"/fd/*; do
				case $(readlink "$fd") in
				"$store"/*) [ "$(stat -L -c %s "$fd")" -ge $((16 << 20)) ] && return 0 ;;
				esac
			done
		done
		return 1
	}
	if wait_for 300 mid_save && test "$(entries)" = "$before"; then
		ok "a $((big >> 20)) MiB dump ($devcd): its save under way, 16 MiB written, not yet an entry"
		echo DEVSNAP-QUIT-NOW
		sleep 600
	fi
	not_ok "a $((big >> 20)) MiB dump's save caught under way"
	;;
store-after)
	saved=$(cmdline saved)
	used=$(cmdline used)
	check "after QEMU's quit mid-save, the store is mounted again, the boot sweep ran" sh -c "
		systemctl show -p Result --value devsnap-collect-once.service | grep -qx success"
	check "... no devcoredump pending (it was in the lost RAM)" no_pending
	check "... the dump saved two boots ago listed and sound" sh -c "
		devsnap list | grep -q ' $saved\$' && devsnap verify $saved"
	ls "$store" | sed -n 's/\.json$//p' >/tmp/names
	check "... every entry whole: $(wc -l </tmp/names) listed, each .json with its .zst, sound" sh -c "
		test \$(devsnap list --no-legend 2>/dev/null | grep -c .) = \$(wc -l </tmp/names) &&
		test \$(ls $store | grep -c '\\.zst\$') = \$(wc -l </tmp/names) &&
		while read -r e; do devsnap verify \$e >/dev/null || exit 1; done </tmp/names"
	check "... nothing else in the store: no file of the cut save" sh -c "
		! ls -A $store | grep -vx -e lost+found -e .ratelimit | grep -vE '\\.(zst|json)\$'"
	# The space: what was used before the large save, what an entry it made
	# holds (if it was whole before the quit), and at most 8 MiB more; the
	# cut save's blocks are free again.
	new_kib=$(ls -tr "$store"/*.json | tail -n +$(($(cmdline entries) + 1)) | while read -r j; do
		du -k "$j" "${j%.json}.zst"; done | awk '{ s += $1 } END { print s + 0 }')
	if [ "$new_kib" -gt 0 ]; then
		echo "# the large save was whole before the quit ($new_kib KiB)"
	else
		echo "# the cut save left no entry"
	fi
	check "... the cut save's blocks are free again (ext4's orphan list)" sh -c "
		test \$(( $(kib_used) - $used - $new_kib )) -lt 8192 || { df -k $store; false; }"
	if crash_saved; then
		ok "a crash now is saved on the recovered store"
		check "... sound" devsnap verify "$name"
	else
		not_ok "a crash now is saved on the recovered store"
	fi
	check "no collector error in this boot's journal" sh -c "
		test -z \"\$(journalctl -b -p err -o cat -t devsnap)\""
	;;
esac
