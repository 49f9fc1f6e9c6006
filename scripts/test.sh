#!/bin/sh
# Every test: the unit, CLI and interoperability tests (gcc build), then the
# libFuzzer harnesses for a bounded time (clang build).  Ends with one line,
# "N passed, N failed, N skipped", counting each TAP test case on its own.
set -u
cd "$(dirname "$0")/.."
scripts/deps.sh || { echo "0 passed, 1 failed"; exit 1; }

fuzz_seconds=${DEVSNAP_FUZZ_SECONDS:-30}
status=0
results=$(mktemp)
trap 'rm -f "$results"' EXIT

# One PASS/FAIL/SKIP line per test case of a meson test log.
count_cases() {
	jq -r '
		(.stdout // "" | split("\n") | map(select(test("^(not )?ok [0-9]")))) as $tap
		| if ($tap | length) > 0 then
			($tap[] | if test("^not ok") then "FAIL"
				  elif test("# *(SKIP|skip)") then "SKIP" else "PASS" end),
			(if (.result != "OK" and .result != "SKIP")
			    and ($tap | map(select(test("^not ok"))) | length) == 0
			 then "FAIL" else empty end)
		  elif .result == "OK" or .result == "EXPECTEDFAIL" then "PASS"
		  elif .result == "SKIP" then "SKIP"
		  else "FAIL" end' "$1"
}

run_suite() { # build-dir, then meson setup arguments
	dir=$1; shift
	if [ ! -f "$dir/build.ninja" ]; then
		meson setup "$dir" "$@" >"$dir.setup.log" 2>&1 ||
			{ cat "$dir.setup.log"; echo FAIL >>"$results"; status=1; return; }
	fi
	meson compile -C "$dir" >"$dir.compile.log" 2>&1 ||
		{ cat "$dir.compile.log"; echo FAIL >>"$results"; status=1; return; }
	meson test -C "$dir" --print-errorlogs --num-processes 2 --no-suite slow || status=1
	count_cases "$dir/meson-logs/testlog.json" >>"$results" || { echo FAIL >>"$results"; status=1; }
}

run_suite build
CC=clang run_suite build-fuzz -Dfuzzing=true -Dfuzz_seconds="$fuzz_seconds"

printf '%d passed, %d failed, %d skipped\n' "$(grep -c PASS "$results")" \
	"$(grep -c FAIL "$results")" "$(grep -c SKIP "$results")"
exit $status
