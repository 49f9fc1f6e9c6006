#!/bin/sh
# scripts/bench.sh --list: the benchmarks `make bench` runs are the build's
# bench_* executables and bench/*.sh, never meson's bench_*.p directories
# (for which `[ -x ]` is true too).  The benchmarks themselves are not run
# here: no timed tests.  TAP.
set -u
build=$1
src=$2
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { # description, command...
	desc=$1; shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; sed 's/^/# /' "$list"; fi
}
list=$(mktemp)
trap 'rm -f "$list"' EXIT

"$src/scripts/bench.sh" --list "$build" >"$list"
check "--list exits 0" test $? = 0
check "a bench_*.p directory exists beside the executables" \
	sh -c 'ls -d "$1"/bench/bench_*.p >/dev/null 2>&1' - "$build"
check "no directory is listed" sh -c '! grep -q "\.p$" "$1"' - "$list"
check "everything listed is a regular file, executables executable" sh -c '
	cd "$2" && while read -r b; do
		[ -f "$b" ] || exit 1
		case $b in *.sh) ;; *) [ -x "$b" ] || exit 1 ;; esac
	done <"$1"' - "$list" "$src"
check "every bench_* executable of the build is listed" sh -c '
	for exe in "$2"/bench/bench_*; do
		[ -d "$exe" ] && continue
		grep -qx "$exe" "$1" || exit 1
	done' - "$list" "$build"
check "every bench/*.sh is listed" sh -c '
	cd "$2" && for s in bench/*.sh; do grep -qx "$s" "$1" || exit 1; done' - "$list" "$src"
echo "1..$n"
