#!/bin/sh
# The reader verbs (info, maps, read, hexdump, extract, diff, verify) on
# dumps whose bytes are known (see make_reader_dumps.c).  TAP output.
set -u
devsnap=$1
make_dumps=$2
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
n=0
check() { # description, command...
	desc=$1; shift
	n=$((n + 1))
	if "$@" >"$t/out" 2>"$t/err"; then echo "ok $n - $desc"; else
		echo "not ok $n - $desc"; sed 's/^/# /' "$t/out" "$t/err"; fi
}
# exit status, stderr pattern, command...: fails as it should, saying why
fails() { want=$1 pattern=$2; shift 2; "$@" >"$t/fout" 2>"$t/ferr"; got=$?
	[ "$got" = "$want" ] && grep -q -- "$pattern" "$t/ferr" && [ "$(wc -l <"$t/ferr")" = 1 ]; }
has() { printf '%s\n' "$1" | grep -q -- "$2"; }

"$make_dumps" "$t" || { echo "Bail out! make_reader_dumps failed"; exit 1; }
a=$t/a.core b=$t/b.core asahi=$t/asahi.core

# info
info=$("$devsnap" info "$a")
check "info names device, driver, producer" sh -c 'has() { printf "%s\n" "$1" | grep -q -- "$2"; }
	has "$1" "Device: reader0" && has "$1" "Driver: readers" && has "$1" "Producer: devsnap"' - "$info"
check "info counts segments and saved ones" has "$info" "Segments: 4, 3 saved"
check "info totals skipped bytes by reason" has "$info" "Skipped: 4.0 KiB device-memory"
check "info --json totals" test "$("$devsnap" info --json "$a" |
	jq -c '[.producer, .totals.mapped, .totals.saved, .totals.skipped["device-memory"]]')" = \
	'["devsnap",20480,16384,4096]'
ainfo=$("$devsnap" info "$asahi")
check "info decodes an Asahi dump's AGX note" has "$ainfo" "GPU: chip 0x6000, generation 13"
check "info shows the RTKit crash message" has "$ainfo" "Crash message: ASSERT ring.c:42"
check "info lists the RTKit log's sections" has "$ainfo" "RTKit log: Cstr"
check "info --json on Asahi: chip and firmware" test "$("$devsnap" info --json "$asahi" |
	jq -c '[.producer, .agx.chip_id, .agx.firmware_version[0:2], .rtkit.sections[0].message]')" = \
	'["asahi","0x6000",[13,5],"ASSERT ring.c:42"]'

# maps
maps=$("$devsnap" maps "$a")
check "maps: a header and one row per segment" test "$(printf '%s\n' "$maps" | wc -l)" = 5
check "maps: the device page is not saved, and why" has "$maps" \
	"0x0000000000030000  0x0000fe000000     4.0 KiB  rw-   0x0000000000000703  device-memory"
check "maps --json" test "$("$devsnap" maps --json "$a" | jq -c '[length, .[2].skipped, .[0].va, .[0].size]')" = \
	'[4,"device-memory","0x10000",8192]'
check "maps lists an out-of-order Asahi dump by VA" test "$("$devsnap" maps --json "$asahi" | jq -r '.[0].va')" = \
	0xffffff8000000000

# read and hexdump
check "read: the bytes at a VA" test "$("$devsnap" read "$a" 0x10000 21 | cat)" = "alpha: the first dump"
check "read -o: a 0600 file with the bytes across a page boundary" sh -c \
	'"$1" read "$2" 0x10ffe 4 -o "$3/r.bin" && test "$(od -An -tx1 "$3/r.bin")" = " 10 10 11 11" &&
	 test "$(stat -c %a "$3/r.bin")" = 600' - "$devsnap" "$a" "$t"
check "read an unsaved VA: exit 1, one line naming the reason" fails 1 \
	"device VA 0x30000 (PA 0xfe000000) was not saved: device-memory" "$devsnap" read "$a" 0x30000 1
