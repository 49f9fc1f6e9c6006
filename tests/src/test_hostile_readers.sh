#!/bin/sh
# Hostile dumps (make_hostile_dumps.c) through every reader verb, each run
# bounded in time and memory: a verb ends with a correct result or one
# line of error, never a crash, a hang or a balloon.  MODE "asan" (the
# fuzz build's sanitized devsnap) bounds memory with ASan's RSS limit,
# since ASan's shadow mapping defeats ulimit -v.  TAP output.
# Usage: test_hostile_readers.sh DEVSNAP MAKE_HOSTILE_DUMPS MAKE_READER_DUMPS [asan]
set -u
devsnap=$1
make_dumps=$2
make_reader=$3
mode=${4:-plain}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
n=0
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}hard_rss_limit_mb=768:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# bounded COMMAND...: at most 60 s (a hang) and 768 MiB (a balloon).
bounded=$t/bounded
if [ "$mode" = asan ]; then printf '#!/bin/sh\nexec timeout 60 "$@"\n' >"$bounded"
else printf '#!/bin/sh\nulimit -v 786432 && exec timeout 60 "$@"\n' >"$bounded"; fi
chmod +x "$bounded"
check() { # description, command...
	desc=$1; shift
	n=$((n + 1))
	if "$@" >"$t/out" 2>"$t/err"; then echo "ok $n - $desc"; else
		echo "not ok $n - $desc"; sed 's/^/# /' "$t/out" "$t/err" | head -20; fi
}
# exit status, stderr pattern, command...: fails as it should, in one line
fails() { want=$1 pattern=$2; shift 2; "$bounded" "$@" >"$t/fout" 2>"$t/ferr"; got=$?
	[ "$got" = "$want" ] && grep -q -- "$pattern" "$t/ferr" && [ "$(wc -l <"$t/ferr")" = 1 ] ||
		{ echo "status $got (want $want)"; cat "$t/ferr"; return 1; }; }
# stdout pattern, command...: succeeds, quietly, printing the pattern
works() { pattern=$1; shift; "$bounded" "$@" >"$t/wout" 2>"$t/werr"; got=$?
	[ "$got" = 0 ] && [ ! -s "$t/werr" ] && grep -q -- "$pattern" "$t/wout" ||
		{ echo "status $got"; head -5 "$t/wout"; cat "$t/werr"; return 1; }; }

"$make_dumps" "$t" || { echo "Bail out! make_hostile_dumps failed"; exit 1; }
saved_va=$((0x100000000 + 1000 * 8192)) # segment 1000: saved, bytes 0xd0

# 200 000 PT_LOADs interleaved with PT_NULLs, in VA order and shuffled.
for d in many shuffled; do
	f=$t/$d.core
	check "$d: info counts 200000 segments" works "Segments: 200000, 200 saved" "$devsnap" info "$f"
	check "$d: maps lists them in VA order" sh -c '"$@" >"$0/maps" &&
		test "$(wc -l <"$0/maps")" = 200001 && sed -n 2p "$0/maps" | grep -q "^0x0000000100000000 " &&
		tail -1 "$0/maps" | grep -q "^0x0000000161a7e000 " && tail -n +2 "$0/maps" | LC_ALL=C sort -c' \
		"$t" "$bounded" "$devsnap" maps "$f"
	check "$d: verify says what is unsound, nothing more" sh -c \
		'! "$@" >"$0/v" && grep -q "PT_LOAD headers are interleaved" "$0/v"' \
		"$t" "$bounded" "$devsnap" verify "$f"
	check "$d: read finds a saved segment" sh -c \
		'"$@" | od -An -tx1 | head -1 | grep -q "^ d0 d0 d0 d0"' \
		"$t" "$bounded" "$devsnap" read "$f" "$saved_va" 4096
	check "$d: hexdump an unsaved segment says so" fails 1 "was not saved: not saved" \
		"$devsnap" hexdump "$f" $((saved_va + 8192)) 16
	check "$d: extract places every saved page" sh -c \
		'"$@" && test "$(stat -c %s "$0/x.img")" = $((0x61a7f000)) &&
		 test "$(od -An -tx1 -j $((1000 * 8192)) -N 2 "$0/x.img")" = " d0 d0" &&
		 cmp -s -n 4096 -i $((1001 * 8192)):0 "$0/x.img" /dev/zero' \
		"$t" "$bounded" "$devsnap" extract -q "$f" -o "$t/x.img"
	check "$d: diff against the ordered file finds them identical" works \
		"0 added, 0 removed, 0 remapped, 0 with other attributes, 0 with changed bytes, 0 saved in one dump only, 200000 identical" \
		"$devsnap" diff "$t/many.core" "$f"
