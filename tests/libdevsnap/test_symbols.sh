#!/bin/sh
# The exported ABI of libdevsnap.so stays deliberate: its SONAME, its
# dynamic symbols against libdevsnap/libdevsnap.sym, every one versioned
# DEVSNAP_0.1, and none of lib/'s ds_* functions leaking out.  TAP.
set -u
lib=$1 symfile=$2
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
n=0
check() { # description, command...
	desc=$1; shift
	n=$((n + 1))
	if "$@" >"$t/out" 2>&1; then echo "ok $n - $desc"; else
		echo "not ok $n - $desc"; sed 's/^/# /' "$t/out"; fi
}

nm -D --defined-only "$lib" >"$t/nm"
awk '$2 != "A" { print $3 }' "$t/nm" >"$t/versioned"
sed 's/@.*//' "$t/versioned" | sort >"$t/exported"
grep -v '^#' "$symfile" >"$t/expected"

check "SONAME is libdevsnap.so.0" sh -c \
	'readelf -dW "$1" | grep -q "(SONAME).*\[libdevsnap\.so\.0\]"' - "$lib"
check "exported symbols are exactly libdevsnap/libdevsnap.sym (update both on purpose)" \
	diff -u "$t/expected" "$t/exported"
check "every export is versioned DEVSNAP_0.1" sh -c '! grep -v "@@DEVSNAP_0\.1$" "$1"' - \
	"$t/versioned"
check "only functions are exported (no data symbols)" sh -c \
	'! awk "\$2 != \"T\" && \$2 != \"A\"" "$1" | grep .' - "$t/nm"
check "no symbol of lib/ (ds_*) is exported" sh -c '! grep "^ds_" "$1"' - "$t/exported"
check "no undefined symbol beyond libc" sh -c \
	'! nm -D --undefined-only "$1" | grep -v "GLIBC_\|^ *w "' - "$lib"
echo "1..$n"
