#!/bin/sh
# The Debian packages: dpkg-buildpackage from a copy of the tree
# (build_debs.sh), lintian, what each package holds, the maintainer scripts
# dh wrote, the library's symbols file, and install, remove, re-install and
# purge with dpkg in a Debian 12 root (tests/systemd/rootfs.sh's, unpacked; no
# systemd runs there), where the library packages are then installed and
# used.  TAP.
# Usage: test_deb.sh SRC WORKDIR
set -u
src=$(cd "$1" && pwd)
work=$2
mkdir -p "$work"
work=$(cd "$work" && pwd)
t=$(mktemp -d)
# The Debian root's /proc is unmounted before anything is removed.
trap 'mountpoint -q "$t/root/proc" && umount "$t/root/proc"
      mountpoint -q "$t/root/proc" || rm -rf "$t"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
check() { # description, command...
	desc=$1; shift
	if "$@" >"$t/out" 2>"$t/err"; then ok "$desc"; else
		not_ok "$desc"; sed 's/^/# /' "$t/out" "$t/err"; fi
}
for tool in dpkg-buildpackage dh dh_dkms lintian; do
	command -v $tool >/dev/null || { echo "1..0 # SKIP no $tool (scripts/deps.sh installs it)"; exit 0; }
done

if ! debs=$("$src/tests/packaging/build_debs.sh" "$src" "$work/debs" 2>"$t/build.err"); then
	sed 's/^/# /' "$t/build.err"
	echo "Bail out! dpkg-buildpackage -b -us -uc fails"
	exit 1
fi
deb=$(ls "$debs"/devsnap_*_amd64.deb)
ver=$(dpkg-deb -f "$deb" Version)
dkms=$debs/devsnap-dkms_${ver}_all.deb
lib=$debs/libdevsnap0_${ver}_amd64.deb
dev=$debs/libdevsnap-dev_${ver}_amd64.deb
py=$debs/python3-devsnap_${ver}_all.deb
ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
check "dpkg-buildpackage -b -us -uc builds devsnap, devsnap-dkms, libdevsnap0, libdevsnap-dev, \
python3-devsnap $ver" sh -c 'for d; do test -s "$d" || { echo "no $d"; exit 1; }; done' - \
	"$dkms" "$lib" "$dev" "$py"
check "... with the meson build system, not the top-level Makefile" \
	grep -q "meson setup" "$debs/build.log"

# --- lintian --------------------------------------------------------------
# Everything lintian says, down to its informational and pedantic tags, as
# TAP comments; only errors and warnings fail.
lintian --info -I --pedantic "$debs/devsnap_${ver}_amd64.changes" >"$t/lintian" 2>/dev/null
sed 's/^/# lintian: /' "$t/lintian"
echo "# lintian: $(grep -c '^E:' "$t/lintian") errors, $(grep -c '^W:' "$t/lintian") warnings," \
	"$(grep -c '^I:' "$t/lintian") informational, $(grep -c '^P:' "$t/lintian") pedantic," \
	"$(grep -c '^X:' "$t/lintian") experimental"
check "lintian: no error" sh -c '! grep "^E:" "$1"' - "$t/lintian"
check "lintian: no warning" sh -c '! grep "^W:" "$1"' - "$t/lintian"

# --- contents -------------------------------------------------------------
dpkg-deb -c "$deb" | awk '{ print $1, $NF }' | sed 's| \./| /|' >"$t/devsnap.txt"
dpkg-deb -c "$dkms" | awk '{ print $NF }' | sed 's|^\./|/|' >"$t/dkms.txt"
has() { grep -qE "$2" "$1" || { echo "no $2 in:"; cat "$1"; false; }; }
check "devsnap: the CLI" has "$t/devsnap.txt" '^-rwxr-xr-x /usr/bin/devsnap$'
check "devsnap: the udev rule, in udev's rules.d" \
	has "$t/devsnap.txt" ' /(usr/)?lib/udev/rules.d/60-devsnap.rules$'
for u in devsnap-collect@.service devsnap-collect-once.service devsnap-collect.service; do
	check "devsnap: $u, in systemd's unit directory" \
		has "$t/devsnap.txt" " /(usr/)?lib/systemd/system/$u\$"
done
check "devsnap: the tmpfiles entry" has "$t/devsnap.txt" ' /usr/lib/tmpfiles.d/devsnap.conf$'
check "devsnap: the man pages" sh -c 'for m in man1/devsnap.1 man5/collect.conf.5 \
	man8/devsnap-collect.8; do grep -q "/usr/share/man/$m.gz$" "$1" || exit 1; done' \
	- "$t/devsnap.txt"
