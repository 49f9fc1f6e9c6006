#!/bin/sh
# meson install into a scratch DESTDIR: every packaging file and man page lands
# where udev, systemd, systemd-tmpfiles and man look, devsnap.ko's sources
# where DKMS builds them, the units run the installed binary, the collector takes the installed config without a
# warning, and systemd-analyze finds the units sound and hardened.  TAP.
set -u
build=$1 src=$2 udevdir=$3 unitdir=$4 bindir=$5 sysconfdir=$6 mandir=$7 dkmsdir=$8
tmpfilesdir=$9
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
d=$t/dest
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
check() { # description, command...
	desc=$1; shift
	if "$@" >"$t/out" 2>"$t/err"; then ok "$desc"; else
		not_ok "$desc"; sed 's/^/# /' "$t/out" "$t/err"; fi
}
# FILE stays quiet: the previous command printed nothing there.
quiet() { [ ! -s "$1" ]; }

units="devsnap-collect@.service devsnap-collect-once.service devsnap-collect.service"
rule=$d$udevdir/rules.d/60-devsnap.rules
conf=$d$sysconfdir/devsnap/collect.conf
tmpfiles=$d$tmpfilesdir/devsnap.conf

check "meson install into DESTDIR" env DESTDIR="$d" meson install -C "$build" --no-rebuild
check "devsnap installed in $bindir runs" "$d$bindir/devsnap" --version

# --- udev rule, tmpfiles, config ------------------------------------------
check "udev rule installed in $udevdir/rules.d as written" \
	cmp "$src/packaging/udev/60-devsnap.rules" "$rule"
want='ACTION=="add", SUBSYSTEM=="devcoredump", TAG+="systemd", '
want=$want'ENV{SYSTEMD_WANTS}+="devsnap-collect@%k.service"'
check "the rule starts devsnap-collect@devcdN.service on a devcoredump's add event" \
	grep -qxF "$want" "$rule"
check "the rule runs nothing itself (udev kills long workers)" \
	sh -c '! grep -q "^[^#]*RUN" "$1"' - "$rule"
check "tmpfiles entry installed in $tmpfilesdir as written" \
	cmp "$src/packaging/tmpfiles.d/devsnap.conf" "$tmpfiles"
check "tmpfiles creates the store 0700 root" \
	grep -qx 'd /var/lib/devsnap 0700 root root -' "$tmpfiles"
check "config installed in $sysconfdir/devsnap as written" cmp "$src/packaging/collect.conf" "$conf"
check "config: every key commented out, showing its default" sh -c '
	grep -qx "\[Collect\]" "$1" && grep -qx "#MaxDumpSize=2G" "$1" &&
	grep -qx "#MaxUse=" "$1" && grep -qx "#KeepFree=" "$1" && grep -qx "#MaxCount=64" "$1" &&
	grep -qx "#RateLimitIntervalSec=30s" "$1" && grep -qx "#RateLimitBurst=10" "$1" &&
	! grep -qE "^[A-Za-z]+=" "$1"' - "$conf"
mkdir "$t/sysfs"
check "the collector reads the installed config" "$d$bindir/devsnap" collect --once \
	--config "$conf" --sysfs "$t/sysfs" --store "$t/store"
check "... without a warning" sh -c '! grep -v "no pending devcoredump" "$1"' - "$t/err"

# --- systemd units ----------------------------------------------------------
for u in $units; do
	f=$d$unitdir/$u
	check "$u installed in $unitdir" test -s "$f"
	check "$u: @bindir@ replaced by the installed devsnap" sh -c '
		! grep -q "@[a-z]*@" "$1" && grep -q "^ExecStart=$2/devsnap collect " "$1" &&
		test -x "$3$2/devsnap"' - "$f" "$bindir" "$d"
done
check "the boot sweep is enabled by its [Install] section, WantedBy=sysinit.target" sh -c '
	sed -n "/^\[Install\]/,\$p" "$1" | grep -qx "WantedBy=sysinit.target"' \
	- "$d$unitdir/devsnap-collect-once.service"
check "the template is static: udev's SYSTEMD_WANTS starts it, nothing enables it" \
	sh -c '! grep -q "^\[Install\]" "$1"' - "$d$unitdir/devsnap-collect@.service"
check "nothing installed enabled by hand: no .wants or .requires directory" sh -c '
	! find "$1" -name "*.wants" -o -name "*.requires" | grep .' - "$d"
