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

echo "1..22"
"$make_dump" "$tmp/a64.core" 183 || { echo "Bail out! make_dump failed"; exit 1; }
"$make_dump" "$tmp/none.core" 0
"$make_dump" "$tmp/xnum.core" 183 70000
"$make_dump" "$tmp/alias.core" 183 aliases

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

# Shared pages stored once: PT_LOADs of the same PAs share file bytes.
offset_of() { # VA in alias.core's readelf listing: its p_offset
	awk -v va="$1" '$1 == "LOAD" && $3 == va { print $2 }' "$tmp/alias.out"
}
readelf -lW "$tmp/alias.core" >"$tmp/alias.out" 2>"$tmp/alias.err"
check "readelf lists all 6 segments of a dump with aliases, without warnings" \
	sh -c "test ! -s '$tmp/alias.err' && ! grep -qi warning '$tmp/alias.out' &&
	       test \$(grep -c '^ *LOAD' '$tmp/alias.out') = 6"
a=$(offset_of 0x0000000000010000); b=$(offset_of 0x0000000000040000); c=$(offset_of 0x0000000000030000)
check "aliases share p_offset: 0x40000 at $b as 0x10000 at $a, 0x30000 one page in" \
	test -n "$a" -a "$a" = "$b" -a "$((a + 0x1000))" = "$((c))"
eu-readelf -h -l -n "$tmp/alias.core" >"$tmp/eu-alias.out" 2>"$tmp/eu-alias.err"
check "eu-readelf reads a dump with aliases without warnings" \
	sh -c "test ! -s '$tmp/eu-alias.err' && ! grep -qi 'warning\|invalid' '$tmp/eu-alias.out'"
check "gdb reads \"devsnap-page-A..\" at the alias 0x40000" \
	sh -c "gdb -batch -nx -ex 'x/s 0x40000' -c '$tmp/alias.core' 2>/dev/null | grep -q 'devsnap-page-A\.\.'"
check "gdb reads the upper-half page at its alias 0xffffff8000020000" \
	sh -c "gdb -batch -nx -ex 'x/s 0xffffff8000020000' -c '$tmp/alias.core' 2>/dev/null | grep -q 'upper-half-page\.'"
drgn_same() { # core, then "address physical" pairs: prints the 64 bytes if all are equal
	/usr/bin/python3 - "$@" <<'PY'
import sys, drgn
prog = drgn.Program()
prog.set_core_dump(sys.argv[1])
got = {prog.read(int(a, 0), 64, p == "1") for a, p in zip(sys.argv[2::2], sys.argv[3::2])}
print(got.pop()[:16].decode("latin-1") if len(got) == 1 else "differ: %r" % got)
PY
}
check "drgn: 0x10000, its alias 0x40000 and PA 0x80010000 read the same" \
	test "$(drgn_same "$tmp/alias.core" 0x10000 0 0x40000 0 0x80010000 1 2>&1)" = "devsnap-page-A.."
check "drgn: 0x11000, the alias 0x30000 of its page and PA 0x80011000 read the same" \
	test "$(drgn_same "$tmp/alias.core" 0x11000 0 0x30000 0 0x41000 0 0x80011000 1 2>&1 | od -An -tx1 | head -1 | tr -d ' ')" = "11111111111111111111111111111111"
check "drgn: the upper-half page and its alias read the same" \
	test "$(drgn_same "$tmp/alias.core" 0xffffff8000010000 0 0xffffff8000020000 0 0x90000000 1 2>&1)" = "upper-half-page."
check "the dump with 3 aliases holds no more page data than the one without" \
	test "$(stat -c %s "$tmp/alias.core")" = "$(stat -c %s "$tmp/a64.core")"
