#!/bin/sh
# Builds devsnap's Debian packages from a copy of the source tree (the files
# git knows, committed or not; dpkg-buildpackage writes ../*.deb and
# debian/'s build files next to the sources) into OUT/KEY/, KEY a hash of
# those files but the tests and the Markdown (the packages are built without
# running tests), and prints that directory.  Built once per source state: the
# packaging and guest tests share it, whichever runs first (under a lock).
# Usage: build_debs.sh SRC OUT
set -eu
src=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)

list() {
	if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
		git -C "$src" ls-files -co --exclude-standard | while read -r f; do
			[ -e "$src/$f" ] || [ -L "$src/$f" ] && echo "$f"; done
	else
		(cd "$src" && find . -path ./build -prune -o -path './build-*' -prune -o \
			\( -type f -o -type l \) -print | sed 's|^\./||')
	fi
}
list | LC_ALL=C sort >"$out/files.$$"
key=$( (cd "$src" && grep -v -e '^tests/' -e '\.md$' "$out/files.$$" |
	tar -cf - --no-recursion --mtime=@0 --owner=0 --group=0 -T -) | sha256sum | cut -c1-16)
dir=$out/$key
exec 9>"$out/lock"
flock 9
if [ ! -f "$dir/done" ]; then
	rm -rf "$out"/[0-9a-f]*/ "$dir"
	mkdir -p "$dir/src/devsnap"
	(cd "$src" && tar -cf - -T "$out/files.$$") | (cd "$dir/src/devsnap" && tar -xf -)
	# The project's own test command runs the tests: nocheck here.
	if ! (cd "$dir/src/devsnap" && DEB_BUILD_OPTIONS=nocheck \
		dpkg-buildpackage -b -us -uc) >"$dir/build.log" 2>&1; then
		tail -n 40 "$dir/build.log" >&2
		rm -f "$out/files.$$"
		exit 1
	fi
	mv "$dir"/src/*.deb "$dir"/src/*.changes "$dir"/src/*.buildinfo "$dir/"
	rm -rf "$dir/src"
	touch "$dir/done"
fi
rm -f "$out/files.$$"
echo "$dir"
