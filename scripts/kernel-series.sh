#!/bin/sh
# Writes devsnap as a patch series for the Linux tree into OUTDIR, as
# `git format-patch` files that apply to Debian's linux-source tree:
#   1/2 lib/devsnap/: the freestanding core (lib/) and the helper (kernel/),
#       include/linux/devsnap.h, a Kconfig entry (CONFIG_DEVSNAP); the
#       table builder only with the hidden CONFIG_DEVSNAP_BUILDER
#   2/2 samples/devsnap/: the QEMU test device as a sample driver, which
#       selects CONFIG_DEVSNAP_BUILDER and uses lib/devsnap's builder
# The commits' author and Signed-off-by: DEVSNAP_SERIES_AUTHOR ("Name
# <email>"), else the repository's git identity (user.name, user.email).
# Usage: kernel-series.sh OUTDIR [LINUX-SOURCE-TARBALL]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: kernel-series.sh OUTDIR [LINUX-SOURCE-TARBALL]}
tarball=${2:-$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1)}
[ -f "$tarball" ] || { echo "kernel-series.sh: no linux-source tarball (apt-get install linux-source-6.1)" >&2; exit 1; }

# Who signs the series off: never a placeholder.
author=${DEVSNAP_SERIES_AUTHOR:-$(git -C "$top" -c user.useConfigOnly=true var GIT_AUTHOR_IDENT \
	2>/dev/null | sed 's/ [0-9]* [-+][0-9]*$//')}
case $author in
*?" <"?*@?*">") ;;
*)	echo "kernel-series.sh: no author to sign the series off: set git's user.name and" \
		"user.email, or DEVSNAP_SERIES_AUTHOR='Name <email>'${author:+ (not \"$author\")}" >&2
	exit 1 ;;
