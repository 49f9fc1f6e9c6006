#!/bin/sh
# devsnap view's output without a browser: the data blob the page draws
# (counts, VAs, states against maps --json), escaping of what comes from
# the dump, the default name, the mode, errors.  TAP output.
set -u
devsnap=$(realpath "$1")
make_view_dumps=$(realpath "$2")
make_reader_dumps=$(realpath "$3")
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
# A dump's VAs (or PAs: col=pa) in decimal from the data's distances (numbers below 2^52).
addrs() { jq -r --arg col "${2:-va}" '.dumps[0].segs as $s | foreach range(0; $s.va | length)
	as $i ({e: 0}; .a = .e + $s[$col][$i] | .e = .a + $s.size[$i]; .a)' "$1"; }
# The JSON between <script type="application/json" ...> and </script>.
data() { sed -n 's/^<script type="application\/json" id="devsnap-data">\(.*\)<\/script>$/\1/p' "$1"; }

"$make_view_dumps" "$t" && "$make_reader_dumps" "$t" || { echo "Bail out! no dumps"; exit 1; }
(cd "$t" && "$devsnap" demo >/dev/null) || { echo "Bail out! devsnap demo failed"; exit 1; }

cd "$t" || exit 1
check "view writes DUMP.html in the current directory by default" \
	"$devsnap" view devsnap-demo.core
check "the report is not world-readable (0600)" test "$(stat -c %a devsnap-demo.core.html)" = 600
data devsnap-demo.core.html >demo.json
check "the data blob is one JSON document" jq -e . demo.json
check "9 segments, in VA order, as maps lists them" test \
	"$(addrs demo.json | xargs printf '0x%x\n')" = \
	"$("$devsnap" maps --json devsnap-demo.core | jq -r '.[].va')"
check "PAs as maps lists them" test \
	"$(addrs demo.json pa | xargs printf '0x%x\n')" = \
	"$("$devsnap" maps --json devsnap-demo.core | jq -r '.[].pa')"
check "sizes as maps lists them" test "$(jq -c '.dumps[0].segs.size' demo.json)" = \
	"$("$devsnap" maps --json devsnap-demo.core | jq -c '[.[].size]')"
check "states: 7 saved, one device-memory, one not-ram" test \
	"$(jq -c '.dumps[0].segs.state | [(map(select(. == 0)) | length),
		   (map(select(. == 4)) | length), (map(select(. == 1)) | length)]' demo.json)" = '[7,1,1]'
check "state names by index, as maps prints them" test \
	"$(jq -c '[.states[.dumps[0].segs.state[]]]' demo.json)" = \
	"$("$devsnap" maps --json devsnap-demo.core | jq -c '[.[] | .skipped // "saved"]')"
check "the INFO header is info --json" test "$(jq -c '.dumps[0].info' demo.json)" = \
	"$("$devsnap" info --json devsnap-demo.core | jq -c .)"

check "a 65 000-segment dump" "$devsnap" view big.core -o big.html
data big.html >big.json
check "all 65 000 segments, 4063 saved" test \
	"$(jq -c '.dumps[0].segs | [(.va | length), ([.state[] | select(. == 0)] | length)]' \
	big.json)" = '[65000,4063]'
check "segment 40 000 at its VA" test "$(addrs big.json | sed -n 40001p)" = \
	"$((0x100000000 + 0x3000 * 40000 + (40 << 40)))"
size=$(stat -c %s big.html)
check "the 65 000-segment report stays under 4 MiB ($size bytes)" test "$size" -lt 4194304
check "the blob's text reaches the data whole" test \
	"$(jq -r '.dumps[0].blobs[0].name' big.json)" = firmware-log
check "dump text cannot close the script: </script> only where the page has it" \
	test "$(grep -o '</script' big.html | wc -l)" = 2
check "no raw U+2028 or '<' inside the data blob" sh -c \
	'! grep -q "$(printf "\342\200\250")" "$1" && ! grep -q "<" "$1"' - big.json
check "escaped text decodes to what the dump holds" test \
	"$(jq -r '.dumps[0].info.devsnap.reason' big.json | head -c 20)" = 'test </script><img s'

check "view A B: a diff" "$devsnap" view a.core b.core
data a.core-vs-b.core.html >diff.json
check "the diff is what diff --json says" test "$(jq -c .diff diff.json)" = \
	"$("$devsnap" diff --json a.core b.core | jq -c .)"
check "both dumps' segments" test "$(jq -c '[.dumps[].segs.va | length]' diff.json)" = '[4,5]'
check "view -o names the file" "$devsnap" view -o asahi-report.html asahi.core
check "Asahi: AGX and RTKit notes decoded" test \
	"$(data asahi-report.html | jq -c '[.dumps[0].info.agx.chip_id,
		.dumps[0].info.rtkit.sections[0].message]')" = '["0x6000","ASSERT ring.c:42"]'
check "distances from the previous end, wrapping at 2^64; not small past 2^52" test \
	"$(data asahi-report.html | jq -c '.dumps[0].segs | [.va, .pa, .small]')" = \
	'[[-549755813888,137438937088],[8589934592,25769787392],false]' # -2^39: 0xffffff8000000000
check "the demo's addresses are small: the page adds them as doubles" test \
	"$(jq .dumps[0].segs.small demo.json)" = true
check "contiguous runs cost one digit: the command ring's VAs" test \
	"$(jq -c '.dumps[0].segs.va[1:5]' demo.json)" = "[$((0x10000 - 0x2000)),0,0,0]"

check "view --svg writes DUMP.svg" "$devsnap" view --svg devsnap-demo.core
check "the SVG is well-formed XML" python3 -c \
	'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' devsnap-demo.core.svg
check "the SVG draws one run per demo segment, by state" test \
	"$(grep -o 'class="run st-[a-z-]*"' devsnap-demo.core.svg | sort | uniq -c | tr -s ' ')" = \
	"$(printf ' 1 class="run st-device-memory"\n 1 class="run st-not-ram"\n 7 class="run st-saved"')"
check "the SVG escapes the dump's text" sh -c \
	'"$0" view --svg -o big.svg big.core && python3 -c "import sys, xml.etree.ElementTree as E;
E.parse(sys.argv[1])" big.svg && ! grep -q "<img" big.svg' "$devsnap"
check "65 000 segments in SVG: narrow runs merged" test \
	"$(grep -c 'class="run ' big.svg)" -lt 2000
check "--svg with two dumps: one line, exit 1" fails 1 "not with --svg" \
	"$devsnap" view --svg a.core b.core

check "no dump: one line, exit 1" fails 1 "give one dump" "$devsnap" view
check "three dumps: one line, exit 1" fails 1 "give one dump" "$devsnap" view a.core b.core a.core
check "a missing dump: one line, exit 1, no report" sh -c \
	'"$0" view -o r.html nosuch.core 2>e; [ $? = 1 ] && [ ! -e r.html ] && [ "$(wc -l <e)" = 1 ]' \
	"$devsnap"
echo "junk" >junk.core
check "not a dump: exit 1, no report" sh -c '! "$0" view -o j.html junk.core 2>/dev/null &&
	[ ! -e j.html ]' "$devsnap"
echo "1..$n"
