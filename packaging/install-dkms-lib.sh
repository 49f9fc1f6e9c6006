#!/bin/sh
# meson install script: copies lib/'s C sources and headers, the files
# kernel/Kbuild compiles, into the DKMS tree, and nothing else (no objects
# a `make -C kernel` left beside them).  Usage: install-dkms-lib.sh LIB DEST
set -eu
src=$1 dest=${DESTDIR:-}$2
for dir in . formats; do
	install -d -m 755 "$dest/$dir"
	for f in "$src/$dir"/*.c "$src/$dir"/*.h; do
		if [ -f "$f" ]; then install -m 644 "$f" "$dest/$dir/"; fi
	done
done