check "the template's timeout is under the kernel's 5-minute hold" \
	grep -qx 'TimeoutSec=2min' "$d$unitdir/devsnap-collect@.service"

# --- man pages ----------------------------------------------------------------
for m in man8/devsnap-collect.8 man5/collect.conf.5; do
	check "$m installed in $mandir, as roff" grep -q '^\.TH' "$d$mandir/$m"
done

# --- the units' CapabilityBoundingSet= (empty) ---------------------------------
# Root without capabilities still owns the kernel's data file (0600) and the
# store (0700), as the installed binary finds in a fake tree owned by root.
nocaps="setpriv --bounding-set=-all --inh-caps=-all --no-new-privs"
if [ "$(id -u)" = 0 ] && $nocaps true 2>/dev/null; then
	mkdir -p "$t/caps/devcd1"
	head -c 100000 /dev/urandom >"$t/caps/devcd1/data"
	cp "$t/caps/devcd1/data" "$t/caps-orig"
	chmod 600 "$t/caps/devcd1/data"
	echo secret >"$t/nobodys" && chmod 600 "$t/nobodys" && chown 65534 "$t/nobodys"
	check "without capabilities, root cannot read another user's 0600 file" \
		sh -c '! $1 cat "$2"' - "$nocaps" "$t/nobodys"
	check "without capabilities, collect saves a dump" $nocaps "$d$bindir/devsnap" collect \
		--once --config "$conf" --sysfs "$t/caps" --store "$t/caps-store"
	check "... whole" sh -c 'zstd -q -dc "$1"/*-devcd1.zst | cmp - "$2"' - "$t/caps-store" \
		"$t/caps-orig"
	check "... and releases it" test "$(cat "$t/caps/devcd1/data")" = 1
else
	for c in "another user's file" "saves a dump" "... whole" "... releases it"; do
		skip "without capabilities: $c" "not root, or no setpriv"
	done
fi

# --- DKMS: devsnap.ko's sources ----------------------------------------------
k=$d$dkmsdir
check "dkms.conf in $dkmsdir names the module and the version" sh -c '
	grep -qx "PACKAGE_NAME=\"devsnap\"" "$1/dkms.conf" &&
	grep -qx "PACKAGE_VERSION=\"${1##*/devsnap-}\"" "$1/dkms.conf" &&
	grep -qx "BUILT_MODULE_NAME\[0\]=\"devsnap\"" "$1/dkms.conf"' - "$k"
check "the tree holds kernel/ and every lib/ source as files, no links" sh -c '
	cmp "$2/kernel/devsnap_coredump.c" "$1/devsnap_coredump.c" &&
	for f in "$2"/lib/*.[ch] "$2"/lib/formats/*.[ch]; do
		cmp "$f" "$1/lib/${f#"$2"/lib/}" || exit 1; done &&
	! find "$1" -type l | grep -q . && test ! -e "$1/lib/meson.build"' - "$k" "$src"
check "... and nothing else: sources, Kbuild, Makefile, dkms.conf, all 0644" sh -c '
	! find "$1" -type f ! \( -name "*.[ch]" -o -name Kbuild -o -name Makefile -o \
		-name dkms.conf \) | grep . && ! find "$1" -type f ! -perm 0644 | grep .' - "$k"
# Kbuild as dkms runs it, on a copy (it writes next to the sources), against
# the headers the QEMU test installs: any release's, once dpkg has finished
# installing them (that test may be installing them right now).
headers=
for h in /usr/src/linux-headers-*-amd64; do
	[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "${h##*/}" 2>/dev/null)" = "ii " ] &&
		headers=$h && break
