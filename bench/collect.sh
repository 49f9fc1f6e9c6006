#!/bin/sh
# Saving a 256 MiB devcoredump: `devsnap collect --once` over a fake sysfs
# tree (read, zstd -3, write, fsync, metadata, release) against
# `zstd -3 -T<n> -q -c data > file && sync file dir` on the same bytes, in
# the same run, best of three each.  Like for like: sync FILE fsyncs it, as
# the collector fsyncs the dump and the store; -T gives zstd as many
# compression threads as the collector's libzstd gets (one per online CPU,
# at most 4: src/collect.c).  The dump mixes what GPU memory holds:
# devsnap dumps (page tables, mostly-empty pages), program code, text, and
# incompressible bytes (textures, compressed buffers).  Prints
#   BENCH collect_256m <s> s baseline=<zstd s> ratio=<zstd s / devsnap s>
#   BENCH collect_256m_compression <x> x baseline=<zstd x> ratio=<zstd size / devsnap size>
set -eu
build=${1:-build}
devsnap=$(realpath "$build/src/devsnap")
t=$(mktemp -d "${TMPDIR:-/var/tmp}/bench-collect.XXXXXX")
trap 'rm -rf "$t"' EXIT
size=$((256 << 20))

"$devsnap" demo -q -o "$t/demo.core"
set -- $(ls -S /usr/lib/x86_64-linux-gnu/*.so* /usr/bin/* 2>/dev/null | head -32)
i=0
while [ $i -lt 200 ]; do # about 4 MiB a round; head stops it at 256 MiB
	i=$((i + 1))
	cat "$t/demo.core"                          # page tables, sparse pages
	head -c 1048576 /dev/urandom                # textures, compressed buffers
	eval "head -c 524288 \"\${$((i % $# + 1))}\"" # shader and firmware code
	seq $((i * 100000)) $((i * 100000 + 60000)) # logs, text
done 2>/dev/null | head -c $size >"$t/dump.bin"
[ "$(stat -c %s "$t/dump.bin")" = $size ] || { echo "bench: could not make the dump" >&2; exit 1; }

workers=$(getconf _NPROCESSORS_ONLN)
[ "$workers" -le 4 ] || workers=4
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }
best() { printf '%s\n' "$@" | sort -g | head -1; }

zstd_runs=
for run in 1 2 3; do
	rm -f "$t/zstd.zst"
	t0=$(now)
	zstd -3 -T"$workers" -q -c "$t/dump.bin" >"$t/zstd.zst" && sync "$t/zstd.zst" "$t"
	t1=$(now)
	zstd_runs="$zstd_runs $(calc "$t1 - $t0")"
done

: >"$t/empty.conf"
ds_runs=
for run in 1 2 3; do
	rm -rf "$t/sys" "$t/store"
	mkdir -p "$t/sys/class/devcoredump/devcd1" "$t/sys/devices/pci0000:00/0000:03:00.0"
	echo DRIVER=amdgpu >"$t/sys/devices/pci0000:00/0000:03:00.0/uevent"
	ln -s ../../../devices/pci0000:00/0000:03:00.0 "$t/sys/class/devcoredump/devcd1/failing_device"
	cp "$t/dump.bin" "$t/sys/class/devcoredump/devcd1/data" # collect truncates it to release
	t0=$(now)
	"$devsnap" collect --once -q --sysfs "$t/sys/class/devcoredump" --store "$t/store" \
		--config "$t/empty.conf"
	t1=$(now)
	ds_runs="$ds_runs $(calc "$t1 - $t0")"
done

if ! zstd -q -dc "$t"/store/*.zst | cmp -s - "$t/dump.bin"; then
	echo "bench: the saved dump differs from the original" >&2
	exit 1
fi
ds=$(best $ds_runs)
zs=$(best $zstd_runs)
ds_size=$(stat -c %s "$t"/store/*.zst)
zs_size=$(stat -c %s "$t/zstd.zst")
printf 'BENCH collect_256m %.3f s baseline=%.3f ratio=%.2f\n' "$ds" "$zs" "$(calc "$zs / $ds")"
printf 'BENCH collect_256m_compression %.3f x baseline=%.3f ratio=%.4f\n' \
	"$(calc "$size / $ds_size")" "$(calc "$size / $zs_size")" "$(calc "$zs_size / $ds_size")"
