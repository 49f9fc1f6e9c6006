#!/bin/sh
# Runs every benchmark: the bench_* executables of the build, then the
# bench/*.sh scripts (given the build directory).  Each prints
# "BENCH <name> <value> <unit> baseline=<value> ratio=<x>".
#   scripts/bench.sh [BUILD]          run them (BUILD defaults to build)
#   scripts/bench.sh --list [BUILD]   only name them, one a line
set -eu
list=false
if [ "${1:-}" = --list ]; then list=true; shift; fi
build=${1:-build}
cd "$(dirname "$0")/.."

# Meson keeps each target's objects in a bench_*.p directory beside it:
# only regular executable files are benchmarks.
benchmarks() {
	for exe in "$build"/bench/bench_*; do
		[ -f "$exe" ] && [ -x "$exe" ] && echo "$exe"
	done
	for script in bench/*.sh; do
		[ -f "$script" ] && echo "$script"
	done
	return 0
}

if $list; then
	benchmarks
	exit 0
fi
status=0
IFS='
' # one path a line
for b in $(benchmarks); do
	case $b in
	*.sh) sh "$b" "$build" ;;
	*) "$b" ;;
	esac || { echo "bench: $b failed" >&2; status=1; }
done
exit $status
