#!/bin/sh
# The dump format read by tools no one here wrote: readelf and eu-readelf
# (no warnings), gdb (bytes at device VAs) and drgn (by VA, and by
# physical address through p_paddr).  TAP output.
set -u
make_dump=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { desc=$1; shift; if "$@"; then ok "$desc"; else not_ok "$desc"; fi; }

echo "1..13"
"$make_dump" "$tmp/a64.core" 183 || { echo "Bail out! make_dump failed"; exit 1; }
"$make_dump" "$tmp/none.core" 0
"$make_dump" "$tmp/xnum.core" 183 70000

# readelf: every header, no complaint on stderr or in the listing.
readelf -hlnW "$tmp/a64.core" >"$tmp/readelf.out" 2>"$tmp/readelf.err"
check "readelf reads the dump without warnings" \
	test ! -s "$tmp/readelf.err" -a "$(grep -ci warning "$tmp/readelf.out")" = 0
check "readelf lists the device VA and PA of the first segment" \
	grep -Eq 'LOAD +0x[0-9a-f]+ 0x0000000000010000 0x0000000080010000 0x002000 0x002000 RW +0x1000' \
	"$tmp/readelf.out"
check "readelf shows the unsaved device page with p_filesz 0" \
	grep -Eq 'LOAD +0x[0-9a-f]+ 0x0000000000020000 0x00000000fe000000 0x000000 0x001000 R +0x1000' \
	"$tmp/readelf.out"
check "readelf lists the DEVSNAP notes" \
	test "$(grep -c 'DEVSNAP' "$tmp/readelf.out")" -ge 3
readelf -lW "$tmp/xnum.core" >"$tmp/xnum.out" 2>"$tmp/xnum.err"
check "readelf counts 70003 program headers through PN_XNUM" \
	sh -c "test ! -s '$tmp/xnum.err' && grep -q 'There are 70004 program headers' '$tmp/xnum.out'"

eu-readelf -h -l -n "$tmp/a64.core" >"$tmp/eu.out" 2>"$tmp/eu.err"
check "eu-readelf reads the dump without warnings" \
	sh -c "test ! -s '$tmp/eu.err' && ! grep -qi 'warning\|invalid' '$tmp/eu.out'"

# gdb: the bytes at device VAs, low and upper half.
check "gdb reads \"devsnap-page-A..\" at 0x10000" \
	sh -c "gdb -batch -nx -ex 'x/s 0x10000' -c '$tmp/a64.core' 2>/dev/null | grep -q 'devsnap-page-A\.\.'"
check "gdb reads the upper-half page at 0xffffff8000010000" \
	sh -c "gdb -batch -nx -ex 'x/s 0xffffff8000010000' -c '$tmp/a64.core' 2>/dev/null | grep -q 'upper-half-page\.'"
check "gdb reads an EM_NONE dump" \
	sh -c "gdb -batch -nx -ex 'x/s 0x10000' -c '$tmp/none.core' 2>/dev/null | grep -q 'devsnap-page-A\.\.'"
check "gdb reads a PN_XNUM dump" \
	sh -c "gdb -batch -nx -ex 'x/s 0xffffff8000010000' -c '$tmp/xnum.core' 2>/dev/null | grep -q 'upper-half-page\.'"

# drgn (Debian's python3-drgn, so Debian's python3).
drgn_read() { # core, address, physical
	/usr/bin/python3 - "$1" "$2" "$3" <<'PY'
import sys, drgn
prog = drgn.Program()
prog.set_core_dump(sys.argv[1])
print(prog.read(int(sys.argv[2], 0), 16, sys.argv[3] == "1").decode())
PY
}
check "drgn reads 0x10000 by VA" test "$(drgn_read "$tmp/a64.core" 0x10000 0 2>&1)" = "devsnap-page-A.."
check "drgn reads PA 0x80010000 through p_paddr" \
	test "$(drgn_read "$tmp/a64.core" 0x80010000 1 2>&1)" = "devsnap-page-A.."
check "drgn reads the upper half by VA" \
	test "$(drgn_read "$tmp/a64.core" 0xffffff8000010000 0 2>&1)" = "upper-half-page."
