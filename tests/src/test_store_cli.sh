#!/bin/sh
# devsnap list, show, export and remove, over a store filled by the real
# `devsnap collect --once` from a fake sysfs tree: dirs devcdN holding a data
# file and a failing_device link to a device whose uevent names its driver.
# TAP.
set -u
devsnap=$1
make_dumps=$2 # writes a.core, b.core and asahi.core into a directory
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
export TZ=UTC # the TIME column and --since dates, whatever the machine's zone
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { # description, command...
	desc=$1; shift
	if "$@" >"$t/out" 2>"$t/err"; then ok "$desc"; else
		not_ok "$desc"; sed 's/^/# /' "$t/out" "$t/err"; fi
}
assert() { # description, command...: like check, keeping the output it looks at
	desc=$1; shift
	if "$@" >"$t/a.out" 2>"$t/a.err"; then ok "$desc"; else
		not_ok "$desc"; sed 's/^/# /' "$t/a.out" "$t/a.err" "$t/out" "$t/err"; fi
}
fails() { # description, command...: exits non-zero, saying why on stderr
	desc=$1; shift
	if "$@" >"$t/out" 2>"$t/err"; then not_ok "$desc (exit 0)"; sed 's/^/# /' "$t/out"
	elif [ ! -s "$t/err" ]; then not_ok "$desc (no message)"
	else ok "$desc"; fi
}
has() { grep -q -- "$2" "$1"; }
s=$t/store
ds() { "$devsnap" "$@" --store "$s"; }
rows() { tail -n +2 "$t/out"; }   # the table without its header
names() { rows | awk '{ print $NF }' | sed 's/.*-//' | tr '\n' ' '; } # "devcd2 devcd1 ..."

# mkdcd N SOURCE DEVICE DRIVER: a pending devcdN holding a copy of SOURCE
# from the device devices/DEVICE.
mkdcd() {
	mkdir -p "$t/sys/devcd$1" "$t/sys/devices/$3"
	printf 'MAJOR=1\nDRIVER=%s\n' "$4" >"$t/sys/devices/$3/uevent"
	cp "$2" "$t/sys/devcd$1/data"
	cp "$2" "$t/orig$1"
	ln -s "../devices/$3" "$t/sys/devcd$1/failing_device"
}

"$devsnap" demo -q -o "$t/demo.core" || { echo "Bail out! devsnap demo failed"; exit 1; }
head -c 300000 /dev/urandom >"$t/random.bin"
seq 1 20000 >"$t/text.bin"
mkdcd 1 "$t/demo.core" pci0000:00/0000:03:00.0 amdgpu
mkdcd 2 "$t/random.bin" pci0000:00/0000:00:02.0 i915
mkdcd 3 "$t/text.bin" pci0000:00/0000:03:00.0 amdgpu
: >"$t/empty.conf"
check "collect --once fills the store" "$devsnap" collect --once --sysfs "$t/sys" \
	--store "$s" --config "$t/empty.conf"
assert "... with three entries" test "$(ls "$s"/*.json | wc -l)" -eq 3
entry() { ls "$s"/*-devcd"$1".json | sed 's|.*/||; s|\.json$||'; } # N: devcdN's NAME
e1=$(entry 1) e2=$(entry 2) e3=$(entry 3)
# devcd2 collected three days ago: list orders by time, not by name.
old=$(( ($(date +%s) - 3 * 86400) * 1000000 ))
jq ".time_usec = $old" "$s/$e2.json" >"$t/meta" && cat "$t/meta" >"$s/$e2.json"

# --- list -------------------------------------------------------------------
check "list" ds list
assert "list: a header, then one row per dump" test "$(rows | wc -l)" -eq 3
assert "list: the columns" \
	sh -c 'head -1 "$1" | grep -qE "^#  +TIME +DEVICE +DRIVER +SIZE +STATE +NAME$"' \
	- "$t/out"
assert "list: oldest first, newest last" test "$(names)" = "devcd2 devcd1 devcd3 "
# Every cell of a column starts where its heading does (right-aligned: ends).
aligned() { # HEADING VALUE-OF-ROW-1 ...: the rows' values under HEADING
	col=$(head -1 "$t/out" | awk -v h="$1" '{ print index($0, h) }')
	shift
	tail -n +2 "$t/out" | while read -r line; do
		case $(printf '%s' "$line" | cut -c"$col"-) in "$1"*) ;; *) exit 1 ;; esac
		shift
	done
}
assert "list: DEVICE, the device's last component, aligned" \
	aligned DEVICE 0000:00:02.0 0000:03:00.0 0000:03:00.0
assert "list: DRIVER aligned" aligned DRIVER i915 amdgpu amdgpu
assert "list: STATE present, aligned" aligned STATE present present present
assert "list: NAME aligned" aligned NAME "$e2" "$e1" "$e3"
assert "list: TIME local, to the second" sh -c 'tail -n +2 "$1" |
	grep -cE "^[0-9]  [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} UTC  " |
	grep -qx 3' - "$t/out"
