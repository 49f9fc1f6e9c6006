#!/bin/sh
# kernel/ as the kernel's own tree checks it: scripts/checkpatch.pl --strict
# from Debian's linux-source tarball (extracted once into WORKDIR) and
# sparse (make C=2) against Debian's kernel headers.  lib/'s files that
# devsnap.ko and the sample driver (the QEMU test device, whose builder the
# kernel series carries) compile are held to the same checkpatch, and go
# through sparse with devsnap.ko.  TAP.
# Usage: style.sh WORKDIR
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
mkdir -p "$1"
work=$(cd "$1" && pwd)

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
diag() { sed 's/^/# /' "$@"; }

tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1)
hdr=$(ls -d /usr/src/linux-headers-*-"$(dpkg --print-architecture)" 2>/dev/null | sort -V |
      tail -n 1)
[ -n "$tarball" ] || { echo "1..0 # SKIP no /usr/src/linux-source-*.tar.xz (scripts/deps.sh)"; exit 0; }
[ -n "$hdr" ] || { echo "1..0 # SKIP no kernel headers in /usr/src (scripts/deps.sh)"; exit 0; }
command -v sparse >/dev/null || { echo "1..0 # SKIP no sparse (scripts/deps.sh)"; exit 0; }

# checkpatch.pl and the two word lists it reads, from the tarball, once.
cp_dir=$work/$(basename "$tarball" .tar.xz)
if [ ! -x "$cp_dir/scripts/checkpatch.pl" ]; then
	rm -rf "$cp_dir.tmp" && mkdir -p "$cp_dir.tmp"
	tar -xJf "$tarball" -C "$cp_dir.tmp" --strip-components=1 --wildcards \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch' || { echo "Bail out! cannot extract checkpatch.pl"; exit 1; }
	rm -rf "$cp_dir" && mv "$cp_dir.tmp" "$cp_dir"
fi
checkpatch() { "$cp_dir/scripts/checkpatch.pl" --strict --no-tree --terse --show-types -f "$@"; }

cd "$top" || exit 1
checkpatch kernel/*.c kernel/*.h >"$work/checkpatch.log" 2>&1
if grep -q ': \(ERROR\|WARNING\|CHECK\):' "$work/checkpatch.log"; then
	not_ok "checkpatch.pl --strict: kernel/ is clean"; diag "$work/checkpatch.log"
else
	ok "checkpatch.pl --strict: kernel/ is clean ($(ls kernel/*.c kernel/*.h | wc -l) files)"
fi

# Kbuild writes objects beside the sources: a copy, lib/ resolved.
rm -rf "$work/kernel"
cp -RL kernel "$work/kernel"
make -C "$hdr" M="$work/kernel" C=2 modules >"$work/sparse.log" 2>&1
rc=$?
if [ $rc -ne 0 ] || grep -q 'warning:\|error:' "$work/sparse.log"; then
	not_ok "sparse (make C=2): devsnap.ko builds without a warning"; diag "$work/sparse.log"
else
	ok "sparse (make C=2): devsnap.ko builds without a warning, lib/ included"
fi

# lib/ as devsnap.ko and the sample compile it, and every header it has.
libfiles=$(grep -ho 'lib/[a-z0-9_/]*\.o' kernel/Kbuild tests/qemu/module/Kbuild | sort -u |
	   sed 's/\.o$/.c/')
checkpatch $libfiles lib/*.h lib/formats/*.h >"$work/checkpatch-lib.log" 2>&1
if grep -q ': \(ERROR\|WARNING\|CHECK\):' "$work/checkpatch-lib.log"; then
	not_ok "checkpatch.pl --strict: lib/ as the kernel compiles it is clean"
	sed -n 's/^[^:]*:[0-9]*: \([A-Z]*\):\([A-Z_]*\):.*/\1 \2/p' "$work/checkpatch-lib.log" |
		sort | uniq -c | sort -rn | diag
	diag "$work/checkpatch-lib.log"
else
	ok "checkpatch.pl --strict: lib/ as the kernel compiles it is clean ($(echo $libfiles \
		lib/*.h lib/formats/*.h | wc -w) files)"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
