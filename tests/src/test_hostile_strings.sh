#!/bin/sh
# Strings from dumps, store entries, sysfs, config files and file names
# that carry escape sequences, CR/LF forging a "FAKE: ..." line, DEL, C1
# controls, invalid UTF-8 and bidirectional overrides, through every verb
# that prints them, in text and --json, on a UTF-8 locale and on C: nothing
# raw reaches stdout or stderr, no line starts with "FAKE:", every JSON
# output parses and gives back the original string (U+FFFD for invalid
# bytes).  TAP.
set -u
devsnap=$(realpath "$1")
make_hostile=$(realpath "$2")
make_dumps=$(realpath "$3")
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { # description, command...
	desc=$1; shift
	if "$@" >"$t/out" 2>"$t/err"; then ok "$desc"; else
		not_ok "$desc"; sed 's/^/# /' "$t/out" "$t/err" | cat -v; fi
}

# The strings: every class in each, a different forged line per field.
# DEVICE, DRIVER and FORMAT are valid UTF-8; REASON and BLOB are not.
dev=$(printf 'gpu\033[31m0\r\nFAKE: device\177\302\233%s\342\200\256txt%s' 2J \
	"$(printf '\342\201\246caf\303\251\\')")
drv=$(printf 'drv\033]0;owned\007\r\nFAKE: driver\302\205\342\200\256')
why=$(printf 'why\377\300\257\r\nFAKE: reason\033[2J')
fmt=$(printf 'fmt\033[1m\r\nFAKE: format\342\200\250')
blob=$(printf 'blob\033[5m\r\nFAKE: blob\302\237\355\240\200')
fffd=$(printf '\357\277\275')
why_json="why$fffd$fffd$fffd$(printf '\r\nFAKE: reason\033[2J')"
blob_json="$(printf 'blob\033[5m\r\nFAKE: blob\302\237')$fffd$fffd$fffd"

"$make_hostile" "$t/hostile.core" "$dev" "$drv" "$why" "$fmt" "$blob" &&
	"$make_dumps" "$t" || { echo "Bail out! cannot make the dumps"; exit 1; }
named=$t/$(printf 'x\033[2J\nFAKE: file\342\200\256').core
cp "$t/hostile.core" "$named"
notdump=$t/$(printf 'y\033[2J\r\nFAKE: not a dump\377')
echo text >"$notdump"
: >"$t/empty.conf"

# patch FILE STRING BYTES: overwrites the first STRING in FILE with BYTES.
patch() {
	off=$(LC_ALL=C grep -obUaF "$2" "$1" | head -n 1 | cut -d: -f1)
	[ -n "$off" ] && printf "$3" | dd of="$1" bs=1 seek="$off" conv=notrunc status=none
}
# An Asahi dump whose RTKit section fourcc is ESC [ 2 CSI, and one whose
# crash message and AGX note name are hostile.
cp "$t/asahi.core" "$t/fourcc.core"
cp "$t/asahi.core" "$t/message.core"
patch "$t/fourcc.core" rtsC '\033[2\233' &&
	patch "$t/message.core" 'ASSERT ring.c:42' '\r\nFAKE: m\033[0m\302\233x' &&
	patch "$t/message.core" "$(printf 'AGX\000')" '\033[H\000' ||
	{ echo "Bail out! cannot patch asahi.core"; exit 1; }

