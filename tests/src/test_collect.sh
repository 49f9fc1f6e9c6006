#!/bin/sh
# devsnap collect over fake sysfs trees laid out as /sys is
# (class/devcoredump/devcdN -> ../../devices/virtual/devcoredump/devcdN,
# failing_device -> the device).  In a fake tree "released" means data was
# rewritten to hold "1", as `echo 1 > data` leaves a regular file.  TAP.
set -u
devsnap=$(realpath "$1")
make_dumps=$(realpath "$2")
t=$(mktemp -d)
bg_pids=
trap 'for p in $bg_pids; do kill -9 "$p" 2>/dev/null; done; rm -rf "$t"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
check() { # description, command...
	desc=$1; shift
	if "$@" >"$t/out" 2>"$t/err"; then ok "$desc"; else
		not_ok "$desc"; sed 's/^/# /' "$t/out" "$t/err"; fi
}
has() { grep -q -- "$2" "$1"; }

# Dumps: a devsnap ELF dump, an Asahi one, mixed bytes, text, nothing.
"$devsnap" demo -q -o "$t/demo.core" || { echo "Bail out! devsnap demo failed"; exit 1; }
"$make_dumps" "$t" || { echo "Bail out! make_reader_dumps failed"; exit 1; }
{ head -c 150000 /dev/urandom; seq 1 20000; head -c 50000 /dev/urandom; } >"$t/mixed.bin"
seq 1 5000 >"$t/text.bin"
: >"$t/empty.bin"
: >"$t/empty.conf"