check "devsnap: nothing linked into a .wants directory, no sources" \
	sh -c '! grep -e "\.wants/" -e /usr/src/ "$1"' - "$t/devsnap.txt"
check "devsnap: no file of the library packages (library, headers, .pc, man3, Python)" \
	sh -c '! grep -e libdevsnap -e /usr/include -e "\.pc$" -e /man3/ -e python "$1"' \
	- "$t/devsnap.txt"
dpkg-deb -e "$deb" "$t/ctrl"
check "devsnap: /etc/devsnap/collect.conf is a conffile" \
	grep -qx /etc/devsnap/collect.conf "$t/ctrl/conffiles"
check "devsnap: postinst enables and starts the boot sweep" sh -c '
	grep -q "deb-systemd-helper enable .devsnap-collect-once.service" "$1" &&
	grep -q "deb-systemd-invoke .* .devsnap-collect-once.service" "$1"' - "$t/ctrl/postinst"
check "devsnap: the --watch daemon, which races the rule, is not started (nor enabled: below)" \
	sh -c '! grep "deb-systemd-invoke .* .devsnap-collect\.service" "$1"' - "$t/ctrl/postinst"
check "devsnap: postrm purge keeps the saved dumps" sh -c '
	grep -q "rmdir --ignore-fail-on-non-empty" "$1" && ! grep -q "rm -[a-z]*r" "$1"' \
	- "$t/ctrl/postrm"
check "devsnap-dkms: the module's sources and dkms.conf in /usr/src/devsnap-$ver" sh -c '
	for f in dkms.conf Kbuild Makefile devsnap.h devsnap_coredump.c lib/walk.c \
		lib/formats/x86_64.c; do grep -qx "/usr/src/devsnap-$2/$f" "$1" || exit 1; done' \
	- "$t/dkms.txt" "$ver"
check "devsnap-dkms: no object, no .cmd file" sh -c '! grep -E "\.(o|ko|cmd)$" "$1"' - "$t/dkms.txt"
dpkg-deb -e "$dkms" "$t/dctrl"
check "devsnap-dkms: depends on dkms; its postinst builds the module (dh_dkms)" sh -c '
	dpkg-deb -f "$1" Depends | grep -q "^dkms" && grep -qx "DKMS_NAME=devsnap" "$2/postinst" &&
	grep -qx "DKMS_VERSION=$3" "$2/postinst"' - "$dkms" "$t/dctrl" "$ver"


# --- the library packages -------------------------------------------------
files() { dpkg-deb -c "$1" | awk '{ print $6 }' | sed 's|^\./|/|' | grep -v -e '/$' \
	-e '^/usr/share/doc/' | LC_ALL=C sort; }
files "$lib" >"$t/lib.txt"
files "$dev" >"$t/dev.txt"
files "$py" >"$t/py.txt"
same() { # description, want (one file a line), got
	printf '%s\n' "$2" >"$t/want"
	check "$1" diff -u "$t/want" "$3"
}
same "libdevsnap0: libdevsnap.so.0 in the multiarch libdir, nothing else" \
	"/usr/lib/$ma/libdevsnap.so.0
/usr/lib/$ma/libdevsnap.so.$ver" "$t/lib.txt"
same "libdevsnap-dev: the headers, the .so link, devsnap.pc, libdevsnap(3)" \
	"/usr/include/devsnap/common.h
/usr/include/devsnap/devsnap.h
/usr/include/devsnap/dump.h
/usr/include/devsnap/version.h
/usr/include/devsnap/walk.h
/usr/lib/$ma/libdevsnap.so
/usr/lib/$ma/pkgconfig/devsnap.pc
/usr/share/man/man3/libdevsnap.3.gz" "$t/dev.txt"
same "python3-devsnap: the module in /usr/lib/python3/dist-packages" \
	/usr/lib/python3/dist-packages/devsnap.py "$t/py.txt"
field() { printf '%s %s\n' "$(dpkg-deb -f "$1" Section)" "$(dpkg-deb -f "$1" Depends)"; }
check "libdevsnap0: Section libs, Multi-Arch same" test "$(dpkg-deb -f "$lib" Section \
	Multi-Arch | tr '\n' ' ')" = "Section: libs Multi-Arch: same "
check "libdevsnap-dev: Section libdevel, depends on libdevsnap0 (= $ver)" \
	test "$(field "$dev")" = "libdevel libdevsnap0 (= $ver)"
check "python3-devsnap: Section python, depends on libdevsnap0 and python3" \
	test "$(field "$py")" = "python libdevsnap0 (>= $ver), python3:any"
