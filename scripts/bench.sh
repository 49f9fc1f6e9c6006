#!/bin/sh
# Runs every benchmark: the bench_* executables of the build, then the
# bench/*.sh scripts (given the build directory).  Each prints
# "BENCH <name> <value> <unit> baseline=<value> ratio=<x>".
set -eu
build=${1:-build}
cd "$(dirname "$0")/.."
status=0
for exe in "$build"/bench/bench_*; do
	[ -x "$exe" ] || continue
	"$exe" || { echo "bench: $exe failed" >&2; status=1; }
done
for script in bench/*.sh; do
	[ -f "$script" ] || continue
	sh "$script" "$build" || { echo "bench: $script failed" >&2; status=1; }
done
exit $status
