#!/bin/sh
# lib/ must build with no libc at all, as the kernel module builds it:
# -ffreestanding -nostdlib and no system headers but the compiler's own.
# The objects may only need the builtins every C runtime and the kernel
# provide (memcpy, memset, memmove, memcmp).
set -eu
cc=$1; shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
inc=$("$cc" -print-file-name=include)
n=0
for src in "$@"; do
	n=$((n + 1))
	"$cc" -std=gnu11 -O2 -Wall -Wextra -Werror -Wno-unused-parameter \
		-ffreestanding -nostdlib -nostdinc -isystem "$inc" \
		-c "$src" -o "$tmp/$n.o"
done
ld -r -o "$tmp/all.o" "$tmp"/[0-9]*.o
undefined=$(nm -u "$tmp/all.o" | awk '{print $2}' | grep -vxE 'memcpy|memset|memmove|memcmp' || true)
if [ -n "$undefined" ]; then
	echo "lib/ needs symbols a freestanding build lacks:" $undefined >&2
	exit 1
fi
echo "lib/: $n files build freestanding; undefined: $(nm -u "$tmp/all.o" | awk '{print $2}' | tr '\n' ' ')"