# mkdev TREE PATH DRIVER: a device under TREE/sys/PATH whose uevent names DRIVER.
mkdev() {
	mkdir -p "$1/sys/$2"
	printf 'MAJOR=1\nDRIVER=%s\nMODALIAS=x\n' "$3" >"$1/sys/$2/uevent"
}
# mkdcd TREE N SOURCE [FAILING_DEVICE]: a pending devcdN holding a copy of SOURCE.
mkdcd() {
	d=$1/sys/devices/virtual/devcoredump/devcd$2
	mkdir -p "$d" "$1/sys/class/devcoredump"
	ln -s "../../devices/virtual/devcoredump/devcd$2" "$1/sys/class/devcoredump/devcd$2"
	cp "$3" "$d/data"
	cp "$3" "$1/orig$2"
	[ $# -lt 4 ] || ln -s "$4" "$d/failing_device"
}
data() { cat "$1/sys/devices/virtual/devcoredump/devcd$2/data"; }
meta() { ls "$1"/*-devcd"$2".json 2>/dev/null; } # STORE N: the entry of devcdN
collect() { "$devsnap" collect --sysfs "$tree/sys/class/devcoredump" "$@"; }
# STORE N TREE: the entry's dump decompresses to the original bytes
same_bytes() {
	m=$(meta "$1" "$2") && [ -n "$m" ] && zstd -q -dc "${m%.json}.zst" | cmp -s - "$3/orig$2"
}
entries() { ls "$1" | grep -c '\.json$'; }

# --- One pass over several pending dumps ---------------------------------
tree=$t/a
s=$t/store
mkdev "$tree" devices/pci0000:00/0000:00:01.0/0000:03:00.0 amdgpu
mkdcd "$tree" 1 "$t/demo.core" ../../../pci0000:00/0000:00:01.0/0000:03:00.0
mkdcd "$tree" 2 "$t/mixed.bin"
mkdev "$tree" devices/platform/soc/206400000.gpu asahi
mkdcd "$tree" 3 "$t/asahi.core" ../../../platform/soc/206400000.gpu
odd=$(printf 'my drv/\033[31mred\t\001x')
mkdev "$tree" "$(printf 'devices/platform/odd\001dev')" "$odd"
mkdcd "$tree" 4 "$t/text.bin" "$(printf '../../../platform/odd\001dev')"
# A failing_device out of the tree, and one whose path leaves it through a
# symlink inside it: neither is followed.
mkdir -p "$t/outside"
echo DRIVER=evil >"$t/outside/uevent"
mkdcd "$tree" 5 "$t/text.bin" ../../../../../outside
ln -s "$t/outside" "$tree/sys/devices/escape"
mkdcd "$tree" 6 "$t/text.bin" ../../../escape
# A plain directory in the class directory, without failing_device, empty.
mkdir -p "$tree/sys/class/devcoredump/devcd7"
: >"$tree/sys/class/devcoredump/devcd7/data"
: >"$tree/orig7"
mkdcd "$tree" 10 "$t/mixed.bin" ../../../pci0000:00/0000:00:01.0/0000:03:00.0
# Symlinks planted in the store are never followed nor removed.
mkdir -m 700 "$s"
echo precious >"$t/precious"
ln -s "$t/precious" "$s/20990101-000000-x-devcd99.zst"
ln -s "$t/precious" "$s/.tmp-planted"
ln -s "$t/precious" "$s/20990101-000000-y-devcd98.json"

collect --once --store "$s" --config "$t/empty.conf" >"$t/once.out" 2>"$t/once.err"
rc=$?
check "--once exits 0 having saved every pending dump" test "$rc" = 0
check "--once logs one 'saved' line per dump" \
	test "$(grep -c '^devsnap: saved devcd' "$t/once.err")" = 8
check "the log line names driver, device, entry and sizes" grep -Eq \
	'^devsnap: saved devcd1 from amdgpu \(0000:03:00.0\) as [0-9]{8}-[0-9]{6}-amdgpu-devcd1, '\
'2\.[0-9] MiB -> [0-9.]+ KiB$' \
	"$t/once.err"
check "every dump was released: data holds \"1\"" sh -c '
	for i in 1 2 3 4 5 6 10; do
		test "$(cat "$1/sys/devices/virtual/devcoredump/devcd$i/data")" = 1 || exit 1
	done; test "$(cat "$1/sys/class/devcoredump/devcd7/data")" = 1' - "$tree"
check "nothing on stdout" test ! -s "$t/once.out"
allsame() {
	for i in 1 2 3 4 5 6 7 10; do
		same_bytes "$s" "$i" "$tree" || { echo "devcd$i differs"; return 1; }
	done
}
check "each .zst decompresses (zstd -dc) to the original bytes, the empty dump too" allsame
check "the store is 0700, every entry file 0600" sh -c '
	test "$(stat -c %a "$1")" = 700 || exit 1
	for f in "$1"/*.json "$1"/*.zst; do
		[ -L "$f" ] || test "$(stat -c %a "$f")" = 600 || exit 1
	done' - "$s"
check "8 entries, nothing else but the planted symlinks and the rate limit's state" sh -c \
	'test "$(ls -A "$1" | grep -vx .ratelimit | wc -l)" = $((16 + 3))' - "$s"
check "planted symlinks are left alone and their target untouched" sh -c \
	'test -L "$1/.tmp-planted" && test -L "$1/20990101-000000-x-devcd99.zst" &&
	 test "$(cat "$2")" = precious' - "$s" "$t/precious"

m1=$(meta "$s" 1)
check "metadata: every key, the right types" jq -e '
	(.name | test("^[0-9]{8}-[0-9]{6}-amdgpu-devcd1$")) and
	(.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}Z$")) and
	(.time_usec | type == "number") and .devcd == "devcd1" and
	.device == "/sys/devices/pci0000:00/0000:00:01.0/0000:03:00.0" and .driver == "amdgpu" and
	(.size_compressed | type == "number") and .content == "devsnap" and
	(.kernel | length > 0) and (.boot_id | length > 0) and (.hostname | length > 0)' "$m1"
check "metadata: name is the file's, sizes are the files'" sh -c '
	test "$(jq -r .name "$1")" = "$(basename "$1" .json)" &&
	test "$(jq .size "$1")" = "$(stat -c %s "$2")" &&
	test "$(jq .size_compressed "$1")" = "$(stat -c %s "${1%.json}.zst")"' - "$m1" "$t/demo.core"
check "metadata: time and time_usec agree, and match the name" sh -c '
	secs=$(($(jq .time_usec "$1") / 1000000))
	test "$(date -u -d @$secs +%Y-%m-%dT%H:%M:%S)" = "$(jq -r .time "$1" | cut -c1-19)" &&
	test "$(date -u -d @$secs +%Y%m%d-%H%M%S)" = "$(jq -r .name "$1" | cut -c1-15)"' - "$m1"
check "metadata: kernel, boot_id, hostname of this machine" sh -c '
	test "$(jq -r .kernel "$1")" = "$(uname -r)" &&
	test "$(jq -r .boot_id "$1")" = "$(cat /proc/sys/kernel/random/boot_id)" &&
	test "$(jq -r .hostname "$1")" = "$(hostname)"' - "$m1"
check "a devsnap dump's summary comes from its DEVSNAP INFO note" test "$(jq -c \
	'.summary | [.format, .device, .driver, .page_size, .segments, .mapped >= .saved, .time_ns > 0]' \
	"$m1")" = '["arm64-4k","demo-gpu","devsnap-demo",4096,9,true,true]'
check "the summary agrees with devsnap info" sh -c \
	'"$1" info --json "$2" | jq -e --slurpfile m "$3" ".totals.saved == \$m[0].summary.saved"' \
	- "$devsnap" "$t/demo.core" "$m1"
check "a non-ELF dump is content raw, without summary" \
	jq -e '.content == "raw" and (has("summary") | not) and .driver == ""' "$(meta "$s" 2)"
check "an Asahi dump: content asahi, AGX chip and firmware" test "$(jq -c \
	'[.content, .driver, .summary.chip, .summary.firmware]' "$(meta "$s" 3)")" = \
	'["asahi","asahi","t6000","13.5.0"]'
m4=$(meta "$s" 4)
check "odd driver characters: the name keeps [A-Za-z0-9._-] only" sh -c \
	'basename "$1" .json | grep -Eq "^[0-9]{8}-[0-9]{6}-my_drv___31mred__x-devcd4$"' - "$m4"
check "odd driver characters: metadata keeps them, JSON-escaped, no raw control byte" sh -c '
	test "$(jq -r .driver "$1")" = "$2" &&
	test "$(jq -r .device "$1")" = "$(printf "/sys/devices/platform/odd\001dev")" &&
	! LC_ALL=C grep -q "[[:cntrl:]]" "$1"' - "$m4" "$odd"
check "odd driver characters: the log line shows them escaped" grep -Fq \
	'saved devcd4 from my drv/\x1b[31mred\t\x01x (odd\x01dev) as' "$t/once.err"
check "failing_device out of the tree: not followed, driver unknown" sh -c '
	jq -e ".driver == \"\" and .device == \"\"" "$1" >/dev/null &&
	basename "$1" | grep -q -- "-unknown-devcd5.json" &&
	grep -q "devcd5: failing_device points out of .*: not followed" "$2"' \
	- "$(meta "$s" 5)" "$t/once.err"
check "failing_device whose path leaves through a symlink: not followed" sh -c '
	jq -e ".driver == \"\"" "$1" >/dev/null && grep -q "devcd6: .*leaves .*: not followed" "$2"' \
	- "$(meta "$s" 6)" "$t/once.err"
check "no metadata mentions the outside device's driver" sh -c '! grep -l evil "$1"/*.json' - "$s"
check "no failing_device: saved, device and driver unknown" \
	jq -e '.device == "" and .driver == "" and .size == 0' "$(meta "$s" 7)"
check "devcd10 is collected after devcd7, not between 1 and 2" sh -c '
	grep -o "saved devcd[0-9]*" "$1" | tr "\n" " " | grep -q "devcd6 .*devcd7 .*devcd10"' \
	- "$t/once.err"

# --- Named dumps: the udev path -----------------------------------------
tree=$t/b
mkdev "$tree" devices/pci0000:00/0000:07:00.0 xe
mkdcd "$tree" 1 "$t/text.bin" ../../../pci0000:00/0000:07:00.0
mkdcd "$tree" 2 "$t/text.bin" ../../../pci0000:00/0000:07:00.0
check "collect devcd2 saves and releases that one only" sh -c '
	"$1" collect devcd2 --sysfs "$2/sys/class/devcoredump" --store "$3" --config "$4" &&
	test "$(ls "$3"/*-xe-devcd*.json | wc -l)" = 1 && ls "$3"/*-xe-devcd2.json >/dev/null &&
	cmp -s "$2/sys/devices/virtual/devcoredump/devcd1/data" "$2/orig1"' \
	- "$devsnap" "$tree" "$t/store-b" "$t/empty.conf"
collect devcd9 --store "$t/store-b" --config "$t/empty.conf" 2>"$t/e9"
check "a dump that is not there: exit 1, one line" sh -c \
	'test "$1" = 1 && grep -q "no pending dump devcd9" "$2" && test "$(wc -l <"$2")" = 1' - $? "$t/e9"
collect ../devcd1 --store "$t/store-b" --config "$t/empty.conf" 2>"$t/ebad"
check "a name that is not devcdN is refused" sh -c \
	'test "$1" = 1 && grep -q "is not a devcoredump" "$2"' - $? "$t/ebad"
check "usage errors: no mode, two modes" sh -c '
	! "$1" collect --store "$2" 2>/dev/null &&
	! "$1" collect --once --watch --store "$2" 2>/dev/null' \
	- "$devsnap" "$t/store-b"
check "a missing --config is an error, a missing default is not" sh -c '
	! "$1" collect --once --sysfs "$2" --store "$3" --config "$3/nope" 2>/dev/null' \
	- "$devsnap" "$t/none" "$t/store-b"
mkdir -p "$t/nosys"
check "--once without a class directory: nothing pending, exit 0" sh -c '
	"$1" collect --once --sysfs "$2/class/devcoredump" --store "$3" --config "$4" 2>"$2.err" &&
	grep -q "no pending devcoredump" "$2.err"' - "$devsnap" "$t/nosys" "$t/store-b" "$t/empty.conf"
# --sysfs DIR not ending in class/devcoredump: DIR is the root.
mkdir -p "$t/plain/devcd1" "$t/plaindev"
cp "$t/text.bin" "$t/plain/devcd1/data"
echo DRIVER=plain >"$t/plaindev/uevent"
ln -s ../../plaindev "$t/plain/devcd1/failing_device"
check "a plain --sysfs DIR is the root: links out of it are not followed" sh -c '
	"$1" collect --once --sysfs "$2" --store "$3" --config "$4" 2>/dev/null &&
	jq -e ".driver == \"\"" "$3"/*-devcd1.json >/dev/null' \
	- "$devsnap" "$t/plain" "$t/store-plain" "$t/empty.conf"

# --- kill -9 in the middle of a save, then recovery ----------------------
tree=$t/k
s=$t/store-k
mkdir -p "$s"
mkdev "$tree" devices/pci0000:00/0000:09:00.0 nouveau
seq 1 6000000 >"$t/long.txt" # 45 MB: a save of a second or so
mkdcd "$tree" 1 "$t/long.txt" ../../../pci0000:00/0000:09:00.0
kd=$tree/sys/devices/virtual/devcoredump/devcd1
"$devsnap" collect --once --sysfs "$tree/sys/class/devcoredump" --store "$s" \
	--config "$t/empty.conf" 2>"$t/kill.err" &
victim=$!
bg_pids="$bg_pids $victim"
# holds_tmp PID DIR: PID has a file in DIR open (the store's temporary file).
holds_tmp() { ls -l "/proc/$1/fd" 2>/dev/null | grep -q -- "-> $2/"; }
while ! holds_tmp "$victim" "$s" && kill -0 "$victim" 2>/dev/null; do :; done
kill -9 "$victim"
wait "$victim" 2>/dev/null
check "killed mid-save: while its temporary file was open in the store" \
	sh -c '! grep -q saved "$1"' - "$t/kill.err"
check "killed mid-save: no metadata, no dump, no torn entry in the store" \
	test -z "$(ls "$s" | grep -e '\.json$' -e '\.zst$')"
# What a save killed between its steps can leave (named temporary files
# where O_TMPFILE is missing, a dump whose metadata was not yet written),
# beside a temporary file a live writer holds.
echo half >"$s/.tmp-0123456789abcdef"
echo orphan >"$s/20250101-000000-nouveau-devcd1.zst"
(exec 9>"$s/.tmp-busy"; flock 9; touch "$t/held"; exec sleep 30) >/dev/null &
holder=$!
bg_pids="$bg_pids $holder"
for i in $(seq 50); do [ -e "$t/held" ] && break; sleep 0.1; done
rm "$kd/data"
cp "$tree/orig1" "$kd/data"
collect --once --store "$s" --config "$t/empty.conf" 2>"$t/recover.err"
check "the next --once removes the debris and says so" sh -c '
	test ! -e "$1/.tmp-0123456789abcdef" && test ! -e "$1/20250101-000000-nouveau-devcd1.zst" &&
	test "$(grep -c "recovered: removed" "$2")" = 2' - "$s" "$t/recover.err"
check "... but not a temporary file a live writer holds" test -e "$s/.tmp-busy"
kill "$holder" 2>/dev/null
check "... and saves the dump whole" sh -c \
	'test "$(ls "$1" | grep -c "\.json$")" = 1 &&
	 zstd -q -dc "$1"/*-nouveau-devcd1.zst | cmp -s - "$2"' \
	- "$s" "$tree/orig1"

# --- Limits and vacuuming ------------------------------------------------
randdump() { head -c "$1" /dev/urandom >"$2"; }
tree=$t/v
s=$t/store-v
for i in 1 2 3 4; do randdump 20000 "$t/r$i"; mkdcd "$tree" "$i" "$t/r$i"; done
printf '[Collect]\nMaxCount=2\n' >"$t/count.conf"
collect --once --store "$s" --config "$t/count.conf" 2>"$t/count.err"
check "MaxCount=2 keeps the newest two" sh -c \
	'test "$(ls "$1" | grep -c "\.json$")" = 2 &&
	 ls "$1"/*-devcd3.json "$1"/*-devcd4.json >/dev/null &&
	 test "$(ls "$1" | grep -c "\.zst$")" = 2' - "$s"
check "vacuuming is logged with the limit it keeps" \
	test "$(grep -c 'removed .*devcd[12].* to keep within MaxCount' "$t/count.err")" = 2
check "every vacuumed dump was still released" sh -c '
	for i in 1 2 3 4; do
		test "$(cat "$1/sys/devices/virtual/devcoredump/devcd$i/data")" = 1 || exit 1
	done' \
	- "$tree"
tree=$t/v2
mkdcd "$tree" 5 "$t/r1"
collect --once --store "$s" --config "$t/count.conf" 2>/dev/null
check "MaxCount applies to dumps of earlier runs too" sh -c \
	'test "$(ls "$1" | grep -c "\.json$")" = 2 &&
	 ls "$1"/*-devcd4.json "$1"/*-devcd5.json >/dev/null' - "$s"

tree=$t/u
s=$t/store-u
for i in 1 2 3; do randdump 300000 "$t/u$i"; mkdcd "$tree" "$i" "$t/u$i"; done
printf '[Collect]\nMaxUse=700K\nKeepFree=0\n' >"$t/use.conf"
collect --once --store "$s" --config "$t/use.conf" 2>"$t/use.err"
check "MaxUse=700K with three 300 KB dumps: the newest two stay" sh -c \
	'test "$(ls "$1" | grep -c "\.json$")" = 2 &&
	 ls "$1"/*-devcd2.json "$1"/*-devcd3.json >/dev/null' - "$s"
check "... and the store's disk usage is within MaxUse" \
	test "$(du -sk "$s" | cut -f1)" -le 700
printf '[Collect]\nMaxUse=100K\nKeepFree=0\n' >"$t/small.conf"
tree=$t/tu2
mkdcd "$tree" 4 "$t/u1"
collect --once --store "$s" --config "$t/small.conf" 2>"$t/big.err"
check "a dump that cannot fit in MaxUse: exit 1, not saved, released, why logged" sh -c '
	test "$1" = 1 && ! ls "$2"/*-devcd4.json 2>/dev/null &&
	test "$(cat "$3/sys/devices/virtual/devcoredump/devcd4/data")" = 1 &&
	grep -q "devcd4: not saved: compressed, it passes 100.0 KiB" "$4" &&
	grep -q "released devcd4" "$4"' \
	- $? "$s" "$tree" "$t/big.err"
printf '[Collect]\nMaxDumpSize=100K\n' >"$t/maxdump.conf"
tree=$t/tu3
mkdcd "$tree" 5 "$t/u1"
collect --once --store "$s" --config "$t/maxdump.conf" 2>"$t/maxdump.err"
check "a dump over MaxDumpSize: not saved, released, why logged" sh -c '
	test "$1" = 1 && ! ls "$2"/*-devcd5.json 2>/dev/null &&
	test "$(cat "$3/sys/devices/virtual/devcoredump/devcd5/data")" = 1 &&
	grep -q "devcd5: not saved: larger than MaxDumpSize=100.0 KiB" "$4"' \
	- $? "$s" "$tree" "$t/maxdump.err"
check "failed saves leave no debris" \
	test -z "$(ls -A "$s" | grep -v -e '\.json$' -e '\.zst$' -e '^\.ratelimit$')"

# --- A full disk: a 1 MiB tmpfs store in a private mount namespace -------
full_disk() {
	unshare -rm sh -e -c '
	devsnap=$1 t=$2
	mkdir -p "$t/tiny"
	mount -t tmpfs -o size=1m,mode=700 tmpfs "$t/tiny"
	printf "[Collect]\nKeepFree=0\nMaxUse=infinity\n" >"$t/nolimit.conf"
	head -c 3000000 /dev/urandom >"$t/big.bin"
	# The disk fills while the dump streams in: the room was there at the start.
	# 18 MB compressing to ~760 KiB, which fits the empty disk; once the
	# temporary file is open in the store (the room measured), the collector
	# is stopped, the disk filled, and the collector let go on.
	tree=$t/f1; d=$tree/sys/devices/virtual/devcoredump/devcd1
	mkdir -p "$d" "$tree/sys/class/devcoredump"; seq 1 2500000 >"$d/data"
	ln -s ../../devices/virtual/devcoredump/devcd1 "$tree/sys/class/devcoredump/devcd1"
	"$devsnap" collect --once --sysfs "$tree/sys/class/devcoredump" --store "$t/tiny/s" \
		--config "$t/nolimit.conf" 2>"$t/full.err" &
	pid=$!
	while ! ls -l /proc/$pid/fd 2>/dev/null | grep -q -- "-> $t/tiny/s/" &&
		kill -0 $pid 2>/dev/null; do :; done
	kill -STOP $pid || true
	head -c 1000000 /dev/zero >"$t/tiny/filler" 2>/dev/null || true
	kill -CONT $pid || true
	if wait $pid; then echo "saved-despite-full"; fi
	rm -f "$d/data"; echo placeholder >"$d/data"; rm "$t/tiny/filler"
	echo "files=$(ls -A "$t/tiny/s" | grep -vcx .ratelimit)"
	grep -q "No space left on device" "$t/full.err" && echo enospc-logged
	grep -q "devcd1: cannot write to the store" "$t/full.err" && echo failure-logged
	tree=$t/f2; d=$tree/sys/devices/virtual/devcoredump/devcd2
	mkdir -p "$d" "$tree/sys/class/devcoredump"; cp "$t/big.bin" "$d/data"
	ln -s ../../devices/virtual/devcoredump/devcd2 "$tree/sys/class/devcoredump/devcd2"
	"$devsnap" collect --once --sysfs "$tree/sys/class/devcoredump" --store "$t/tiny/s" \
		--config "$t/empty.conf" 2>"$t/full2.err" || echo default-limits-refused
	grep -q "devcd2: not saved: compressed, it passes" "$t/full2.err" && echo room-logged
	seq 1 20000 >"$d/data"
	"$devsnap" collect --once --sysfs "$tree/sys/class/devcoredump" --store "$t/tiny/s" \
		--config "$t/empty.conf" 2>/dev/null && echo small-saved
	echo "entries=$(ls "$t/tiny/s" | grep -c "\.json$")"
	' - "$devsnap" "$t" >"$t/full.out" 2>"$t/full.sh.err"
}
if full_disk && grep -q '^files=' "$t/full.out"; then
	check "full disk while saving: ENOSPC is logged, nothing left behind" sh -c '
		! grep -q saved-despite-full "$1" && grep -qx failure-logged "$1" && grep -qx files=0 "$1" &&
		grep -qx enospc-logged "$1"' - "$t/full.out"
	check "full disk, default limits: refused up front (10% MaxUse of 1 MiB), logged" sh -c \
		'grep -qx default-limits-refused "$1" && grep -qx room-logged "$1"' - "$t/full.out"
	check "full disk: a dump that fits is still saved" sh -c \
		'grep -qx small-saved "$1" && grep -qx entries=1 "$1"' - "$t/full.out"
else
	for what in "ENOSPC logged, nothing left" "default limits refuse" "a small dump fits"; do
		skip "full disk: $what" \
			"cannot mount a tmpfs in a user namespace here: $(head -1 "$t/full.sh.err")"
	done
fi

# --- --watch: the initial pass, then a clean stop on SIGTERM -------------
tree=$t/w
s=$t/store-w
mkdev "$tree" devices/pci0000:00/0000:05:00.0 amdgpu
mkdcd "$tree" 1 "$t/mixed.bin" ../../../pci0000:00/0000:05:00.0
"$devsnap" collect --watch --sysfs "$tree/sys/class/devcoredump" --store "$s" \
	--config "$t/empty.conf" 2>"$t/watch.err" &
watcher=$!
bg_pids="$bg_pids $watcher"
for i in $(seq 100); do [ -n "$(meta "$s" 1)" ] && break; sleep 0.1; done
sleep 0.2
if grep -q "cannot open the kernel's uevent socket\|cannot listen" "$t/watch.err"; then
	skip "--watch" "no uevent netlink socket here: $(head -1 "$t/watch.err")"
else
	check "--watch saves what is pending at start, and releases it" sh -c \
		'test -n "$(ls "$1"/*-devcd1.json)" && test "$(cat "$2")" = 1' \
		- "$s" "$tree/sys/devices/virtual/devcoredump/devcd1/data"
	check "--watch keeps running after its first pass" kill -0 "$watcher"
	kill -TERM "$watcher"
	wait "$watcher"
	rc=$?
	check "--watch exits 0 on SIGTERM, saying so" sh -c \
		'test "$1" = 0 && grep -q "watching for devcoredumps" "$2" &&
		 grep -q "stopping on Terminated" "$2"' \
		- "$rc" "$t/watch.err"
fi

# A uevent forged by a process (not the kernel, port 0) is ignored: sent in
# a private network namespace, so that no other listener sees it.
forge='import select, socket
listener = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, 15)
listener.bind((0, 1))
forger = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, 15)
forger.bind((0, 0))
forger.sendto(b"add@/devices/virtual/devcoredump/devcd2\0ACTION=add\0SUBSYSTEM=devcoredump\0", (0, 1))
if select.select([listener], [], [], 2)[0]:
    print("delivered")'
tree=$t/w2
s=$t/store-w2
mkdcd "$tree" 1 "$t/text.bin"
if command -v python3 >/dev/null && unshare -rn true 2>/dev/null; then
	unshare -rn sh -c '
	"$1" collect --watch --sysfs "$2/sys/class/devcoredump" --store "$3" --config "$4" 2>"$5" &
	pid=$!
	for i in $(seq 100); do ls "$3"/*-devcd1.json >/dev/null 2>&1 && break; sleep 0.1; done
	mkdir -p "$2/sys/class/devcoredump/devcd2"
	cp "$6" "$2/sys/class/devcoredump/devcd2/data"
	python3 -c "$7"
	sleep 0.5
	kill -TERM $pid
	wait $pid && echo stopped' - "$devsnap" "$tree" "$s" "$t/empty.conf" "$t/forged.err" \
		"$t/text.bin" "$forge" >"$t/forged.out" 2>&1
	check "--watch ignores a devcoredump uevent forged by a process" sh -c '
		grep -qx delivered "$1" && grep -qx stopped "$1" && ! ls "$2"/*-devcd2.json 2>/dev/null &&
		cmp -s "$3" "$4/sys/class/devcoredump/devcd2/data"' - "$t/forged.out" "$s" "$t/text.bin" \
		"$tree"
else
	skip "--watch ignores a forged uevent" "needs python3 and unshare -rn (a network namespace)"
fi

# --- a store someone left open to all is closed before anything goes in ---
tree=$t/open
s=$t/store-open
mkdir -m 0755 "$s"
mkdcd "$tree" 1 "$t/text.bin"
check "a store left world-readable is closed to others, saying so" sh -c '
	"$1" collect --once --sysfs "$2/sys/class/devcoredump" --store "$3" --config "$4" 2>"$5" &&
	test "$(stat -c %a "$3")" = 750 && grep -q "was open to all (mode 0755): closing it" "$5" &&
	test "$(stat -c %a "$3"/*.zst)" = 600' - "$devsnap" "$tree" "$s" "$t/empty.conf" "$t/open.err"

# --- two collectors, one dump: the second leaves it to the first ---------------
tree=$t/lock
s=$t/store-lock
mkdcd "$tree" 1 "$t/text.bin"
check "a dump another collector holds is left alone, not saved twice nor released" sh -c '
	flock "$2/sys/devices/virtual/devcoredump/devcd1" \
		"$1" collect devcd1 --sysfs "$2/sys/class/devcoredump" --store "$3" --config "$4" \
		2>"$5" &&
	grep -q "devcd1: another collector is saving it" "$5" && ! ls "$3"/*.json 2>/dev/null &&
	cmp -s "$2/orig1" "$2/sys/devices/virtual/devcoredump/devcd1/data"' \
	- "$devsnap" "$tree" "$s" "$t/empty.conf" "$t/lock.err"

# --- data that is no regular file: neither read nor written -------------------
# sysfs makes data a regular file; a FIFO once blocked the collector for good.
tree=$t/fifo
s=$t/store-fifo
mkdcd "$tree" 1 "$t/text.bin"
fifo=$tree/sys/devices/virtual/devcoredump/devcd1/data
rm "$fifo"
mkfifo "$fifo"
# A reader waits on it, so that a write (a release) would get through.
cat "$fifo" >"$t/fifo.read" &
reader=$!
bg_pids="$bg_pids $reader"
started=$(date +%s)
timeout 60 "$devsnap" collect --once --sysfs "$tree/sys/class/devcoredump" --store "$s" \
	--config "$t/empty.conf" 2>"$t/fifo.err"
rc=$?
sleep 0.2
kill "$reader" 2>/dev/null
wait "$reader" 2>/dev/null
check "data is a FIFO: exit 1 within 5 s" sh -c \
	'test "$1" = 1 && test $(( $(date +%s) - $2 )) -le 5' - "$rc" "$started"
check "... saying it is not a regular file" sh -c \
	'grep -q "devcd1: data is not a regular file" "$1" &&
	 grep -q "cannot release devcd1: data is not a regular file" "$1"' - "$t/fifo.err"
check "... nothing written into it, and it is still a FIFO" sh -c \
	'test ! -s "$1" && test -p "$2"' - "$t/fifo.read" "$fifo"
check "... no entry, no temporary file in the store" \
	test -z "$(ls -A "$s" | grep -vx .ratelimit)"

# --- a store root does not own is refused, not taken over by a chmod ------------
tree=$t/own
s=$t/store-own
mkdcd "$tree" 1 "$t/text.bin"
mkdir -m 0700 "$s"
if [ "$(id -u)" = 0 ] && chown nobody "$s" 2>/dev/null; then
	collect --once --store "$s" --config "$t/empty.conf" 2>"$t/own.err"
	check "a store owned by nobody, collecting as root: exit 1" test $? = 1
	check "... naming the owner and what to do" grep -q \
		"the store $s belongs to nobody (uid $(id -u nobody)), not to root: refusing to save into it; chown it to root:root" \
		"$t/own.err"
	check "... nothing saved, its owner and mode untouched" sh -c \
		'test -z "$(ls -A "$1")" && test "$(stat -c %U:%a "$1")" = nobody:700' - "$s"
else
	skip "a store root does not own" "not root, or no user nobody"
fi
# As an ordinary user, the store must be that user's: nobody over root's.
as_nobody() { setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups "$@"; }
pub=$t/public
mkdir -p -m 0755 "$pub/store" "$pub/sys"
: >"$pub/empty.conf"
chmod 0755 "$t" # for nobody to reach $pub; what it holds stays as it is
if [ "$(id -u)" = 0 ] && as_nobody "$devsnap" --version >/dev/null 2>&1; then
	as_nobody "$devsnap" collect --once --sysfs "$pub/sys" --store "$pub/store" \
		--config "$pub/empty.conf" 2>"$t/own2.err"
	check "a store owned by root, collecting as nobody: exit 1, saying so" sh -c \
		'test "$1" = 1 && grep -q "the store $2 belongs to root (uid 0), not to you" "$3" &&
		 test "$(stat -c %U:%a "$2")" = root:755' - $? "$pub/store" "$t/own2.err"
else
	skip "a store another user owns, as an ordinary user" "not root, or nobody cannot run $devsnap"
fi
chmod 0700 "$t"

# collect.conf must be a regular file of a configuration's size: a FIFO
# there once blocked the collector, and a huge file was read whole.
mkfifo "$t/conf.fifo"
check "collect.conf a FIFO: exit 1 at once, saying so" sh -c \
	'timeout 10 "$1" collect --once --sysfs "$2" --store "$3" --config "$4" 2>"$5";
	 test $? = 1 && grep -q "the configuration $4 is not a regular file" "$5"' \
	- "$devsnap" "$pub/sys" "$t/store-conf" "$t/conf.fifo" "$t/conf.err"
head -c 2M /dev/zero >"$t/big.conf"
check "collect.conf of 2 MiB: refused, File too large" sh -c \
	'"$1" collect --once --sysfs "$2" --store "$3" --config "$4" 2>"$5";
	 test $? = 1 && grep -q "cannot read the configuration $4: File too large" "$5"' \
	- "$devsnap" "$pub/sys" "$t/store-conf" "$t/big.conf" "$t/conf.err"

check "collect --help" sh -c '"$1" collect --help | grep -q "^Usage: devsnap collect"' - "$devsnap"
echo "1..$n"
