#!/bin/sh
# Many collectors at once, as a crash loop starts one devsnap-collect@devcdN
# per dump: the store's limits hold whatever the interleaving, no collector
# reports another's removal as an error, and the rate limit shared through
# the store keeps the first RateLimitBurst= dumps, counts the dropped ones,
# logs them, and every dump is released.  Fake sysfs as in test_collect.sh.
# TAP.
set -u
devsnap=$(realpath "$1")
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { # description, command...
	desc=$1; shift
	if "$@" >"$t/out" 2>"$t/err"; then ok "$desc"; else
		not_ok "$desc"; sed 's/^/# /' "$t/out" "$t/err"; fi
}
N=30

# tree DIR: N pending dumps of one device, devcd1..devcdN, 64 KiB each.
tree() {
	mkdir -p "$1/sys/devices/platform/gpu0" "$1/sys/class/devcoredump"
	printf 'DRIVER=loopgpu\n' >"$1/sys/devices/platform/gpu0/uevent"
	for i in $(seq 1 $N); do
		d=$1/sys/devices/virtual/devcoredump/devcd$i
		mkdir -p "$d"
		ln -s "../../devices/virtual/devcoredump/devcd$i" "$1/sys/class/devcoredump/devcd$i"
		ln -s ../../../platform/gpu0 "$d/failing_device"
		{ echo "dump $i"; head -c 65536 /dev/urandom; } >"$d/data"
	done
}
# run DIR CONF: one collector per dump, all started at once; their stderr in DIR/err.
run() {
	pids=
	for i in $(seq 1 $N); do
		"$devsnap" collect --sysfs "$1/sys/class/devcoredump" --store "$1/store" \
			--config "$2" "devcd$i" 2>"$1/err.$i" &
		pids="$pids $!"
	done
	fails=0
	for p in $pids; do wait "$p" || fails=$((fails + 1)); done
	echo "$fails" >"$1/fails"
	cat "$1"/err.* >"$1/err"
}
released() { # DIR: how many of the dumps hold "1", as released ones do here
	for f in "$1"/sys/devices/virtual/devcoredump/devcd*/data; do
		[ "$(cat "$f")" != 1 ] || echo "$f"
	done | wc -l
}
entries() { ls "$1/store" | grep -c '\.json$'; }

# --- MaxCount with 30 collectors at once -------------------------------
printf '[Collect]\nMaxCount=5\nRateLimitBurst=0\n' >"$t/count.conf"
tree "$t/a"
run "$t/a" "$t/count.conf"
check "$N collectors at once, MaxCount=5: every one exits 0" test "$(cat "$t/a/fails")" = 0
check "... the store holds 5 dumps, no more" test "$(entries "$t/a")" = 5
check "... every .json has its .zst" sh -c '
	for j in "$1"/*.json; do test -s "${j%.json}.zst" || exit 1; done' - "$t/a/store"
check "... every dump released" test "$(released "$t/a")" = $N
check "... no collector reports another's removal as an error" \
	sh -c '! grep -e "cannot remove" -e "No such file" "$1"' - "$t/a/err"
check "... and the removals logged add up: $N saved, $((N - 5)) removed" \
	test "$(grep -c "to keep within MaxCount" "$t/a/err")" = $((N - 5))

# --- MaxUse with 30 collectors at once ----------------------------------
printf '[Collect]\nMaxUse=400K\nRateLimitBurst=0\n' >"$t/use.conf"
tree "$t/b"
run "$t/b" "$t/use.conf"
check "$N collectors at once, MaxUse=400K: every one exits 0" test "$(cat "$t/b/fails")" = 0
check "... the store takes at most 400 KiB" sh -c '
	test "$(du -s -B1 --apparent-size "$1" | cut -f1)" -le $((400 * 1024)) ||
	test "$(du -s -B1 "$1" | cut -f1)" -le $((400 * 1024))' - "$t/b/store"
check "... and holds dumps" test "$(entries "$t/b")" -ge 1
check "... no error logged" sh -c '! grep -e "cannot" "$1"' - "$t/b/err"

# --- The rate limit: a crash loop of 30 dumps at once --------------------
printf '[Collect]\nRateLimitIntervalSec=1h\nRateLimitBurst=7\n' >"$t/rate.conf"
tree "$t/c"
run "$t/c" "$t/rate.conf"
check "rate limit 7 per hour, $N dumps at once: every collector exits 0" \
	test "$(cat "$t/c/fails")" = 0
check "... the first 7 saved, no more" test "$(entries "$t/c")" = 7
check "... every dump released, saved or not" test "$(released "$t/c")" = $N
check "... one line says the limit was reached, naming the keys" sh -c '
	test "$(grep -c "not saved: RateLimitBurst=7 dumps in RateLimitIntervalSec=3600s reached" \
		"$1")" = 1' - "$t/c/err"
check "... the state counts $((N - 7)) dropped" sh -c '
	read -r start saved dropped <"$1" && test "$saved" = 7 && test "$dropped" = $(($2 - 7))' \
	- "$t/c/store/.ratelimit" $N
check "... the state is root's only (0600)" test "$(stat -c %a "$t/c/store/.ratelimit")" = 600
# The window ends: the next dump is saved, and reports the count.
printf '[Collect]\nRateLimitIntervalSec=1s\nRateLimitBurst=7\n' >"$t/rate1.conf"
sleep 1.1
d=$t/c/sys/devices/virtual/devcoredump/devcd1
echo "one more" >"$d/data"
"$devsnap" collect --sysfs "$t/c/sys/class/devcoredump" --store "$t/c/store" \
	--config "$t/rate1.conf" devcd1 2>"$t/c/err.next"
check "after the window, the next dump is saved" test "$(entries "$t/c")" = 8
check "... and the dropped ones are logged with their count" \
	grep -q "rate limit: $((N - 7)) device coredumps were dropped in the window that began" \
	"$t/c/err.next"

# --- Configuration --------------------------------------------------------
printf '[Collect]\nRateLimitIntervalSec=soon\nRateLimitBurst=-1\n' >"$t/bad.conf"
mkdir -p "$t/d/sys/class/devcoredump"
"$devsnap" collect --once --sysfs "$t/d/sys/class/devcoredump" --store "$t/d/store" \
	--config "$t/bad.conf" 2>"$t/d/err"
check "a bad RateLimitIntervalSec= is warned about and ignored" \
	grep -q "RateLimitIntervalSec=soon is not a time span, ignored" "$t/d/err"
check "a bad RateLimitBurst= is warned about and ignored" \
	grep -q "RateLimitBurst=-1 is not a number, ignored" "$t/d/err"
echo "1..$n"