check "read past the mapped range: exit 1, nothing written" sh -c \
	'! "$1" read "$2" 0x40ff0 32 -o "$3/none.bin" 2>"$3/e" && grep -q "0x41000 is not mapped" "$3/e" &&
	 test ! -e "$3/none.bin" && test -z "$(ls -A "$3" | grep devsnap-tmp)"' - "$devsnap" "$a" "$t"
check "read goes through the VA index of an unsorted dump" test \
	"$("$devsnap" read "$asahi" 0xffffffa000000ffe 2 | od -An -tx1)" = " a5 a5"
check "hexdump: address, hex and text columns" has "$("$devsnap" hexdump "$a" 0x10000 32)" \
	"0x0000000000010000  61 6c 70 68 61 3a 20 74  68 65 20 66 69 72 73 74  |alpha: the first|"
check "hexdump --json" test "$("$devsnap" hexdump --json "$a" 0x10000 5 | jq -r '.va + " " + .hex')" = \
	"0x10000 616c706861"
check "hexdump an unmapped VA: exit 1" fails 1 "device VA 0x5000 is not mapped" "$devsnap" hexdump "$a" 0x5000 16

# extract
check "extract --range: saved bytes in place, holes zero" sh -c \
	'"$1" extract -q "$2" --range 0x10000-0x50000 -o "$3/x.img" && test "$(stat -c %s "$3/x.img")" = 262144 &&
	 test "$(head -c 5 "$3/x.img")" = alpha &&
	 test "$(od -An -tx1 -j $((0x10000)) -N 2 "$3/x.img")" = " 20 20" &&
	 cmp -s -n 4096 -i $((0x20000)):0 "$3/x.img" /dev/zero &&
	 test "$(stat -c %a "$3/x.img")" = 600' - "$devsnap" "$a" "$t"
check "extract without --range spans the lowest to the highest mapping" sh -c \
	'"$1" extract "$2" -o "$3/all.img" | grep -q "0x10000-0x41000, 196.0 KiB, 16.0 KiB from the dump" &&
	 test "$(stat -c %s "$3/all.img")" = $((0x31000))' - "$devsnap" "$a" "$t"

# diff
"$devsnap" diff "$a" "$b" >"$t/diff.out"; diff_status=$?
check "diff exits 1 when the dumps differ" test "$diff_status" = 1
check "diff counts changed bytes and the first one" grep -q \
	"changed          0x0000000000010000     4.0 KiB  1 byte differs, the first at 0x10010" "$t/diff.out"
check "diff finds a removed page" grep -q "removed          0x0000000000011000     4.0 KiB  PA 0x80011000 rw-" "$t/diff.out"
check "diff finds a remapped page" grep -q "remapped         0x0000000000020000     4.0 KiB  PA 0x80020000 -> 0x80099000" "$t/diff.out"
check "diff finds new permissions" grep -q "attributes       0x0000000000040000     4.0 KiB  rw- -> r--" "$t/diff.out"
check "diff finds an added page" grep -q "added            0x0000000000050000     4.0 KiB  PA 0x80050000 rw-" "$t/diff.out"
check "diff --json counts" test "$("$devsnap" diff --json "$a" "$b" |
	jq -c '[(.added|length), (.removed|length), (.remapped|length), (.attributes|length), .changed[0].bytes, .identical]')" = \
	'[1,1,1,1,1,1]'
check "diff of a dump with itself: exit 0, all identical" sh -c \
	'"$1" diff "$2" "$2" | grep -q "0 added, 0 removed, 0 remapped, 0 with other attributes, 0 with changed bytes, 0 saved in one dump only, 4 identical"' \
	- "$devsnap" "$a"