dpkg-deb -e "$lib" "$t/lctrl"
sed -n 's/^ \([^ ]*\)@DEVSNAP_0\.1 .*/\1/p' "$t/lctrl/symbols" | sort >"$t/symbols"
grep -v '^#' "$src/libdevsnap/libdevsnap.sym" | sort >"$t/sym"
echo DEVSNAP_0.1 >>"$t/sym"
check "libdevsnap0: its symbols file lists libdevsnap/libdevsnap.sym, all @DEVSNAP_0.1" \
	sh -c 'LC_ALL=C sort "$1" | diff -u - "$2" && test "$(grep -c "^ " "$3")" = "$(wc -l <"$1")"' \
	- "$t/sym" "$t/symbols" "$t/lctrl/symbols"
check "... each symbol with a version no newer than $ver; libdevsnap-dev its Build-Depends-Package" \
	sh -c 'grep "^ " "$1" | while read -r sym since; do
		dpkg --compare-versions "$since" le "$2" || { echo "$sym: $since"; exit 1; }; done &&
	grep -qx "\* Build-Depends-Package: libdevsnap-dev" "$1"' - "$t/lctrl/symbols" "$ver"
check "... dpkg-gensymbols -c4 passed in the build: no symbol more or fewer than the file" sh -c '
	grep -q "^dh_makeshlibs -- -c4" "$1" && ! grep "dpkg-gensymbols: warning" "$1"' \
	- "$debs/build.log"
check "libdevsnap0: the ldconfig trigger (dh_makeshlibs)" grep -qx "activate-noawait ldconfig" \
	"$t/lctrl/triggers"
# The packages' own files, unpacked: the Python module reads a dump through
# the packaged library.
for d in "$deb" "$lib" "$py"; do dpkg-deb -x "$d" "$t/x"; done
check "devsnap: Depends on libdevsnap0 (shlibs: the CLI reads dumps through libdevsnap.so.0)" \
	sh -c 'dpkg-deb -f "$1" Depends | grep -q "libdevsnap0 (>= "' - "$deb"
LD_LIBRARY_PATH="$t/x/usr/lib/$ma" "$t/x/usr/bin/devsnap" demo -q -o "$t/demo.core" 2>"$t/err" ||
	sed 's/^/# /' "$t/err"
check "python3-devsnap reads a dump through libdevsnap0's library (unpacked)" \
	env PYTHONPATH="$t/x/usr/lib/python3/dist-packages" PYTHONDONTWRITEBYTECODE=1 \
	DEVSNAP_LIBRARY="$t/x/usr/lib/$ma/libdevsnap.so.0" python3 -c '
import sys, devsnap
assert devsnap.__file__.startswith(sys.argv[1]), devsnap.__file__
assert devsnap.version() == sys.argv[2], devsnap.version()
with devsnap.Dump(sys.argv[3]) as dump:
	assert len(dump.segments()) == 9, dump.segments()' "$t/x" "$ver" "$t/demo.core"

# --- dpkg in a Debian 12 root: install, remove, re-install, purge ------------
if [ "$(id -u)" != 0 ] || ! command -v mmdebstrap >/dev/null; then
	skip "install, remove, purge in a Debian 12 root" "not root, or no mmdebstrap"
	echo "1..$n"; exit 0
fi
if ! tar=$("$src/tests/systemd/rootfs.sh" 2>"$t/rootfs.err"); then
	sed 's/^/# /' "$t/rootfs.err"; not_ok "a Debian 12 root (mmdebstrap)"; echo "1..$n"; exit 1