# A fake sysfs tree: devcd1 holds hostile.core, from a device whose path
# and driver are hostile too (uevent is line-based: no LF in a driver).
sdev=$(printf 'odd\033[7m\r\342\200\256\302\220\377dev')
sdrv=$(printf 'evil\033[32m\r\177\302\233\342\201\247\376drv')
d=$t/sys/devices/virtual/devcoredump/devcd1
mkdir -p "$d" "$t/sys/class/devcoredump" "$t/sys/devices/platform/$sdev"
printf 'DRIVER=%s\n' "$sdrv" >"$t/sys/devices/platform/$sdev/uevent"
ln -s ../../devices/virtual/devcoredump/devcd1 "$t/sys/class/devcoredump/devcd1"
ln -s "../../../platform/$sdev" "$d/failing_device"
cp "$t/hostile.core" "$d/data"
# A config whose every kind of bad line quotes hostile bytes.
{
	printf '[Coll\033[2Ject]\nX\r\nFAKE: conf=1\n[Collect]\nMax\033]0;t\007Use=1\n'
	printf 'MaxUse=9\302\233\342\200\256Q\nno equals \033[5m\377\n'
} >"$t/collect.conf"
# A store entry written by hand: hostile metadata, a summary with a
# hostile key, no dump behind it.
forged=20260101-000000-x-devcd9
forged_name=$(printf 'x\033[2J\342\200\256y\r\nFAKE: name')
store=$t/store

# tame FILE: nothing a terminal acts on, no forged line, valid UTF-8 (and
# ASCII only off a UTF-8 locale).
tame() {
	! LC_ALL=C grep -aqP '[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xd8\x9c|'\
'\xe2\x80[\x8e\x8f\xa8-\xae]|\xe2\x81[\xa6-\xa9]' "$1" &&
		! grep -aq '^[[:space:]]*FAKE:' "$1" &&
		iconv -f UTF-8 -t UTF-8 "$1" >/dev/null &&
		{ [ "$lc" = C.UTF-8 ] || ! LC_ALL=C grep -aqP '[\x80-\xff]' "$1"; }
}
# run DESC ARGS...: devsnap ARGS, exit status ignored; stdout and stderr tame.
run() {
	desc=$1; shift
	LC_ALL=$lc "$devsnap" "$@" >"$t/run.out" 2>"$t/run.err"
	if tame "$t/run.out" && tame "$t/run.err"; then ok "$lc: $desc: output tame"; else
		not_ok "$lc: $desc: output tame"
		sed 's/^/# /' "$t/run.out" "$t/run.err" | cat -v | head -n 40
	fi
}
# json DESC JQ-FILTER ARGS...: as run, and stdout is JSON meeting the filter.
json() {
	desc=$1 filter=$2; shift 2
	run "$desc" "$@"
	check "$lc: $desc: JSON with the strings decoded back" jq -e \
		--arg dev "$dev" --arg drv "$drv" --arg why "$why_json" --arg fmt "$fmt" \
		--arg blob "$blob_json" --arg sdev "$sdev_json" --arg sdrv "$sdrv_json" \
		"$filter" "$t/run.out"
}

sdev_json="$(printf 'odd\033[7m\r\342\200\256\302\220')${fffd}dev"
sdrv_json="$(printf 'evil\033[32m\r\177\302\233\342\201\247')${fffd}drv"
info_filter='.devsnap | .device == $dev and .driver == $drv and .reason == $why and
	.format == $fmt'
