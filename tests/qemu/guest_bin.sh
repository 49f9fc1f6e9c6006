#!/bin/sh
# Usage: guest_bin.sh BINARY ROOT
# Puts BINARY in ROOT/bin with the shared libraries and loader ldd names, so
# the initramfs needs no static build.  System libraries keep their paths;
# one from the build tree (libdevsnap.so.0, found there through the test's
# LD_LIBRARY_PATH or a build run path) goes beside libc, where the guest's
# loader looks.
set -eu
bin=$1 root=$2
libs=$(ldd "$bin" | awk '/=> \// { print $3 } /^\t\// { print $1 }')
libc_dir=$(dirname "$(echo "$libs" | grep '/libc\.so\.' | head -1)")
mkdir -p "$root/bin" "$root$libc_dir"
cp "$bin" "$root/bin/"
for lib in $libs; do
	case $lib in
	/lib/* | /lib64/* | /usr/lib/*) dest=$root$lib ;;
	*) dest=$root$libc_dir/$(basename "$lib") ;;
	esac
	mkdir -p "$(dirname "$dest")"
	cp -L "$lib" "$dest"
done