# verify and malformed input
check "verify: a sound dump exits 0" has "$("$devsnap" verify "$a")" "sound: 4 segments, 3 saved"
head -c 300 "$a" >"$t/cut.core"
check "verify: a truncated dump exits 1 naming the fault" fails 1 \
	"cut.core: program headers run past the end of the file (at file offset 0x20)" "$devsnap" verify "$t/cut.core"
check "verify --json on a truncated dump" test "$("$devsnap" verify --json "$t/cut.core" | jq -c '[.sound, .problem_count]')" = \
	'[false,1]'
check "verify: a 2M block split at a budget is sound" \
	has "$("$devsnap" verify "$t/split.core")" "sound: 2 segments, 1 saved"
check "verify: a piece of a block at another offset in VA than in PA is not" sh -c \
	'! "$1" verify "$2" >"$3/v" && grep -q "VA and PA at different offsets in its 0x200000 mapping" "$3/v"' \
	- "$devsnap" "$t/skew.core" "$t"
check "verify reports segments out of VA order" sh -c \
	'! "$1" verify "$2" >"$3/v" && grep -q "segments are not in VA order" "$3/v"' - "$devsnap" "$asahi" "$t"
# Damaged one way each (make_reader_dumps.c): not sound, and why.
unsound() { # file, why
	! "$devsnap" verify "$t/$1" >"$t/v" && grep -q -- "$2" "$t/v" && ! grep -q "sound:" "$t/v"
}
check "verify: a blob note and skipped ranges of a sound dump" sh -c \
	'"$1" verify "$2/blob.core" && "$1" verify "$2/skips.core"' - "$devsnap" "$t"
check "verify: segment data on the notes" unsound over-notes.core \
	"file bytes 0x158-0x218 hold both notes and the data of segment 0x20000"
check "verify: segment data on the program headers" unsound over-phdrs.core \
	"hold both the program headers and the data of segment 0x20000"
check "verify: a section header table in segment data" unsound over-shdrs.core \
	"file bytes 0x3000-0x3040 hold both the section headers and the data of segment 0x20000"
check "verify: overlapping segments" unsound overlap.core "segments 0x10000 and 0x20000 overlap"
check "verify: a blob note whose name length is 0xffffffff" unsound blob-name.core \
	"DEVSNAP blob note at file offset 0x218: its name runs past its end"
check "verify: skipped ranges out of order" unsound skip-unsorted.core \
	"skipped ranges are not sorted: 0x30000 follows one ending at 0x40fff"
check "verify: a skipped range wrapping past 2^64" unsound skip-wrap.core \
	"skipped range 0x30000: size 0xfffffffffffff000 is empty or wraps"
check "verify: a skipped range with an unknown reason" unsound skip-reason.core \
	"skipped range 0x20000: unknown reason 99"
for v in "read DUMP 0x20000 4" "hexdump DUMP 0x20000 4" "extract DUMP -o $t/o.img"; do
	check "overlapping segments: $(echo "$v" | cut -d' ' -f1) refuses in one line, writes nothing" \
		fails 1 "overlap.core: segments 0x10000 and 0x20000 overlap, so the bytes there are ambiguous" \
		"$devsnap" $(echo "$v" | sed "s|DUMP|$t/overlap.core|")
done
check "overlapping segments: diff refuses in one line, exit 2" fails 2 \
	"overlap.core: segments 0x10000 and 0x20000 overlap" "$devsnap" diff "$a" "$t/overlap.core"
check "... and extract wrote nothing" test ! -e "$t/o.img"

# The top of the 64-bit space: two saved pages ending at 2^64.
top=$t/top.core
check "top: info counts both pages" has "$("$devsnap" info "$top")" "Segments: 2, 2 saved"
check "top: maps lists the last page" has "$("$devsnap" maps "$top")" \
	"0xfffffffffffff000  0x000080011000     4.0 KiB  rw-   0x0000000000000703  saved"
check "top: read the last page" sh -c '"$1" read "$2" 0xfffffffffffff000 4096 >"$3/last" &&
	head -c 4096 /dev/zero | tr "\\000" "\\377" | cmp -s - "$3/last"' - "$devsnap" "$top" "$t"