for lc in C.UTF-8 C; do
	rm -rf "$store" "$t/sys.$lc"
	cp -a "$t/sys" "$t/sys.$lc"
	run "info" info "$t/hostile.core"
	json "info --json" "($info_filter) and ([.notes[].blob | values] == [\$blob])" \
		info --json "$t/hostile.core"
	run "info of a hostile file name" info "$named"
	json "info --json of a hostile file name" '.file | contains("FAKE: file")' \
		info --json "$named"
	run "info of a non-dump with a hostile name" info "$notdump"
	run "maps" maps "$t/hostile.core"
	run "maps --json" maps --json "$t/hostile.core"
	run "verify" verify "$t/hostile.core"
	run "verify of a hostile file name" verify "$named"
	json "verify --json" '.problems | map(select(contains("FAKE: format"))) | length == 1' \
		verify --json "$t/hostile.core"
	run "diff" diff "$t/a.core" "$named"
	run "diff --json" diff --json "$t/a.core" "$named"
	run "hexdump" hexdump "$t/hostile.core" 0x10000 32
	run "info of an RTKit fourcc" info "$t/fourcc.core"
	json "info --json of an RTKit fourcc" \
		".rtkit.sections[0].fourcc == \"${fffd}2[\\u001b\"" info --json "$t/fourcc.core"
	run "info of an RTKit crash message and note name" info "$t/message.core"
	json "info --json of an RTKit crash message and note name" \
		'(.notes[0].name == "\u001b[H") and
		 (.rtkit.sections[0].message | startswith("\r\nFAKE: m\u001b[0m\u009b"))' \
		info --json "$t/message.core"
	run "collect.conf with hostile lines" collect --once --store "$store" \
		--sysfs "$t/empty" --config "$t/collect.conf"
	run "collect of a hostile sysfs device and driver" collect --once --store "$store" \
		--sysfs "$t/sys.$lc/class/devcoredump" --config "$t/empty.conf"
	printf '{ "name": "%s", "time_usec": 1767225600000000, "devcd": "%s", "device": "%s",
		"driver": "%s", "kernel": "%s", "hostname": "%s", "size": 4096,
		"summary": { "%s": "%s" } }\n' "$forged" '\u001b[2Jdevcd\r\nFAKE: devcd' \
		'\u202e/sys/devices/\u009bdev' '\u001b]8;;http://x\u0007drv' 'k\nFAKE: kernel' \
		'h\u007f\u2066' '\u001b[1mkey\r\nFAKE: key' 'v\r\nFAKE: value' \
		>"$store/$forged.json"
	printf '{ "name": "%s", "time_usec": 1767225600000001, "size": 1 }\n' \
		'x\u001b[2J\u202ey\r\nFAKE: name' >"$store/$forged_name.json"
	run "list" list --store "$store"
	json "list --json" \
		'[.[].driver] == ["\u001b]8;;http://x\u0007drv", null, $sdrv] and
		 .[1].name == "x\u001b[2J\u202ey\r\nFAKE: name" and
		 .[2].device == "/sys/devices/platform/" + $sdev' \
		list --json --store "$store"
	run "show of the collected entry" show --store "$store" -1
	json "show --json of the collected entry" \
		"(.info | $info_filter) and .summary.device == \$dev and .driver == \$sdrv" \
		show --json --store "$store" -1
	run "show of a forged entry" show --store "$store" "$forged"
	json "show --json of a forged entry" \
		'.summary["\u001b[1mkey\r\nFAKE: key"] == "v\r\nFAKE: value"' \
		show --json --store "$store" "$forged"
	run "show of an entry with a hostile name" show --store "$store" 2
	run "remove of forged entries" remove --store "$store" "$forged" 2
done

# The escapes themselves, as a user sees them.
LC_ALL=C.UTF-8 "$devsnap" info "$t/hostile.core" >"$t/info.out"
check "info shows the device escaped on its own line" grep -Fqx \
	'        Device: gpu\x1b[31m0\r\nFAKE: device\x7f\u009b2J\u202etxt\u2066café\\' \
	"$t/info.out"
check "info shows invalid UTF-8 byte by byte" grep -Fqx \
	'        Reason: why\xff\xc0\xaf\r\nFAKE: reason\x1b[2J' "$t/info.out"
LC_ALL=C "$devsnap" info "$t/hostile.core" >"$t/info.out"
check "off a UTF-8 locale, printable UTF-8 is escaped too" grep -Fq \
	'\u2066caf\u00e9\\' "$t/info.out"
rm -rf "$store"
LC_ALL=C.UTF-8 "$devsnap" collect --once --store "$store" --sysfs "$t/sys/class/devcoredump" \
	--config "$t/empty.conf" 2>"$t/collect.err"
check "collect names the hostile driver and device escaped" grep -Fq \
	'from evil\x1b[32m\r\x7f\u009b\u2067\xfedrv (odd\x1b[7m\r\u202e\u0090\xffdev) as' \
	"$t/collect.err"
echo "1..$n"
