#!/bin/sh
# The CLI as people who know coredumpctl expect it: every list option and
# match, the pager, --json's one schema through jq -e in every verb that
# prints data, --bytes and --no-legend, hexdump's squeezing, plurals, blob,
# debug (the real gdb, and a stand-in debugger that checks the temporary
# file), --store and $DEVSNAP_STORE, and unknown options refused by every
# verb.  Over a store filled by the real `devsnap collect --once`.  TAP.
set -u
devsnap=$1
make_blob_dump=$2 # make_hostile_strings: OUT DEVICE DRIVER REASON FORMAT BLOB
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
export TZ=UTC
unset DEVSNAP_STORE DEVSNAP_PAGER PAGER
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { # description, command...: exits 0; output in $t/out, $t/err
	desc=$1; shift
	if "$@" >"$t/out" 2>"$t/err"; then ok "$desc"; else
		not_ok "$desc"; sed 's/^/# /' "$t/out" "$t/err"; fi
}
assert() { # description, command...: like check, keeping $t/out and $t/err
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
jqe() { jq -e "$1" "$t/out" >/dev/null; } # the last output passes a jq test
s=$t/store
ds() { "$devsnap" "$@" --store "$s"; }
names() { awk '{ print $NF }' "$t/out" | sed 's/.*-//' | tr '\n' ' '; } # "devcd2 devcd1 "
rows() { tail -n +2 "$t/out" | awk '{ print $NF }' | sed 's/.*-//' | tr '\n' ' '; } # no header
iso='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}Z$'

mkdcd() { # N SOURCE DEVICE DRIVER: a pending devcdN holding SOURCE
	mkdir -p "$t/sys/devcd$1" "$t/sys/devices/$3"
	printf 'MAJOR=1\nDRIVER=%s\n' "$4" >"$t/sys/devices/$3/uevent"
	cp "$2" "$t/sys/devcd$1/data"
	ln -s "../devices/$3" "$t/sys/devcd$1/failing_device"
}
"$devsnap" demo -q -o "$t/demo.core" || { echo "Bail out! devsnap demo failed"; exit 1; }
"$make_blob_dump" "$t/blob.core" gpu0 drv "a reason" arm64-4k firmware-log ||
	{ echo "Bail out! no blob dump"; exit 1; }
head -c 3000 /dev/urandom >"$t/random.bin"
seq 1 2000 >"$t/text.bin"
mkdcd 1 "$t/demo.core" pci0000:00/0000:03:00.0 amdgpu
mkdcd 2 "$t/random.bin" pci0000:00/0000:00:02.0 i915
mkdcd 3 "$t/text.bin" pci0000:00/0000:03:00.0 amdgpu
: >"$t/empty.conf"
"$devsnap" collect --once --sysfs "$t/sys" --store "$s" --config "$t/empty.conf" 2>/dev/null ||
	{ echo "Bail out! collect failed"; exit 1; }
e2=$(ls "$s"/*-devcd2.json)
old=$(( ($(date +%s) - 3 * 86400) * 1000000 )) # devcd2: three days ago
jq ".time_usec = $old" "$e2" >"$t/meta" && cat "$t/meta" >"$e2"

# --- list: every option ------------------------------------------------------
check "list" ds list
assert "... oldest first" test "$(rows)" = "devcd2 devcd1 devcd3 "
check "list -1: the newest only" ds list -1
assert "... devcd3, with its header" test "$(rows)" = "devcd3 "
check "list -n 2: the two newest" ds list -n 2
assert "... devcd1 devcd3" test "$(rows)" = "devcd1 devcd3 "
check "list -r: newest first" ds list -r
assert "... devcd3 devcd1 devcd2" test "$(rows)" = "devcd3 devcd1 devcd2 "
check "list -r -n 2" ds list -r -n 2
assert "... devcd3 devcd1" test "$(rows)" = "devcd3 devcd1 "
fails "list -n 0: refused" ds list -n 0
check "list --no-legend: rows only" ds list --no-legend
assert "... three, no header" sh -c '! grep -q "^#" "$1" && test "$(wc -l <"$1")" -eq 3' - "$t/out"
assert "... the index first" test "$(awk '{ print $1 }' "$t/out" | tr '\n' ' ')" = "1 2 3 "
check "list --since -1d" ds list --since -1d --no-legend
assert "... devcd1 devcd3" test "$(names)" = "devcd1 devcd3 "
check "list --since -30min" ds list --since -30min --no-legend
assert "... devcd1 devcd3" test "$(names)" = "devcd1 devcd3 "
check "list --since '4 days ago'" ds list --since "4 days ago" --no-legend
assert "... all three" test "$(names)" = "devcd2 devcd1 devcd3 "
check "list --until -2h" ds list --until -2h --no-legend
assert "... devcd2 only" test "$(names)" = "devcd2 "
check "list --until yesterday" ds list --until yesterday --no-legend
assert "... devcd2 only" test "$(names)" = "devcd2 "
check "list --since today --until now" ds list --since today --until now --no-legend
assert "... devcd1 devcd3" test "$(names)" = "devcd1 devcd3 "
check "list --since with an ISO date" ds list --since "$(date -d '4 days ago' +%F)" --no-legend
assert "... all three" test "$(names)" = "devcd2 devcd1 devcd3 "
fails "list --until -1w: none, exit 1" ds list --until -1w
assert "... saying none match" grep -q "no devcoredumps match" "$t/err"
fails "list --since soon: refused" ds list --since soon
assert "... naming the forms it takes" grep -q "today" "$t/err"
if ds list -q --until -1w >"$t/out" 2>"$t/err"; then not_ok "list -q with no match: exit 1"
else ok "list -q with no match: exit 1"; fi
assert "... and nothing said" test ! -s "$t/err" -a ! -s "$t/out"

# --- list: matches -------------------------------------------------------------
check "list driver=amdgpu" ds list --no-legend driver=amdgpu
assert "... devcd1 devcd3, their store-wide index kept" sh -c \
	'test "$(awk "{ print \$1 }" "$1" | tr "\n" " ")" = "2 3 "' - "$t/out"
check "list driver=amdgpu driver=i915: OR'ed" ds list --no-legend driver=amdgpu driver=i915
assert "... all three" test "$(names)" = "devcd2 devcd1 devcd3 "
check "list driver=amdgpu devcd=devcd3: AND'ed" ds list --no-legend driver=amdgpu devcd=devcd3
assert "... devcd3" test "$(names)" = "devcd3 "
check "list device=0000:00:02.0 (last component)" ds list --no-legend device=0000:00:02.0
assert "... devcd2" test "$(names)" = "devcd2 "
check "list device=/sys/devices/... (sysfs path)" \
	ds list --no-legend device=/sys/devices/pci0000:00/0000:03:00.0
assert "... devcd1 devcd3" test "$(names)" = "devcd1 devcd3 "
check "list state=present content=devsnap" ds list --no-legend state=present content=devsnap
assert "... devcd1" test "$(names)" = "devcd1 "
check "list --driver i915 as driver=i915" ds list --no-legend --driver i915
assert "... devcd2" test "$(names)" = "devcd2 "
fails "list driver=amdgpu device=0000:00:02.0: none, exit 1" \
	ds list driver=amdgpu device=0000:00:02.0
fails "list colour=red: an unknown field is an error" ds list colour=red
assert "... naming the fields" grep -q "driver, device" "$t/err"
fails "list amdgpu: not FIELD=VALUE" ds list amdgpu
fails "list -2: only -1 is list's" ds list -2

# --- the pager -------------------------------------------------------------------
DEVSNAP_PAGER="touch $t/paged" ds list >/dev/null 2>&1
assert "no pager when standard output is no terminal" test ! -e "$t/paged"
tty_run() { # COMMAND: run on a pseudo-terminal (script(1))
	script -qec "$1" /dev/null </dev/null >"$t/tty.out" 2>&1
}
tty_run "DEVSNAP_PAGER='cat >$t/paged' '$devsnap' list --store '$s'"
assert "on a terminal, list goes through \$DEVSNAP_PAGER" grep -q devcd3 "$t/paged"
rm -f "$t/paged"
tty_run "PAGER='cat >$t/paged' '$devsnap' list --store '$s'"
assert "... else \$PAGER" grep -q devcd3 "$t/paged"
rm -f "$t/paged"
tty_run "PAGER='env >$t/paged' '$devsnap' list --store '$s'"
assert "... with LESS=FRSXMK" grep -qx "LESS=FRSXMK" "$t/paged"
rm -f "$t/paged"
tty_run "DEVSNAP_PAGER='cat >$t/paged' '$devsnap' list --no-pager --store '$s'"
assert "--no-pager: none" sh -c 'test ! -e "$1" && grep -q devcd3 "$2"' - "$t/paged" "$t/tty.out"

# --- IDs: names stay, indexes are positions ------------------------------------
name1=$(ds list --json | jq -r '.[1].name')
check "show 2 is devcd1 while devcd2 is the oldest" ds show --json 2
assert "... by position" sh -c 'jq -e ".devcd == \"devcd1\"" "$1"' - "$t/out"
# --- --json: one schema ----------------------------------------------------------
check "list --json" ds list --json
assert "... an array of objects" jqe 'type == "array" and length == 3 and all(.[]; type == "object")'
assert "... sizes and index numbers, ISO 8601 time" \
	jqe "all(.[]; (.size|type) == \"number\" and (.size_compressed|type) == \"number\" and
	     (.index|type) == \"number\" and (.time|test(\"$iso\")) and (.state|type) == \"string\")"
assert "... snake_case keys" jqe '[.[] | keys[]] | all(test("^[a-z0-9_]+$"))'
assert "... one line (short)" test "$(wc -l <"$t/out")" -eq 1
check "list --json=pretty" ds list --json=pretty
assert "... indented over many lines, the same data" sh -c \
	'test "$(wc -l <"$1")" -gt 10 && jq -e "length == 3" "$1" >/dev/null' - "$t/out"
check "list --json=short" ds list --json=short
assert "... one line" test "$(wc -l <"$t/out")" -eq 1
check "list --json=off: the table" ds list --json=off
assert "... with its header" grep -q "^#  *TIME" "$t/out"
fails "list --json=yaml: refused" ds list --json=yaml
assert "... naming the choices" grep -q "pretty, short or off" "$t/err"
if ds list --json --until -1w >"$t/out" 2>"$t/err"; then not_ok "list --json, no match: exit 1"
else ok "list --json, no match: exit 1"; fi
assert "... printing []" jqe '. == []'
check "show --json -1" ds show --json -1
assert "... one object: time ISO, size a number, state, index as list's" \
	jqe "type == \"object\" and (.time|test(\"$iso\")) and (.size|type) == \"number\" and
	     .state == \"present\" and .index == 3"
check "info --json of a saved dump (-2: devcd1)" ds info --json -2
assert "... addresses as 0x strings, sizes as numbers, ISO time" \
	jqe "type == \"object\" and (.devsnap.roots[0]|test(\"^0x[0-9a-f]+\$\")) and
	     (.totals.mapped|type) == \"number\" and (.file_size|type) == \"number\" and
	     (.devsnap.time|test(\"$iso\")) and (.notes|type) == \"array\""
assert "... time_ns past 2^53 also as an exact string" \
	jqe '(.devsnap.time_ns_str|test("^[0-9]{19}$")) and (.devsnap.time_ns_str|.[0:10]) ==
	     (.devsnap.time_ns|tostring|.[0:10])'
check "maps --json" ds maps --json -2
assert "... an array: va and pa 0x strings, size numbers, saved booleans" \
	jqe 'type == "array" and length == 9 and all(.[]; (.va|test("^0x[0-9a-f]+$")) and
	     (.pa|test("^0x")) and (.pte_bits|test("^0x")) and (.size|type) == "number" and
	     (.saved|type) == "boolean")'
check "hexdump --json" ds hexdump --json -2 0x400000000000 4
assert "... {va: 0x string, size: number, hex}" \
	jqe '. == {"va": "0x400000000000", "size": 4, "hex": "5b202020"}'
check "verify --json" ds verify --json -2
assert "... an object, sound true" jqe 'type == "object" and .sound == true and .problems == []'
check "diff --json" ds diff --json -2 "$t/demo.core"
assert "... an object of arrays, nothing changed" \
	jqe 'type == "object" and (.added|type) == "array" and (.changed|length) == 0'
check "formats --json" "$devsnap" formats --json
assert "... an array: name, page_size a number" \
	jqe 'type == "array" and length > 10 and all(.[]; (.page_size|type) == "number") and
	     (map(.name) | index("arm64-4k")) != null'
check "blob --json" "$devsnap" blob --json "$t/blob.core"
assert "... [{name, size}]" jqe '. == [{"name": "firmware-log", "size": 13}]'
check "blob --json of a dump without blobs: []" "$devsnap" blob --json "$t/demo.core"
assert "... []" jqe '. == []'
shortpretty() { # VERB ARGS...: --json=short is one line, --json=pretty many, the same data
	"$devsnap" "$@" --json=short --store "$s" >"$t/j.s" &&
	"$devsnap" "$@" --json=pretty --store "$s" >"$t/j.p" &&
	test "$(wc -l <"$t/j.s")" -eq 1 && test "$(wc -l <"$t/j.p")" -gt 2 &&
	test "$(jq -c . "$t/j.s")" = "$(jq -c . "$t/j.p")"
}
for v in "list" "show -1" "info -2" "maps -2" "verify -2" "hexdump -2 0x400000000000 4" \
	 "diff -2 -2" "formats" "blob $t/blob.core"; do
	check "$v: --json=short one line, --json=pretty many, the same data" shortpretty $v
done

# --- --bytes, --no-legend ----------------------------------------------------------
check "list --bytes --no-legend" ds list --bytes --no-legend
assert "... SIZE one field, the exact size (field 7, as .size)" sh -c \
	'test "$(awk "{ print \$7 }" "$1" | tr "\n" " ")" = \
	      "$("$2" list --json --store "$3" | jq -r "map(.size|tostring) | join(\" \")") "' \
	- "$t/out" "$devsnap" "$s"
check "maps --bytes --no-legend" ds maps --bytes --no-legend -2
assert "... nine rows, SIZE a number in field 3 summing to what info says" sh -c \
	'test "$(wc -l <"$1")" -eq 9 &&
	 test "$(awk "{ s += \$3 } END { print s }" "$1")" = \
	      "$("$2" info --json --store "$3" -2 | jq .totals.mapped)"' - "$t/out" "$devsnap" "$s"
check "info --bytes" ds info --bytes -2
assert "... Mapped in bytes" grep -qx " *Mapped: 2195456" "$t/out"
check "maps without --bytes" ds maps -2
assert "... SIZE as 8.0 KiB" grep -q " 8.0 KiB " "$t/out"

# --- hexdump squeezes ------------------------------------------------------------------
check "hexdump of a zeroed page" "$devsnap" hexdump "$t/demo.core" 0x400000001000 0x1000
assert "... one line, '*', the end address" sh -c 'test "$(cat "$1")" = \
"0x0000400000001000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|
*
0x0000400000002000"' - "$t/out"
check "hexdump -v: every line" "$devsnap" hexdump -v "$t/demo.core" 0x400000001000 0x1000
assert "... 256 lines, no '*'" sh -c 'test "$(wc -l <"$1")" -eq 256 && ! grep -qx "\*" "$1"' \
	- "$t/out"
check "hexdump: a squeezed run in the middle" "$devsnap" hexdump "$t/demo.core" 0x400000010fd0 0x40
assert "... a line, the first zero line, '*', then the next different line (no end address)" sh -c \
	'test "$(cut -c1-18 "$1" | tr "\n" " ")" = \
	      "0x0000400000010fd0 0x0000400000010fe0 * 0x0000400000011000 "' \
	- "$t/out"

# --- plurals ------------------------------------------------------------------------------
printf 'x' >"$t/one.bin"
mkdcd 9 "$t/one.bin" gpu xe # a 1-byte devcoredump, into a store of its own
rm -rf "$t/sys/devcd1" "$t/sys/devcd2" "$t/sys/devcd3"
"$devsnap" collect --once --sysfs "$t/sys" --store "$t/store1" --config "$t/empty.conf" \
	2>/dev/null
check "show of a 1-byte dump" "$devsnap" show -1 --store "$t/store1"
assert "... '(1 byte)'" grep -q "Size: 1 B (1 byte)$" "$t/out"
check "verify of the demo: segments, plural" "$devsnap" verify "$t/demo.core"
assert "... '9 segments'" grep -q "sound: 9 segments, 7 saved" "$t/out"
check "verify of the blob dump" "$devsnap" verify "$t/blob.core"
assert "... '2 segments'" grep -q "sound: 2 segments" "$t/out"
check "view --svg counts segments" "$devsnap" view --svg -o "$t/d.svg" "$t/demo.core"
assert "... '9 segments'" grep -q ", 9 segments<" "$t/d.svg"

# --- blob ---------------------------------------------------------------------------------
check "blob DUMP: the names" "$devsnap" blob "$t/blob.core"
assert "... firmware-log, 13 B" grep -qE "^ +13 B  firmware-log$" "$t/out"
check "blob DUMP NAME to a pipe: raw" "$devsnap" blob "$t/blob.core" firmware-log
assert "... the bytes as saved" sh -c 'printf "firmware log\0" | cmp - "$1"' - "$t/out"
check "blob -o FILE" "$devsnap" blob "$t/blob.core" firmware-log -o "$t/fw.bin"
assert "... the same bytes, mode 0600" sh -c \
	'printf "firmware log\0" | cmp - "$1" && test "$(stat -c %a "$1")" = 600' - "$t/fw.bin"
check "blob --hexdump" "$devsnap" blob --hexdump "$t/blob.core" firmware-log
assert "... offsets from 0" grep -q "^0x0000000000000000  66 69 72 6d" "$t/out"
tty_run "'$devsnap' blob '$t/blob.core' firmware-log"
assert "blob to a terminal: escaped" grep -qF 'firmware log\x00' "$t/tty.out"
fails "blob DUMP NOPE: no such blob" "$devsnap" blob "$t/blob.core" nope
assert "... naming it" grep -q "no blob named 'nope'" "$t/err"

# --- debug ---------------------------------------------------------------------------------
mkdir "$t/tmp"
check "debug -2 in gdb reads the saved dump's bytes" env TMPDIR="$t/tmp" "$devsnap" debug \
	--store "$s" -A '-batch -nx -ex "x/4xb 0x400000000000"' -2
assert "... 5b 20 20 20 (the firmware log)" grep -qE ":\s+0x5b\s+0x20\s+0x20\s+0x20$" "$t/out"
assert "... and leaves nothing in \$TMPDIR" test -z "$(ls -A "$t/tmp")"
if env TMPDIR="$t/tmp" "$devsnap" debug --store "$s" -A '-batch -nx -ex "quit 3"' -2 \
	>/dev/null 2>&1; then r=0; else r=$?; fi
assert "debug: the debugger's exit status (3)" test "$r" -eq 3
cat >"$t/fake-debugger" <<'EOS'
#!/bin/sh
# fake-debugger -c CORE EXPECTED OUT: records what it was given
printf '%s\n' "$1" >"$4"
stat -L -c %a "$2" >>"$4"
readlink "$2" >>"$4"
cmp "$3" "$2" && echo same >>"$4"
exit 7
EOS
chmod +x "$t/fake-debugger"
if env TMPDIR="$t/tmp" "$devsnap" debug --store "$s" --debugger "$t/fake-debugger" \
	-A "'$t/demo.core' '$t/dbg'" -2 >/dev/null 2>&1; then r=0; else r=$?; fi
assert "debug --debugger: its exit status (7)" test "$r" -eq 7
assert "... given -c, a mode-0600 unnamed copy in \$TMPDIR, the dump's bytes" sh -c \
	'test "$(sed -n 1p "$1")" = -c && test "$(sed -n 2p "$1")" = 600 &&
	 sed -n 3p "$1" | grep -q "^$2/.*(deleted)$" && test "$(sed -n 4p "$1")" = same' \
	- "$t/dbg" "$t/tmp"
check "debug FILE: a dump file is opened as it is" "$devsnap" debug \
	-A '-batch -nx -ex "x/4xb 0x400000000000"' "$t/demo.core"
assert "... 5b 20 20 20" grep -qE ":\s+0x5b\s+0x20\s+0x20\s+0x20$" "$t/out"
printf 'import sys\nsys.stdout.write(prog.read(0x400000000000, 4).hex() + "\\n")\n' >"$t/read.py"
check "debug --debugger drgn runs a script on the saved dump" "$devsnap" debug --store "$s" \
	--debugger drgn -A "-q --no-default-symbols '$t/read.py'" -2
assert "... reading 5b202020" grep -qx 5b202020 "$t/out"
fails "debug with unbalanced quotes: refused" "$devsnap" debug -A '"x' "$t/demo.core"
fails "debug of no such ID" "$devsnap" debug --store "$s" 99

# --- --store and $DEVSNAP_STORE -----------------------------------------------------------
for v in "list" "show -1" "info -2" "maps -2" "verify -2" "hexdump -2 0x400000000000 4" \
	 "diff -2 -2" "blob -2" "export -2 -o $t/exp.core" "extract -2 -q -o $t/ext.bin" \
	 "read -2 0x400000000000 4 -o $t/r.bin" "view -2 -o $t/v.html"; do
	check "DEVSNAP_STORE: $v" env DEVSNAP_STORE="$s" "$devsnap" $v
	check "--store: $v" "$devsnap" $v --store "$s"
done
assert "export -2 is devcd1's dump" cmp "$t/exp.core" "$t/demo.core"

# --- unknown options are errors everywhere --------------------------------------------------
for v in formats capture demo info maps read hexdump extract diff verify collect list show \
	 export remove view blob debug; do
	fails "$v --no-such-option: refused" "$devsnap" $v --no-such-option
	assert "... pointing at --help" grep -q "devsnap $v --help" "$t/err"
done

# --- stable names, positional indexes ----------------------------------------------------------
check "remove 1 (devcd2, the oldest)" ds remove 1
check "list after: devcd1 is now #1, its name unchanged" ds list --json
assert "... index 1, the same name" jqe ".[0].index == 1 and .[0].name == \"$name1\""

echo "1..$n"
