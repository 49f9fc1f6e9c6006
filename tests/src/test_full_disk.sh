#!/bin/sh
# Every verb that writes a file, on a full disk: a 1 MiB tmpfs in a private
# mount namespace.  Each must fail with one line naming the file and ENOSPC,
# exit 1, and leave nothing behind, neither a partial file nor its
# temporary.  TAP.
set -u
devsnap=$1
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

# Inputs, made outside the small disk: a 2.1 MiB dump, and a store holding
# it (collected from a fake sysfs tree).
"$devsnap" demo -q -o "$t/demo.core" >/dev/null || { echo "Bail out! devsnap demo failed"; exit 1; }
tree=$t/sysfs
mkdir -p "$tree/devices/virtual/devcoredump/devcd1" "$tree/class/devcoredump"
cp "$t/demo.core" "$tree/devices/virtual/devcoredump/devcd1/data"
ln -s ../../devices/virtual/devcoredump/devcd1 "$tree/class/devcoredump/devcd1"
printf '[Collect]\n' >"$t/empty.conf"
"$devsnap" collect --once --sysfs "$tree/class/devcoredump" --store "$t/store" \
	--config "$t/empty.conf" 2>/dev/null || { echo "Bail out! collect failed"; exit 1; }
block_va=$("$devsnap" maps --json "$t/demo.core" |
	jq -r '[.[] | select(.size == 2097152)][0].va')

# One line per verb: NAME EXIT-STATUS STDERR-LINES ENOSPC-AND-FILE-NAMED FILES-LEFT
unshare -rm sh -c '
	devsnap=$1 t=$2 block_va=$3
	mkdir "$t/tiny"
	mount -t tmpfs -o size=1m,mode=700 tmpfs "$t/tiny" || exit 1
	try() { # NAME, devsnap arguments
		name=$1; shift
		"$devsnap" "$@" >/dev/null 2>"$t/err"
		rc=$?
		grep -q "cannot write .*$t/tiny/.*: No space left on device" "$t/err" &&
			enospc=yes || enospc=no
		echo "$name $rc $(wc -l <"$t/err") $enospc $(ls -A "$t/tiny" | wc -l)"
		cat "$t/err" >&2
	}
	try capture demo -q -o "$t/tiny/out.core"
	try extract extract "$t/demo.core" -o "$t/tiny/flat.img"
	try read read "$t/demo.core" "$block_va" 2M -o "$t/tiny/block.bin"
	try export export -1 --store "$t/store" -o "$t/tiny/export.core"
' - "$devsnap" "$t" "$block_va" >"$t/results" 2>"$t/stderr"

if ! grep -q '^capture ' "$t/results"; then
	for verb in capture extract read export; do
		skip "$verb on a full disk" \
			"cannot mount a tmpfs in a user namespace here: $(head -n 1 "$t/stderr")"
	done
else
	while read -r verb rc lines enospc left; do
		if [ "$rc" = 1 ] && [ "$lines" = 1 ] && [ "$enospc" = yes ] && [ "$left" = 0 ]; then
			ok "$verb on a full disk: exit 1, one line naming the file and ENOSPC, nothing left"
		else
			not_ok "$verb on a full disk: exit 1, one line naming the file and ENOSPC, nothing left"
			echo "# exit $rc, $lines lines, file and ENOSPC named: $enospc, files left: $left"
		fi
	done <"$t/results"
	sed 's/^/# /' "$t/stderr"
fi
echo "1..$n"