done
rm -f "$t/x.img"

check "program headers past a truncated file's end: one line" fails 1 \
	"program headers run past the end of the file" "$devsnap" maps "$t/lying.core"
# Every verb on every hostile dump: a result or one line of error (exit
# 1, or 2 from diff), never a crash, a sanitizer report, a hang or a balloon.
"$make_reader" "$t" || { echo "Bail out! make_reader_dumps failed"; exit 1; }
for size in 0 1 63 64 100 400 4096 8191; do head -c $size "$t/a.core" >"$t/cut$size.core"; done
survives() { # file
	file=$1
	for v in info maps verify "read @ 0x10000 16" "hexdump @ 0xfffffffffffffff0 16" \
		"extract @ -o $t/e.img" "extract @ --range 0x10000+0x1000 -o $t/e.img" "diff @ $t/a.core"; do
		set -- $(echo "$v" | sed "s|@|$file|; t; s|\$| $file|")
		"$bounded" "$devsnap" "$@" >"$t/sout" 2>"$t/serr" </dev/null
		got=$?
		if [ "$got" -gt 2 ] || [ "$(wc -l <"$t/serr")" -gt 1 ] ||
		   grep -q "Sanitizer\|runtime error" "$t/serr"; then
			echo "$*: status $got"; head -20 "$t/serr"; return 1
		fi
	done
}
for f in lying xnum huge whole cut0 cut1 cut63 cut64 cut100 cut400 cut4096 cut8191 over-notes \
	over-phdrs over-shdrs overlap blob-name skip-unsorted skip-wrap skip-reason top asahi; do
	check "every verb survives $f.core" survives "$t/$f.core"
done
rm -f "$t/e.img"

# Standard input and zstd, known by their magic.
zstd -q -c "$t/a.core" >"$t/a.packed"
check "info - reads a zstd stream from a pipe" sh -c \
	'zstd -q -c "$1" | "$0" info - | grep -q "Segments: 4, 3 saved"' "$devsnap" "$t/a.core"
check "maps - reads a plain dump from a pipe" sh -c \
	'test "$(cat "$1" | "$0" maps - | wc -l)" = 5' "$devsnap" "$t/a.core"
check "a zstd file is read whatever its name" sh -c \
	'test "$("$0" read "$1" 0x10000 5)" = alpha' "$devsnap" "$t/a.packed"
check "diff - FILE: a pipe against a file" works "4 identical" sh -c \
	'zstd -q -c "$1" | "$0" diff - "$1"' "$devsnap" "$t/a.core"
check "a pipe past the dump's end: drained, not kept" sh -c \
	'{ cat "$1"; head -c 300M /dev/zero | tr "\\000" A; } | "$0" info - | grep -q "File: - (20.0 KiB)"' \
	"$devsnap" "$t/a.core"
head -c 1M /dev/zero | tr '\000' A | zstd -q >"$t/as.zst"
for i in 1 2 3 4 5 6 7 8 9 10; do cat "$t/as.zst" "$t/as.zst" >"$t/z2" && mv "$t/z2" "$t/as.zst"; done
cat "$t/a.packed" "$t/as.zst" >"$t/abomb.zst" # a dump, then 1 GiB of "A"
check "a zstd file holding a dump then 1 GiB: the dump, kept alone" works "File: .*abomb.zst (20.0 KiB)" \
	"$devsnap" info "$t/abomb.zst"
check "random bytes on a pipe: refused by their first bytes" fails 1 \
	"standard input: not an ELF file" sh -c 'head -c 100M /dev/urandom | "$0" info -' "$devsnap"
check "endless zeros on a pipe: refused by their first bytes" fails 1 \
	"standard input: not an ELF file" sh -c '"$0" maps - </dev/zero' "$devsnap"
check "a truncated zstd stream: one line" fails 1 "standard input is truncated" sh -c \
	'head -c $(($(stat -c %s "$1") / 2)) "$1" | "$0" verify -' "$devsnap" "$t/a.packed"
check "nothing on standard input: one line" fails 1 "standard input is empty" \
	sh -c '"$0" info - </dev/null' "$devsnap"
mkfifo "$t/fifo"
check "a named FIFO is refused without waiting for a writer" fails 1 "fifo is not a regular file" \
	"$devsnap" info "$t/fifo"