check "top: read the space's last byte" test "$("$devsnap" read "$top" 0xffffffffffffffff 1 | od -An -tx1)" = " ff"
check "top: read past the end of the space is refused" fails 1 \
	"is not a length that fits after 0xffffffffffffffff" "$devsnap" read "$top" 0xffffffffffffffff 2
check "top: hexdump the last line" has "$("$devsnap" hexdump "$top" 0xfffffffffffffff0 16)" \
	"0xfffffffffffffff0  ff ff ff ff ff ff ff ff  ff ff ff ff ff ff ff ff  |................|"
check "top: extract without --range ends at 2^64 with the bytes" sh -c \
	'"$1" extract "$2" -o "$3/top.img" | grep -q "0xffffffffffffe000-0x10000000000000000, 8.0 KiB, 8.0 KiB from the dump" &&
	 test "$(od -An -tx1 -j 4095 -N 2 "$3/top.img")" = " fe ff" &&
	 test "$(od -An -tx1 -j 8191 "$3/top.img")" = " ff"' - "$devsnap" "$top" "$t"
check "top: extract --range up to the last byte" sh -c \
	'"$1" extract -q "$2" --range 0xfffffffffffff000-0xffffffffffffffff -o "$3/top.img" &&
	 test "$(stat -c %s "$3/top.img")" = 4095 && test "$(od -An -tx1 -N 1 "$3/top.img")" = " ff" &&
	 test "$(od -An -tx1 -j 4094 "$3/top.img")" = " ff"' - "$devsnap" "$top" "$t"
n=$((n + 1))
if "$devsnap" extract -q "$top" --range 0xfffffffffffff000+0x1000 -o "$t/top.img" 2>"$t/err"; then
	if test "$(stat -c %s "$t/top.img")" = 4096 && test "$(od -An -tx1 -j 4095 "$t/top.img")" = " ff"
	then echo "ok $n - top: extract --range START+LEN reaching 2^64"
	else echo "not ok $n - top: extract --range START+LEN reaching 2^64"; fi
else echo "not ok $n - top: extract --range START+LEN reaching 2^64"; sed 's/^/# /' "$t/err"; fi
check "top: diff finds the space's last byte changed" sh -c \
	'"$1" diff "$2" "$3" >"$4/d"; test $? = 1 && grep -q \
	 "changed          0xfffffffffffff000     4.0 KiB  1 byte differs, the first at 0xffffffffffffffff" "$4/d" &&
	 grep -q "1 with changed bytes, 0 saved in one dump only, 1 identical" "$4/d"' \
	- "$devsnap" "$top" "$t/top-b.core" "$t"
check "top: diff with itself" has "$("$devsnap" diff "$top" "$top")" "2 identical"
check "top: verify" has "$("$devsnap" verify "$top")" "sound: 2 segments, 2 saved"

printf 'not a dump, only text long enough to hold an ELF header: %064d\n' 0 >"$t/text"
: >"$t/empty"
check "a file that is not ELF: exit 1, one line" fails 1 "text: not an ELF file" "$devsnap" info "$t/text"
check "an empty file, a directory, a missing file: one line each" sh -c \
	'for f in "$2/empty" "$2" "$2/missing"; do "$1" maps "$f" 2>>"$2/e3" && exit 1; done
	 test "$(wc -l <"$2/e3")" = 3 && grep -q "is empty" "$2/e3" && grep -q "not a regular file" "$2/e3" &&
	 grep -q "cannot open .*: no such file, nor a saved dump with that ID" "$2/e3"' - "$devsnap" "$t"
check "every reader verb has --help" sh -c \
	'for v in info maps read hexdump extract diff verify; do "$1" $v --help | grep -q "^Usage: devsnap $v" || exit 1; done' \
	- "$devsnap"
echo "1..$n"