done
if [ -n "$headers" ] && command -v make >/dev/null; then
	cp -R "$k" "$t/dkms-build"
	check "it builds devsnap.ko against $(basename "$headers"), without a warning" sh -c '
		make -C "$1" M="$2" modules >"$2/build.log" 2>&1 && test -s "$2/devsnap.ko" &&
		! grep -q "warning:" "$2/build.log" || { cat "$2/build.log"; false; }' \
		- "$headers" "$t/dkms-build"
	# kernel/Makefile from a copy of the repository's kernel/ and its lib link.
	mkdir "$t/repo" && cp -R "$src/kernel" "$src/lib" "$t/repo/"
	check "make -C kernel KDIR=... builds devsnap.ko through the lib link" sh -c '
		make -C "$1/kernel" KDIR="$2" >"$1/make.log" 2>&1 && test -s "$1/kernel/devsnap.ko" ||
		{ cat "$1/make.log"; false; }' - "$t/repo" "$headers"
	check "after make -C kernel, the install copies lib/'s sources, not its objects" sh -c '
		find "$1/lib" -name "*.o" | grep -q . &&
		"$2/packaging/install-dkms-lib.sh" "$1/lib" "$1/dest" &&
		test -s "$1/dest/formats/x86_64.c" &&
		! find "$1/dest" ! -name "*.[ch]" -type f | grep .' - "$t/repo" "$src"
	check "make -C kernel clean leaves no object, in kernel/ or lib/" sh -c '
		make -C "$1/kernel" KDIR="$2" clean >/dev/null 2>&1 &&
		! find "$1" -name "*.o" -o -name "*.ko" -o -name ".*.cmd" | grep .' - "$t/repo" "$headers"
else
	skip "it builds devsnap.ko" "no kernel headers in /usr/src"
	skip "make -C kernel builds devsnap.ko" "no kernel headers in /usr/src"
	skip "after make -C kernel, the install copies no objects" "no kernel headers in /usr/src"
	skip "make -C kernel clean" "no kernel headers in /usr/src"
fi

# --- systemd-analyze ----------------------------------------------------------
# The template as an instance; MANPATH: Documentation= must name installed pages.
paths="$unitdir/devsnap-collect@devcd0.service $unitdir/devsnap-collect-once.service
$unitdir/devsnap-collect.service"
if command -v systemd-analyze >/dev/null; then
	# shellcheck disable=SC2086
	check "systemd-analyze verify: no complaint about any unit" env MANPATH="$d$mandir" \
		systemd-analyze verify --root="$d" $paths
	check "... not even a warning" quiet "$t/err"
else
	skip "systemd-analyze verify" "no systemd-analyze"
	skip "... not even a warning" "no systemd-analyze"
fi
for u in devsnap-collect@devcd0.service devsnap-collect-once.service devsnap-collect.service; do
	if systemd-analyze security --help 2>/dev/null | grep -q -- --offline; then
		check "systemd-analyze security: $u exposure at most 1.0" systemd-analyze security \
			--offline=true --threshold=10 --root="$d" "$u"
	else
		skip "systemd-analyze security: $u" "no offline systemd-analyze security"
	fi
done

# --- another prefix: every path under it, the DKMS tree in /usr/src ---------
# Set up only (no build): meson's install map and the generated units.
if meson setup "$t/b-local" "$src" --prefix=/usr/local >"$t/setup.log" 2>&1; then
	meson introspect "$t/b-local" --installed >"$t/installed.json"
	check "prefix /usr/local: everything installed under /usr/local but the DKMS tree" sh -c '
		jq -r ".[]" "$1" >"$1.txt" && grep -q "^/usr/local/bin/devsnap$" "$1.txt" &&
		grep -q "^/usr/local/lib/udev/rules.d/60-devsnap.rules$" "$1.txt" &&
		grep -q "^/usr/local/lib/systemd/system/devsnap-collect@.service$" "$1.txt" &&
		grep -q "^/usr/local/lib/tmpfiles.d/devsnap.conf$" "$1.txt" &&
		grep -q "^/usr/local/etc/devsnap/collect.conf$" "$1.txt" &&
		grep -q "^/usr/src/devsnap-[0-9.]*/dkms.conf$" "$1.txt" &&
		! grep -v -e "^/usr/local/" -e "^/usr/src/devsnap-" "$1.txt"' - "$t/installed.json"
	check "prefix /usr/local: the units run /usr/local/bin/devsnap" sh -c '
		for u in "$1"/packaging/*.service; do
			grep -q "^ExecStart=/usr/local/bin/devsnap collect" "$u" || exit 1; done' \
		- "$t/b-local"
	check "prefix /usr/local: the collector reads /usr/local/etc/devsnap/collect.conf" \
		grep -q 'COLLECT_CONF_PATH=\\"/usr/local/etc/devsnap/collect.conf\\"' \
		"$t/b-local/compile_commands.json"
else
	not_ok "meson setup --prefix=/usr/local"; sed 's/^/# /' "$t/setup.log"
fi
echo "1..$n"