fi
r=$t/root
mkdir "$r" && tar -C "$r" -xf "$tar"
# As in any chroot: systemd-tmpfiles, which postinst runs, needs /proc.
mount -t proc proc "$r/proc"
cp "$deb" "$lib" "$r/tmp/"
in_root() { chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"; }
wants=/etc/systemd/system/sysinit.target.wants
check "dpkg -i devsnap (and libdevsnap0, its dependency) in a Debian 12 root" \
	in_root dpkg -i "/tmp/${lib##*/}" "/tmp/${deb##*/}"
check "... the boot sweep is enabled (sysinit.target.wants), the --watch daemon is not" sh -c '
	test -L "$1$2/devsnap-collect-once.service" &&
	! find "$1/etc/systemd" -name devsnap-collect.service | grep .' - "$r" "$wants"
check "... the store exists, 0700 (tmpfiles)" test "$(stat -c %a "$r/var/lib/devsnap")" = 700
check "... devsnap runs there" in_root devsnap --version
# A saved dump and the collector's state, as a crash would leave them.
echo '{}' >"$r/var/lib/devsnap/20260101-000000-gpu-devcd1.json"
echo dump >"$r/var/lib/devsnap/20260101-000000-gpu-devcd1.zst"
echo "1 1 0" >"$r/var/lib/devsnap/.ratelimit"
check "dpkg -r: removed, the rule and units with it" sh -c '
	chroot "$1" dpkg -r devsnap >/dev/null &&
	! find "$1/lib/udev" "$1/usr/lib/udev" "$1/lib/systemd/system" "$1/usr/lib/systemd/system" \
		-name "*devsnap*" 2>/dev/null | grep .' - "$r"
check "... the configuration stays until purge" test -f "$r/etc/devsnap/collect.conf"
check "dpkg -i again: the rule, units and boot sweep are back" sh -c '
	chroot "$1" dpkg -i "/tmp/$3" >/dev/null && test -L "$1$2/devsnap-collect-once.service" &&
	find "$1/lib" "$1/usr/lib" -name 60-devsnap.rules | grep -q . &&
	find "$1/lib" "$1/usr/lib" -name "devsnap-collect@.service" | grep -q .' - "$r" "$wants" \
	"${deb##*/}"
check "dpkg --purge: the configuration, the enablement and the state go" sh -c '
	chroot "$1" dpkg --purge devsnap >/dev/null && test ! -e "$1/etc/devsnap" &&
	test ! -e "$1$2/devsnap-collect-once.service" && test ! -e "$1/var/lib/devsnap/.ratelimit" &&
	! chroot "$1" dpkg -s devsnap 2>/dev/null' - "$r" "$wants"
check "... the saved dump stays" sh -c '
	test -s "$1/var/lib/devsnap/20260101-000000-gpu-devcd1.zst" &&
	test -s "$1/var/lib/devsnap/20260101-000000-gpu-devcd1.json"' - "$r"

# --- the library packages in the same root --------------------------------
cp "$lib" "$dev" "$py" "$t/demo.core" "$r/tmp/"
check "dpkg -i libdevsnap0 libdevsnap-dev in a Debian 12 root" \
	in_root dpkg -i "/tmp/${lib##*/}" "/tmp/${dev##*/}"
# /lib is /usr/lib in Debian 12 (merged /usr), and ld.so.conf names /lib first.
check "... ldconfig finds libdevsnap.so.0 in /usr/lib/$ma" sh -c '
	chroot "$1" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin ldconfig -p |
		grep -Eq "^[[:space:]]libdevsnap\.so\.0 \(.*\) => (/usr)?/lib/$2/libdevsnap\.so\.0$"' \
		- "$r" "$ma"
check "... dpkg -L libdevsnap-dev lists devsnap.pc, which names the root's directories" sh -c '
	chroot "$1" dpkg -L libdevsnap-dev | grep -qx "/usr/lib/$2/pkgconfig/devsnap.pc" &&
	test "$(env PKG_CONFIG_LIBDIR="$1/usr/lib/$2/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$1" \
		pkg-config --cflags --libs devsnap | sed "s/ *\$//")" = "-I$1/usr/include -L$1/usr/lib/$2 -ldevsnap"' \
	- "$r" "$ma"
# The root has no compiler (variant apt): the program is built here against
# the root's headers and library through its devsnap.pc, and runs there.
if [ -x "$r/usr/bin/cc" ] && [ -x "$r/usr/bin/pkg-config" ]; then
	cp "$src/tests/packaging/libdevsnap_user.c" "$r/tmp/"
	check "a program builds in the root with pkg-config --cflags --libs devsnap" in_root sh -c \
		'cc -o /tmp/user /tmp/libdevsnap_user.c $(pkg-config --cflags --libs devsnap)'
else
	# shellcheck disable=SC2046
	check "a program builds against the root's headers and library, by its devsnap.pc" \
		cc -std=c11 -Wall -Werror -o "$r/tmp/user" "$src/tests/packaging/libdevsnap_user.c" \
		$(env PKG_CONFIG_LIBDIR="$r/usr/lib/$ma/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$r" \
			pkg-config --cflags --libs devsnap)
fi
check "... and reads a dump in the root with the packaged library" test \
	"$(in_root /tmp/user /tmp/demo.core 2>&1)" = \
	"9 segments, format arm64-4k, library $ver, headers $ver"
if [ -x "$r/usr/bin/python3" ]; then
	check "dpkg -i python3-devsnap in the root" in_root dpkg -i "/tmp/${py##*/}"
	check "... python3 -c 'import devsnap; print(devsnap.version())' there" test \
		"$(in_root python3 -c 'import devsnap; print(devsnap.version())' 2>&1)" = "$ver"
else
	skip "dpkg -i python3-devsnap in the root, import devsnap there" \
		"the root has no python3 (tests/systemd/rootfs.sh keeps the guest small); \
checked above from the unpacked packages"
fi
echo "1..$n"
