#!/bin/sh
# devsnap as a kernel patch series (scripts/kernel-series.sh) in Debian's
# linux-source tree: it applies, checkpatch.pl --strict has no error on it,
# and after `make defconfig` with devsnap's options and `make prepare`,
# lib/devsnap/ and samples/devsnap/ build with W=1 and no warning.  The
# whole tree is unpacked and prepared: minutes, so `make check-slow` runs
# it, not the default run.  TAP.
# Usage: series.sh WORKDIR
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
mkdir -p "$1"
work=$(cd "$1" && pwd)
jobs=$(nproc 2>/dev/null || echo 2)

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
diag() { sed 's/^/# /' "$@"; }
bail() { echo "1..$n"; echo "Bail out! $*"; exit 1; }
step() { # DESCRIPTION LOG COMMAND...: ok, or not ok with the log's tail
	desc=$1 log=$2; shift 2
	if "$@" >"$log" 2>&1; then ok "$desc"; else not_ok "$desc"; tail -n 30 "$log" | diag; return 1; fi
}

tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1)
[ -n "$tarball" ] || { echo "1..0 # SKIP no /usr/src/linux-source-*.tar.xz (scripts/deps.sh)"; exit 0; }

rm -rf "$work/patches" "$work/linux"
step "kernel-series.sh writes the series" "$work/series.log" \
	"$top/scripts/kernel-series.sh" "$work/patches" "$tarball" || bail "no series"
ls "$work/patches" | diag
mkdir -p "$work/linux"
tar -xJf "$tarball" -C "$work/linux" --strip-components=1 || bail "cannot unpack $tarball"
cd "$work/linux" || exit 1
# patch, not git apply: inside a git work tree (the build directory may be
# in one) git apply skips paths outside the current directory, silently.
apply() { for p in "$work"/patches/*.patch; do patch -p1 --forward <"$p" || return 1; done; }
step "it applies to $(basename "$tarball" .tar.xz)" "$work/apply.log" apply ||
	bail "the series does not apply"
grep -q '^config DEVSNAP$' lib/Kconfig && grep -q '^config SAMPLE_DEVSNAP$' samples/Kconfig ||
	bail "the series applied without its Kconfig entries"

scripts/checkpatch.pl --strict --terse --show-types "$work"/patches/*.patch >"$work/checkpatch.log" 2>&1
if grep -q ': ERROR:' "$work/checkpatch.log"; then
	not_ok "checkpatch.pl --strict: no error in the series"; grep ': ERROR:' "$work/checkpatch.log" | diag
else
	ok "checkpatch.pl --strict: no error in the series"
fi
echo "# checkpatch --strict on the series, by type (lib/'s uint64_t is C11's, for userspace):"
sed -n 's/^[^:]*:[0-9]*: \([A-Z]*\):\([A-Z_]*\):.*/\1 \2/p' "$work/checkpatch.log" |
	sort | uniq -c | sort -rn | diag

configure() {
	make defconfig &&
	scripts/config --enable MODULES --enable DEBUG_FS --module DEVSNAP --enable SAMPLES \
		--module SAMPLE_DEVSNAP &&
	make olddefconfig &&
	grep -qx 'CONFIG_DEVSNAP=m' .config && grep -qx 'CONFIG_SAMPLE_DEVSNAP=m' .config
}
step "make defconfig with CONFIG_DEVSNAP=m and CONFIG_SAMPLE_DEVSNAP=m" "$work/config.log" \
	configure || bail "no configuration"
step "make prepare" "$work/prepare.log" make -j"$jobs" prepare || bail "make prepare failed"
built() { # DIR: builds with W=1, no warning
	make -j"$jobs" W=1 "$1" >"$work/w1.log" 2>&1 && ! grep -q 'warning:' "$work/w1.log" ||
		{ cat "$work/w1.log"; false; }
}
step "lib/devsnap/ builds with W=1 and no warning" "$work/lib.log" built lib/devsnap/
step "samples/devsnap/ builds with W=1 and no warning" "$work/samples.log" built samples/devsnap/
echo "1..$n"
[ "$failed" -eq 0 ]