esac
author_name=${author% <*}
author_email=${author##* <}
author_email=${author_email%>}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tree=$work/linux
mkdir -p "$tree" "$out"

# The files the series changes, as the tree has them: the base commit.
tar -xJf "$tarball" -C "$tree" --strip-components=1 --wildcards \
	'*/lib/Kconfig' '*/lib/Makefile' '*/samples/Kconfig' '*/samples/Makefile' '*/MAINTAINERS'
cd "$tree"
git init -q
git config user.name "$author_name"
git config user.email "$author_email"
git add -A
git commit -q -m "base: $(basename "$tarball")"
base=$(git rev-parse HEAD)

# Include paths as the tree lays them out: lib/ becomes lib/devsnap/, the
# public header <linux/devsnap.h>.
rewrite() { # FILE...
	sed -i -e 's|#include "lib/|#include "|' -e 's|#include "devsnap.h"|#include <linux/devsnap.h>|' \
		-e 's|#include "kernel/devsnap.h"|#include <linux/devsnap.h>|' "$@"
}
objs() { # the objects kernel/Kbuild lists, without lib/
	sed -n '/^devsnap-y/,/[^\\]$/p' "$top/kernel/Kbuild" | sed 's/^devsnap-y :=//; s/\\//g' |
		tr ' \t' '\n\n' | grep '\.o$' | sed 's|^lib/||'
}

# --- 1/2: lib/devsnap -------------------------------------------------------
d=lib/devsnap
mkdir -p $d/formats include/linux
for o in $(objs); do
	cp "$top/lib/${o%.o}.c" $d/"${o%.o}.c" 2>/dev/null || cp "$top/kernel/${o%.o}.c" $d/"${o%.o}.c"
done
cp "$top"/lib/build.c $d/
cp "$top"/lib/formats/registry.c $d/formats/
cp "$top"/kernel/devsnap.h include/linux/devsnap.h
rewrite $d/*.c
# The headers those files include, from lib/ or kernel/, until none is missing.
while missing=$(cd $d && sed -n 's/^#include "\([^"]*\)"$/\1/p' ./*.[ch] formats/*.[ch] 2>/dev/null |
		sed 's|^lib/||; s|^\.\./||' | sort -u |
		while read -r h; do [ -e "$h" ] || [ -e "formats/$h" ] || echo "$h"; done) &&
	[ -n "$missing" ]; do
	for h in $missing; do
		if [ -e "$top/lib/$h" ]; then cp "$top/lib/$h" "$d/$h"
		elif [ -e "$top/lib/formats/$h" ]; then cp "$top/lib/formats/$h" "$d/formats/$h"
		elif [ -e "$top/kernel/$h" ]; then cp "$top/kernel/$h" "$d/$h"
		else echo "kernel-series.sh: no header $h for lib/devsnap" >&2; exit 1
		fi
		rewrite "$d/$h" "$d/formats/$h" 2>/dev/null || true
	done
done
{
	echo "# SPDX-License-Identifier: GPL-2.0 OR MIT"
	echo "obj-\$(CONFIG_DEVSNAP) += devsnap.o"
	printf 'devsnap-y :='
	for o in $(objs); do printf ' \\\n\t%s' "$o"; done
	echo
	echo "# The table builder, for the sample driver only."
	echo "devsnap-\$(CONFIG_DEVSNAP_BUILDER) += build.o formats/registry.o"
} >$d/Makefile
echo 'obj-$(CONFIG_DEVSNAP) += devsnap/' >>lib/Makefile
# MAINTAINERS: the entry in its alphabetical place among the others.
LC_ALL=C awk -v entry="DEVICE MMU SNAPSHOTS (DEVSNAP)" -v author="$author" '
	/^3C59X NETWORK DRIVER$/ { list = 1 }
	list && !done && prev == "" && /^[A-Z0-9]/ && $0 == toupper($0) && $0 > entry {
		print entry; print "M:\t" author; print "S:\tMaintained"
		print "F:\tinclude/linux/devsnap.h"; print "F:\tlib/devsnap/"; print ""
		done = 1
	}
	{ print; prev = $0 }' MAINTAINERS >MAINTAINERS.new && mv MAINTAINERS.new MAINTAINERS
grep -q '^DEVICE MMU SNAPSHOTS (DEVSNAP)$' MAINTAINERS ||
	{ echo "kernel-series.sh: no place for devsnap in MAINTAINERS" >&2; exit 1; }
cat >>lib/Kconfig <<'EOF'

config DEVSNAP
	tristate "Device MMU snapshots at crash time (devsnap)"
	select WANT_DEV_COREDUMP
	help
	  A helper for drivers of devices with their own MMU (GPUs, NPUs,
	  IOMMU domains): at crash time it walks the device's page tables,
	  copies the RAM they map into memory reserved at probe and hands
	  it to devcoredump as an ELF core that gdb, drgn and the devsnap
	  tools read.  Drivers select or depend on it; say N unless one
	  does.

config DEVSNAP_BUILDER
	bool
	depends on DEVSNAP
EOF
git add -A
git commit -q -F - <<EOF
lib/devsnap: snapshot what a device's MMU maps, as a devcoredump

When a GPU or NPU crashes, the driver has to copy what the device could
see through its own MMU at that moment, before the jobs are failed and
the memory is reused.  Drivers do this by hand today (drm/asahi), or not
at all.

devsnap does it for any of the page-table formats in the kernel: x86-64,
Arm VMSAv8-64 stage 1 and stage 2 (4K/16K/64K, concatenated stage 2
tables), Arm Mali LPAE, Apple UAT, Apple DART and DART2, RISC-V
Sv39/48/57, Intel VT-d and AMD IOMMU v1.  The driver reserves the memory
of one dump at probe with devsnap_pool_create(); devsnap_snapshot()
walks the tables and copies the RAM they map into it without sleeping or
allocating, so it may run under the driver's VM spinlock or in a
dma-fence signalling section; a worker then hands the ELF core to
dev_coredumpm().  Only
System RAM that is online and not hwpoisoned is read, with
copy_mc_to_kernel(); what is skipped is recorded with its reason.
Drivers on io-pgtable pass their io_pgtable_cfg to
devsnap_snapshot_iopgtable().

The walker and the ELF writer are freestanding C shared with the devsnap
userspace tools, which walk the same tables from /proc/kcore and vmcores.
The page-table builder is built only for the sample that follows, with
the hidden CONFIG_DEVSNAP_BUILDER, and exported to it in the
DEVSNAP_BUILDER namespace.

Signed-off-by: $author
EOF

# --- 2/2: samples/devsnap -----------------------------------------------------
s=samples/devsnap
mkdir -p $s
cp "$top"/tests/qemu/module/devsnap_qemu_main.c $s/devsnap_sample_main.c
rewrite $s/*.c
# Its tables come from lib/devsnap's builder, which devsnap.ko exports to it.
sed -i 's|^MODULE_LICENSE("GPL");$|&\nMODULE_IMPORT_NS(DEVSNAP_BUILDER);|' $s/devsnap_sample_main.c
grep -q '^MODULE_IMPORT_NS(DEVSNAP_BUILDER);$' $s/devsnap_sample_main.c ||
	{ echo "kernel-series.sh: no MODULE_LICENSE(\"GPL\") line in the test device" >&2; exit 1; }
{
	echo "# SPDX-License-Identifier: GPL-2.0"
	echo "ccflags-y += -I\$(srctree)/lib/devsnap"
	echo "obj-\$(CONFIG_SAMPLE_DEVSNAP) += devsnap_sample.o"
	echo "devsnap_sample-y := devsnap_sample_main.o"
} >$s/Makefile
echo 'obj-$(CONFIG_SAMPLE_DEVSNAP) += devsnap/' >>samples/Makefile
sed -i 's|^F:\tlib/devsnap/$|&\nF:\tsamples/devsnap/|' MAINTAINERS
# Kconfig's samples menu ends with its endif: the entry goes before it.
awk '/^endif # SAMPLES/ && !done {
	print "config SAMPLE_DEVSNAP"
	print "\ttristate \"Build devsnap sample -- a software device that crashes\""
	print "\tdepends on DEVSNAP && DEBUG_FS && m"
	print "\tselect DEVSNAP_BUILDER"
	print "\thelp"
	print "\t  A platform device with its own page tables in any devsnap"
	print "\t  format, driven through debugfs: writing to crash takes a"
	print "\t  devsnap snapshot of them, as a driver'\''s crash path would."
	print ""
	done = 1
} { print }' samples/Kconfig >samples/Kconfig.new && mv samples/Kconfig.new samples/Kconfig
git add -A
git commit -q -F - <<EOF
samples/devsnap: a software device that crashes into devsnap

A reference user of <linux/devsnap.h>: a platform device that builds page
tables in the format given as its module parameter, maps known pages, an
MMIO window and a 2 MiB run into them, reserves a devsnap pool at probe
and, when "crash" is written in its debugfs directory, takes the snapshot
under its VM spinlock with interrupts disabled, as a driver's crash path
would, then waits for the delivery to devcoredump.  It builds its tables
with lib/devsnap's builder, which it selects (CONFIG_DEVSNAP_BUILDER).

Signed-off-by: $author
EOF

git format-patch -q -o "$out" "$base"..HEAD
ls "$out"/*.patch