assert "list: SIZE, the original's, right-aligned" sh -c 'rows=$(tail -n +2 "$1");
	echo "$rows" | sed -n 1p | grep -q " 293.0 KiB  present" &&
	echo "$rows" | sed -n 3p | grep -q " 106.3 KiB  present"' - "$t/out"

check "list -rn 2: -r and -n 2, as getopt reads the cluster" ds list -rn 2
assert "... the two newest, newest first" test "$(names)" = "devcd3 devcd1 "

check "list --driver amdgpu: its two dumps, with their store-wide index" ds list --driver amdgpu
assert "... devcd1 as #2, devcd3 as #3" sh -c 'tail -n +2 "$1" | awk "{ print \$1 }" | tr "\n" " " |
	grep -qx "2 3 "' - "$t/out"
check "list --device by last component" ds list --device 0000:00:02.0
assert "... one dump" test "$(names)" = "devcd2 "
check "list --device by sysfs path" ds list --device /sys/devices/pci0000:00/0000:00:02.0
assert "... the same dump" test "$(names)" = "devcd2 "
fails "list --driver with no dump: exit 1" ds list --driver nouveau
assert "... 'no devcoredumps match', nothing on stdout" sh -c '
	grep -q "no devcoredumps match" "$1" &&
	! test -s "$2"' - "$t/err" "$t/out"
check "list --since -1d: the two of today" ds list --since -1d
assert "... devcd1 and devcd3" test "$(names)" = "devcd1 devcd3 "
check "list --since -4d: all three" ds list --since -4d
assert "... all" test "$(rows | wc -l)" -eq 3
check "list --since yesterday's date: two" ds list --since "$(date -d yesterday +%F)"
assert "... devcd1 and devcd3" test "$(names)" = "devcd1 devcd3 "
check "list --since 'YYYY-MM-DD HH:MM:SS' three days and a minute ago: all" \
	ds list --since "$(date -d '3 days ago 1 minute ago' '+%F %T')"
assert "... all" test "$(rows | wc -l)" -eq 3
fails "list --since a minute from now: exit 1" ds list --since "$(date -d '1 minute' '+%F %H:%M')"
fails "list --since 'soon': refused" ds list --since soon
assert "... naming the forms it takes" has "$t/err" "YYYY-MM-DD"
mkdir -m 700 "$t/empty-store"
fails "list of an empty store: exit 1" "$devsnap" list --store "$t/empty-store"
assert "... 'no devcoredumps in'" has "$t/err" "no devcoredumps in"

check "list --json" ds list --json
assert "list --json: an array of the three, oldest first" sh -c \
	'jq -e "length == 3 and map(.devcd) == [\"devcd2\", \"devcd1\", \"devcd3\"]" "$1"' \
	- "$t/out"
