#!/bin/sh
# devsnap as a kernel patch series (scripts/kernel-series.sh) in Debian's
# linux-source tree: signed off by a real author, it applies, carries no
# source twice, checkpatch.pl --strict says nothing of it, and after `make
# defconfig` with devsnap's options and `make prepare`, lib/devsnap/ and
# samples/devsnap/ build with W=1 and no warning.  The
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
# No identity to sign off with: a clear refusal, no series.
if (unset DEVSNAP_SERIES_AUTHOR GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL EMAIL
    GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 \
	"$top/scripts/kernel-series.sh" "$work/patches" "$tarball") >"$work/noauthor.log" 2>&1 ||
   ! grep -q 'no author to sign the series off' "$work/noauthor.log" || [ -e "$work/patches" ]; then
	not_ok "without an author kernel-series.sh refuses, saying how to set one"; diag "$work/noauthor.log"
else
	ok "without an author kernel-series.sh refuses, saying how to set one"
fi
author="devsnap tests <devsnap-tests@example.org>"
step "kernel-series.sh writes the series" "$work/series.log" \
	env DEVSNAP_SERIES_AUTHOR="$author" "$top/scripts/kernel-series.sh" "$work/patches" "$tarball" ||
	bail "no series"
ls "$work/patches" | diag
signed() { # each patch is the author's and signed off by them, nothing else
	for p in "$work"/patches/*.patch; do
		grep -qx "From: $author" "$p" && grep -qx "Signed-off-by: $author" "$p" &&
			[ "$(grep -c '^Signed-off-by:' "$p")" -eq 1 ] || { echo "$p"; return 1; }
	done
}
step "every patch is from and signed off by DEVSNAP_SERIES_AUTHOR" "$work/signed.log" signed
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
once() { # no file of samples/devsnap/ is also in lib/devsnap/
	for f in samples/devsnap/*.[ch]; do
		[ -z "$(find lib/devsnap -name "$(basename "$f")")" ] || { echo "$f"; return 1; }
	done
	[ "$(ls samples/devsnap/*.[ch])" = samples/devsnap/devsnap_sample_main.c ] ||
		{ ls samples/devsnap; false; }
}
step "the sample carries no copy of lib/devsnap: its own source only" "$work/once.log" once

scripts/checkpatch.pl --strict --terse --show-types "$work"/patches/*.patch >"$work/checkpatch.log" 2>&1
if grep -q ': \(ERROR\|WARNING\|CHECK\):' "$work/checkpatch.log"; then
	not_ok "checkpatch.pl --strict: the series is clean"; diag "$work/checkpatch.log"
else
	ok "checkpatch.pl --strict: the series is clean"
fi

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