# Store entries whose .zst is a bomb: 8 GiB of zeros (8192 frames of 1 MiB
# each, some 400 KiB in all), alone or after a real dump.
s=$t/store
mkdir -p "$t/sys/devcd1" "$t/sys/devices/gpu0"
printf 'MAJOR=1\nDRIVER=x\n' >"$t/sys/devices/gpu0/uevent"
cp "$t/a.core" "$t/sys/devcd1/data"
ln -s ../devices/gpu0 "$t/sys/devcd1/failing_device"
: >"$t/empty.conf"
"$devsnap" collect --once --sysfs "$t/sys" --store "$s" --config "$t/empty.conf" >/dev/null 2>&1 ||
	{ echo "Bail out! collect --once failed"; exit 1; }
name=$(ls "$s" | sed -n 's/\.json$//p')
head -c 1M /dev/zero | zstd -q >"$t/zeros.zst"
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13; do cat "$t/zeros.zst" "$t/zeros.zst" >"$t/z2" && mv "$t/z2" "$t/zeros.zst"; done
cat "$t/a.packed" "$t/zeros.zst" >"$t/headed.zst"
jq . "$s/$name.json" >"$t/meta.orig"
bomb() { # ZST SIZE: the entry's dump becomes ZST, its metadata's size SIZE
	cp "$1" "$s/$name.zst" && sed "s/\"size\": [0-9]*/\"size\": $2/" "$t/meta.orig" >"$s/$name.json"
}
ls -A "$s" >"$t/store.before"
bomb "$t/zeros.zst" 2097152
check "a bomb of zeros, 2 MiB in its metadata: refused by its first bytes" fails 1 \
	"$name.zst: not an ELF file" env DEVSNAP_STORE="$s" "$devsnap" info -1
bomb "$t/zeros.zst" 4611686018427387904
check "... and with 2^62 in its metadata: the same" fails 1 \
	"$name.zst: not an ELF file" env DEVSNAP_STORE="$s" "$devsnap" maps -1
bomb "$t/headed.zst" 2097152
check "a dump then 8 GiB of zeros, 2 MiB in its metadata: stopped at 2 MiB" fails 1 \
	"$name.zst holds more than the 2097152 bytes its metadata says" \
	env DEVSNAP_STORE="$s" "$devsnap" read -1 0x10000 5
bomb "$t/headed.zst" 1000
check "... and with less than its header in its metadata" fails 1 \
	"$name.zst holds more than the 1000 bytes its metadata says" \
	env DEVSNAP_STORE="$s" "$devsnap" verify -1
bomb "$t/abomb.zst" 2097152
check "a dump then 1 GiB of \"A\", 2 MiB in its metadata: stopped at 2 MiB" fails 1 \
	"$name.zst holds more than the 2097152 bytes its metadata says" \
	env DEVSNAP_STORE="$s" "$devsnap" maps -1
bomb "$t/a.packed" 4611686018427387904
check "a real dump, 2^62 in its metadata: one line, nothing reserved" fails 1 \
	"$name.zst holds 20480 bytes, its metadata says 4611686018427387904" \
	env DEVSNAP_STORE="$s" "$devsnap" info -1
check "... and show: one line, no room made for it" fails 1 \
	"$name.zst ([0-9]* bytes) cannot hold the 4611686018427387904 bytes its metadata says" \
	env DEVSNAP_STORE="$s" "$devsnap" show -1
check "bombs leave nothing behind in the store" sh -c 'ls -A "$0" | diff - "$1"' "$s" "$t/store.before"
bomb "$t/a.packed" 20480
check "the entry restored reads again" works "Segments: 4, 3 saved" \
	env DEVSNAP_STORE="$s" "$devsnap" info -1

# A collected dump of 200 000 interleaved segments, read back by ID.
mkdir -p "$t/sys/devcd2"
cp "$t/many.core" "$t/sys/devcd2/data"
ln -s ../devices/gpu0 "$t/sys/devcd2/failing_device"
"$devsnap" collect --once --sysfs "$t/sys" --store "$s" --config "$t/empty.conf" >/dev/null 2>&1 ||
	{ echo "Bail out! collect --once failed"; exit 1; }
check "show -1 of 200 000 interleaved segments" works "Segments: 200000, 200 saved" \
	"$devsnap" show -1 --store "$s"
check "maps -1 of them" sh -c 'test "$("$@" | wc -l)" = 200001' - \
	env DEVSNAP_STORE="$s" "$bounded" "$devsnap" maps -1

echo "1..$n"