assert "list --json: index and state added, the metadata kept" sh -c 'jq -e "
	(map(.index) == [1, 2, 3]) and all(.[]; .state == \"present\") and
	.[1].driver == \"amdgpu\" and .[1].device == \"/sys/devices/pci0000:00/0000:03:00.0\" and
	.[1].content == \"devsnap\" and .[0].size == 300000 and .[0].content == \"raw\"" "$1"' \
	- "$t/out"
check "list --json --driver i915: filtered too" sh -c '"$1" list --json --driver i915 --store "$2" |
	jq -e "length == 1 and .[0].index == 1"' - "$devsnap" "$s"

# --- show, and IDs ---------------------------------------------------------
check "show -1: the newest" ds show -1
assert "... devcd3's metadata" sh -c 'grep -q "Name: $2\$" "$1" && grep -q "Devcd: devcd3" "$1" &&
	grep -q "Driver: amdgpu" "$1" && grep -q "Content: raw" "$1"' - "$t/out" "$e3"
assert "... and no dump info for a text dump" sh -c '! grep -q Producer "$1"' - "$t/out"
check "show 2: the second oldest, devcd1" ds show 2
assert "... its metadata" sh -c 'grep -q "Name: $2\$" "$1" && grep -q "Index: 2" "$1" &&
	grep -q "Size: 2.1 MiB (2191360 bytes)" "$1" && grep -q "Content: devsnap" "$1"' \
	- "$t/out" "$e1"
assert "... and what devsnap info shows of the devsnap dump" sh -c '
	grep -q "Producer: devsnap" "$1" &&
	grep -q "Device: demo-gpu" "$1" && grep -q "Format: arm64-4k" "$1" &&
	grep -q "Note: DEVSNAP INFO" "$1"' - "$t/out"
check "show -3: the oldest" ds show -3
assert "... devcd2" has "$t/out" "Devcd: devcd2"
check "show NAME" ds show "$e1"
assert "... that dump" has "$t/out" "Devcd: devcd1"
check "show a unique prefix" ds show "${e2%-devcd2}"
assert "... that dump" has "$t/out" "Devcd: devcd2"
check "show --store DIR -1, the ID after the options" "$devsnap" show --store "$s" -1
assert "... the newest" has "$t/out" "Devcd: devcd3"
check "show -- -2" "$devsnap" show --store "$s" -- -2
assert "... devcd1" has "$t/out" "Devcd: devcd1"
fails "show an ambiguous prefix: refused" ds show "${e1%%-*}-"
assert "... saying so" has "$t/err" "matches [23] saved dumps"
fails "show an unknown name: refused" ds show nosuch
fails "show index 4 of 3: refused" ds show 4
fails "show -4 of 3: refused" ds show -4
fails "show without an ID: refused" ds show

# --- export --------------------------------------------------------------------
for i in 1 2 3; do
	check "export devcd$i: exit 0" ds export "$(entry "$i")" -o "$t/exp$i"
	assert "... the original bytes" cmp "$t/orig$i" "$t/exp$i"
	assert "... mode 0600" test "$(stat -c %a "$t/exp$i")" = 600
done
check "export -1 -o -: the original bytes on stdout" sh -c \
	'"$1" export -1 -o - --store "$2" | cmp - "$3"' - "$devsnap" "$s" "$t/orig3"
echo stale >"$t/over"
chmod 644 "$t/over"
check "export over an existing file" ds export 1 -o "$t/over"
assert "... replaces it whole, mode 0600" sh -c 'cmp "$1" "$2" && test "$(stat -c %a "$2")" = 600' \
	- "$t/orig2" "$t/over"
fails "export without -o: refused" ds export 1
fails "export into a missing directory: refused" ds export 1 -o "$t/nodir/x"
# A damaged dump: nothing is written, not even a temporary file.
cp -p "$s/$e1.zst" "$t/saved.zst"
head -c 5000 "$t/saved.zst" >"$t/cut" && cat "$t/cut" >"$s/$e1.zst"
mkdir "$t/outdir"
fails "export of a truncated .zst: refused" ds export "$e1" -o "$t/outdir/x"
assert "... saying so" has "$t/err" "truncated"
assert "... leaving nothing in the target directory" test -z "$(ls -A "$t/outdir")"
cat "$t/saved.zst" >"$s/$e1.zst"

# --- symlinks in the store are not followed -------------------------------------
# devcd3's .zst replaced by a link to a valid copy of it: following it would work.
mv "$s/$e3.zst" "$t/elsewhere.zst"
ln -s "$t/elsewhere.zst" "$s/$e3.zst"
check "list: a dump whose .zst is a symlink is 'missing'" ds list
assert "... in its row" sh -c 'tail -n 1 "$1" | grep -q " missing  $2\$"' - "$t/out" "$e3"
fails "export does not follow it" ds export "$e3" -o "$t/followed"
assert "... and writes nothing" test ! -e "$t/followed"
fails "export -o - does not follow it either" ds export "$e3" -o -
# A link to metadata that would make an entry, were it followed.
jq '.name = "20990101-000000-x-devcd9"' "$s/$e1.json" >"$t/planted.json"
ln -s "$t/planted.json" "$s/20990101-000000-x-devcd9.json"
check "a .json symlink is no entry" \
	sh -c '"$1" list --store "$2" | tail -n +2 | wc -l | grep -qx 3' \
	- "$devsnap" "$s"

# --- remove ------------------------------------------------------------------------
fails "remove a good ID and a bad one: refused" ds remove 1 nosuch
assert "... removing nothing" test "$(ls "$s"/*.json | wc -l)" -eq 4
check "remove -1: the symlinked dump" ds remove -1
assert "... its files gone" sh -c '! ls "$1"/*-devcd3.* 2>/dev/null' - "$s"
assert "... the link's target untouched" sh -c 'zstd -q -dc "$1" | cmp - "$2"' \
	- "$t/elsewhere.zst" "$t/orig3"
assert "... saying so" has "$t/err" "removed $e3"
check "remove the same dump twice in one call" ds remove "$e2" 1
assert "... removed once" test "$(ls "$s"/*.json | wc -l)" -eq 2
assert "... devcd1 is left, and the planted link" sh -c 'ls "$1" | grep -c "json$" | grep -qx 2 &&
	test -L "$1/20990101-000000-x-devcd9.json" && ls "$1" | grep -q "devcd1.zst"' - "$s"
check "list: one dump left" ds list
assert "... devcd1" test "$(names)" = "devcd1 "

# --- an Asahi dump: show reads its AGX and RTKIT notes -----------------------------
"$make_dumps" "$t" >/dev/null || { echo "Bail out! make_reader_dumps failed"; exit 1; }
mkdir -p "$t/sys2/devcd5"
cp "$t/asahi.core" "$t/sys2/devcd5/data"
check "collect an Asahi dump" "$devsnap" collect --once --sysfs "$t/sys2" --store "$t/store2" \
	--config "$t/empty.conf"
check "show it" "$devsnap" show -1 --store "$t/store2"
assert "... its content and producer" sh -c 'grep -q "Content: asahi" "$1" &&
	grep -q "Producer: Asahi drm/asahi" "$1"' - "$t/out"
assert "... the GPU and the firmware's crash message" sh -c 'grep -q "GPU: chip 0x6000" "$1" &&
	grep -q "Crash message: ASSERT" "$1"' - "$t/out"

check "show --json: the metadata with the dump's info" sh -c \
	'test "$("$1" show --json -1 --store "$2" | jq -c "[.content, .info.producer, .info.agx.chip_id]")" = \
	 "[\"asahi\",\"asahi\",\"0x6000\"]"' - "$devsnap" "$t/store2"

# --- reader verbs take store IDs, from $DEVSNAP_STORE --------------------------------
check "info -1 reads the newest saved dump" env DEVSNAP_STORE="$t/store2" "$devsnap" info -1
assert "... decompressed from the store" has "$t/out" "GPU: chip 0x6000"
check "read by ID gives the saved bytes" sh -c \
	'test "$(DEVSNAP_STORE="$1" "$2" read -1 0xffffffa000000000 4 | od -An -tx1)" = " a5 a5 a5 a5"' \
	- "$t/store2" "$devsnap"
fails "a name that is neither a file nor an ID: one line" env DEVSNAP_STORE="$t/store2" \
	"$devsnap" maps no-such.core
assert "... saying both" sh -c 'test "$(wc -l <"$1")" = 1 &&
	grep -q "cannot open no-such.core: no such file, nor a saved dump with that ID" "$1"' - "$t/err"

# --- decompression bombs: export stops at the recorded size ---------------------------
# devcd7 holds the demo dump (metadata: 2.1 MiB, content "devsnap"); its .zst
# is then replaced by that dump followed by 8 GiB of zeros (128 frames of 64 MiB
# each, ~260 KiB in all), and devcd8's by the zeros alone.
mkdir -p "$t/sys3/devcd7" "$t/sys3/devcd8"
cp "$t/demo.core" "$t/sys3/devcd7/data"
cp "$t/demo.core" "$t/sys3/devcd8/data"
check "collect two dumps to be made bombs" "$devsnap" collect --once --sysfs "$t/sys3" \
	--store "$t/store3" --config "$t/empty.conf"
head -c 64M /dev/zero | zstd -q -1 >"$t/zeros.zst"
for i in $(seq 128); do cat "$t/zeros.zst"; done >"$t/bomb.zst"
z7=$(ls "$t/store3"/*-devcd7.zst) z8=$(ls "$t/store3"/*-devcd8.zst)
{ zstd -q -c "$t/demo.core"; cat "$t/bomb.zst"; } >"$z7"
cp "$t/bomb.zst" "$z8"
mkdir "$t/bombout"
e7=$(basename "$z7" .zst) e8=$(basename "$z8" .zst)
started=$(date +%s)
fails "export of a dump followed by 8 GiB more: refused" \
	timeout 60 "$devsnap" export "$e7" --store "$t/store3" -o "$t/bombout/x"
assert "... within 10 s" test $(( $(date +%s) - started )) -le 10
assert "... saying it holds more than its metadata says" has "$t/err" \
	"holds more than the $(stat -c %s "$t/demo.core") bytes its metadata says"
assert "... leaving nothing in the target directory" test -z "$(ls -A "$t/bombout")"
check "export -o - of it: stops at the recorded size" sh -c \
	'timeout 60 "$1" export "$2" --store "$3" -o - | cat >"$4"
	 test "$(wc -c <"$4")" -le "$5"' - "$devsnap" "$e7" "$t/store3" "$t/piped" \
	"$(stat -c %s "$t/demo.core")"
assert "... and says why" has "$t/err" "holds more than"
started=$(date +%s)
fails "export of 8 GiB of zeros recorded as an ELF dump: refused" \
	timeout 60 "$devsnap" export "$e8" --store "$t/store3" -o "$t/bombout/y"
assert "... at once, before anything is written" sh -c \
	'test $(( $(date +%s) - $1 )) -le 10 && test -z "$(ls -A "$2")"' - "$started" "$t/bombout"
assert "... saying it is no ELF file" has "$t/err" "does not start with the ELF header"

check "list --help" "$devsnap" list --help
assert "... usage" has "$t/out" "Usage: devsnap list"
for v in show export remove; do
	check "$v --help" "$devsnap" "$v" --help
done
echo "1..$n"
