#!/bin/sh
# libdevsnap as another project uses it: meson install into a scratch
# DESTDIR, then a program built with only the installed <devsnap/devsnap.h>
# and devsnap.pc (pkg-config with PKG_CONFIG_SYSROOT_DIR, no path into this
# tree) reads the demo dump, byte for byte as `devsnap read` does; so does
# the Python binding installed into site-packages.  TAP.
set -u
build=$1 src=$2 devsnap=$3 libdir=$4 includedir=$5 version=$6 pythondir=$7 mandir=$8
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
d=$t/dest
n=0
check() { # description, command...
	desc=$1; shift
	n=$((n + 1))
	if "$@" >"$t/out" 2>"$t/err"; then echo "ok $n - $desc"; else
		echo "not ok $n - $desc"; sed 's/^/# /' "$t/out" "$t/err"; fi
}

check "meson install into DESTDIR" env DESTDIR="$d" meson install -C "$build" --no-rebuild
check "headers in $includedir/devsnap" sh -c 'for h in devsnap common dump walk version; do
	test -s "$1/devsnap/$h.h" || exit 1; done' - "$d$includedir"
check "libdevsnap.so.0 in $libdir, with the development link" sh -c '
	test -f "$1/libdevsnap.so.0.1.0" && test "$(readlink "$1/libdevsnap.so.0")" = \
	libdevsnap.so.0.1.0 && test "$(readlink -f "$1/libdevsnap.so")" = \
	"$(readlink -f "$1/libdevsnap.so.0.1.0")"' - "$d$libdir"
check "devsnap.pc in $libdir/pkgconfig" test -s "$d$libdir/pkgconfig/devsnap.pc"
check "libdevsnap(3) in $mandir, as roff" grep -q '^\.TH' "$d$mandir/man3/libdevsnap.3"

# Only the DESTDIR's .pc files, rebased into the DESTDIR.
pc() { env PKG_CONFIG_LIBDIR="$d$libdir/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$d" \
	pkg-config "$@"; }
check "pkg-config devsnap: version $version" test "$(pc --modversion devsnap)" = "$version"
check "pkg-config --cflags --libs devsnap point into the DESTDIR" sh -c '
	test "$1" = "-I$3$4 -L$3$5 -ldevsnap"' - "$(pc --cflags --libs devsnap | sed "s/ *$//")" x "$d" \
	"$includedir" "$libdir"
# shellcheck disable=SC2046
check "a C11 program builds against the installed headers alone, without a warning" \
	cc -std=c11 -Wall -Wextra -Wpedantic -Werror -o "$t/user" \
	"$src/tests/packaging/libdevsnap_user.c" $(pc --cflags --libs devsnap)
printf '%s\n' '#include <devsnap/devsnap.h>' \
	'int main() { devsnap_open_options o = DEVSNAP_OPEN_OPTIONS_INIT; return (int)o.flags; }' \
	>"$t/cxx.cc"
# shellcheck disable=SC2046
check "the headers compile as C++11 too" c++ -std=c++11 -Wall -Wextra -Werror -c -o "$t/cxx.o" \
	"$t/cxx.cc" $(pc --cflags devsnap)
check "the C program links libdevsnap.so.0" sh -c \
	'readelf -dW "$1" | grep -q "(NEEDED).*\[libdevsnap\.so\.0\]"' - "$t/user"

run() { env LD_LIBRARY_PATH="$d$libdir" "$t/user" "$@"; }
check "devsnap demo writes a dump" "$devsnap" demo -q -o "$t/demo.core"
check "the program loads the DESTDIR's library" sh -c \
	'LD_LIBRARY_PATH="$1" ldd "$2" | grep -qF "$1/libdevsnap.so.0"' - "$d$libdir" "$t/user"
check "it reads the dump's summary" sh -c 'test "$1" = \
	"9 segments, format arm64-4k, library $2, headers $2"' - "$(run "$t/demo.core")" "$version"
"$devsnap" read "$t/demo.core" 0x400000000000 8K >"$t/want-log"
check "the firmware log it reads is what devsnap read gives (8 KiB)" sh -c \
	'LD_LIBRARY_PATH="$1" "$2" "$3" 0x400000000000 8192 | cmp - "$4"' - "$d$libdir" "$t/user" \
	"$t/demo.core" "$t/want-log"
"$devsnap" read "$t/demo.core" 0x400004000000 2M >"$t/want-heap"
check "so is the 2 MiB heap block" sh -c \
	'LD_LIBRARY_PATH="$1" "$2" "$3" 0x400004000000 0x200000 | cmp - "$4"' - "$d$libdir" \
	"$t/user" "$t/demo.core" "$t/want-heap"
check "the MMIO window (not saved) is an error: No data available (-ENODATA)" sh -c '
	! LD_LIBRARY_PATH="$1" "$2" "$3" 0x400000040000 16 2>"$4" &&
	test "$(cat "$4")" = "VA 0x400000040000: No data available"' - "$d$libdir" "$t/user" \
	"$t/demo.core" "$t/mmio-err"

check "devsnap.py installed in $pythondir" test -s "$d$pythondir/devsnap.py"
check "the installed Python module reads the same bytes" env PYTHONPATH="$d$pythondir" \
	LD_LIBRARY_PATH="$d$libdir" PYTHONDONTWRITEBYTECODE=1 python3 -c '
import sys, devsnap
with devsnap.Dump(sys.argv[1]) as dump:
	assert dump.read(0x400000000000, 8192) == open(sys.argv[2], "rb").read()
	assert devsnap.__file__.startswith(sys.argv[3]), devsnap.__file__' \
	"$t/demo.core" "$t/want-log" "$d"
echo "1..$n"
