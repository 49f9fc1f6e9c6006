#!/bin/sh
# run_fuzzer.sh FUZZER SEED_DIR SECONDS: fuzzes for SECONDS from the seeds
# (in a scratch copy, so the source tree is not written), fails on any
# crash, leak or sanitizer report, leaving the crashing input beside it.
set -eu
fuzzer=$1 seeds=$2 seconds=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus"
[ -d "$seeds" ] && cp "$seeds"/* "$work/corpus/" 2>/dev/null || true
exec "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
	-artifact_prefix="$(dirname "$fuzzer")/crash-$(basename "$fuzzer")-" \
	-print_final_stats=1 "$work/corpus"
