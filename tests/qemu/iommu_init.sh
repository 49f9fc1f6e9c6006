#!/bin/busybox sh
# /init of the IOMMU test guest (tests/qemu/iommu.sh builds the initramfs):
# brings up an e1000e behind QEMU's intel-iommu or amd-iommu (IOMMU_KIND
# vtd or amd, IOMMU_BDF the NIC: the kernel hands unknown a=b parameters to
# init as its environment) so that its driver maps its receive ring and
# buffers, tells the host where the ring is, captures the device's domain
# from /proc/kcore with devsnap, then waits for the host to take its
# dump-guest-memory and stop the machine.
/bin/busybox mkdir -p /proc /sys /dev /tmp /usr/bin /sbin /usr/sbin
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1

say() { echo "IOMMU-GUEST $*"; }
bdf=${IOMMU_BDF:-0000:00:03.0}
kind=${IOMMU_KIND:-vtd}
dev=/sys/bus/pci/devices/$bdf

# No traffic of the guest's own (IPv6 router solicitation, DAD) maps a
# transmit buffer between the kcore capture and the host's dump: the two
# see the same mappings.
echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6 || say "error disable_ipv6"
insmod /modules/e1000e.ko || say "error insmod e1000e"
n=0
while [ ! -d "$dev/net" ] && [ "$n" -lt 500 ]; do usleep 10000; n=$((n + 1)); done
eth=$(ls "$dev/net" 2>/dev/null)
ip link set "$eth" up || say "error ip link up"
# Open has set up the receive ring: its IOVA in RDBAH:RDBAL and length in
# RDLEN (the 82574's queue 0 registers), read from BAR 0 (iomem=relaxed
# lets devmem read a driver's registers).
bar=$(awk 'NR == 1 { print $1 }' "$dev/resource")
usleep 200000
rdbal=$(devmem $((bar + 0x2800)) 32)
rdbah=$(devmem $((bar + 0x2804)) 32)
rdlen=$(devmem $((bar + 0x2808)) 32)
say "group $(basename "$(readlink "$dev/iommu_group")") domain-type $(cat "$dev/iommu_group/type")"
say "ring $rdbah $rdbal $rdlen"
# The IOMMU's table as the unit was told it (VT-d RTADDR_REG, AMD-Vi Device
# Table Base Address register, at QEMU's MMIO bases), and devsnap over
# /proc/kcore with it.
if [ "$kind" = amd ]; then
	table=$(devmem 0xfed80000 64) opt=--amd-dev-table
else
	table=$(devmem 0xfed90020 64) opt=--vtd-root-table
fi
say "table $table"
if devsnap capture --kcore "$opt" "$table" --pci "${bdf#0000:}" -o /tmp/kcore.dump -q \
	2>/tmp/err; then
	# VA PA SIZE PERM, one segment a line
	devsnap maps --json=pretty /tmp/kcore.dump | awk -F'"' '
		/"va":/ { va = $4 } /"pa":/ { pa = $4 }
		/"size":/ { sz = $3; gsub(/[^0-9]/, "", sz) }
		/"perm":/ { print "IOMMU-KCORE", va, pa, sz, $4 }'
else
	sed 's/^/IOMMU-GUEST error kcore: /' /tmp/err
fi
# For --root cr3: where the kernel's text is, and whether the CPU pages
# with five levels.
say text $(awk '$3 == "_text" { print $1 }' /proc/kallsyms)
grep -qw la57 /proc/cpuinfo && say paging 5 || say paging 4
say ready
# The host dumps the memory now and quits; this only bounds a lost host.
sleep 120
poweroff -f
