#!/bin/sh
# Hostile dumps (make_hostile_dumps.c) through every reader verb, each run
# bounded in time and memory: a verb ends with a correct result or one
# line of error, never a crash, a hang or a balloon.  MODE "asan" (the
# fuzz build's sanitized devsnap) bounds memory with ASan's RSS limit,
# since ASan's shadow mapping defeats ulimit -v.  TAP output.
set -u
devsnap=$1
make_dumps=$2
mode=${3:-plain}
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
echo "1..$n"
