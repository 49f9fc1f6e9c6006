#!/bin/sh
# -o PATH in every verb that takes it (capture, demo, read, extract, export),
# onto each thing that may stand at PATH: a character device (a null device
# made with mknod), a FIFO with a reader, a symlink to a file, a dangling
# symlink, "-", a directory, a block device and "".  Devices and FIFOs must
# be written into and survive as they were; symlinks refused with their
# target untouched; "-" is standard output.  TAP.
set -u
devsnap=$(realpath "$1") # absolute: one check runs in another directory
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
check() { # description, command...
	desc=$1; shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; sed 's/^/# /' "$t/err" 2>/dev/null; fi
}
has() { grep -q -- "$2" "$1"; }

# --- inputs ------------------------------------------------------------------
"$devsnap" demo -q -o "$t/demo.core" || { echo "Bail out! devsnap demo failed"; exit 1; }
# x86-64 tables in a raw image: PML4 at 0x1000 ... one 4K page at 0x5000.
le_entry() { printf "$2" | dd of="$t/mem.img" bs=1 seek=$(($1)) conv=notrunc status=none; }
truncate -s 32K "$t/mem.img"
le_entry 0x1000 '\003\040\000\000\000\000\000\000'
le_entry 0x2000 '\003\060\000\000\000\000\000\000'
le_entry 0x3000 '\003\100\000\000\000\000\000\000'
le_entry 0x4000 '\003\120\000\000\000\000\000\000'
printf 'page at 0x5000' | dd of="$t/mem.img" bs=1 seek=$((0x5000)) conv=notrunc status=none
tree=$t/sysfs
mkdir -p "$tree/devcd1"
cp "$t/demo.core" "$tree/devcd1/data"
: >"$t/empty.conf"
"$devsnap" collect --once --sysfs "$tree" --store "$t/store" --config "$t/empty.conf" \
	2>/dev/null || { echo "Bail out! collect failed"; exit 1; }
va=$("$devsnap" maps --json "$t/demo.core" | jq -r '.[0].va')

verbs="capture demo read extract export"
# run VERB OUT: the verb writing to OUT, for a minute at most (a FIFO's
# open waits for its reader).
run() {
	case $1 in
	capture) set -- "$2" capture -q --memory "$t/mem.img" --format x86_64 --root 0x1000 ;;
	demo) set -- "$2" demo -q ;;
	read) set -- "$2" read "$t/demo.core" "$va" 8K ;;
	extract) set -- "$2" extract -q "$t/demo.core" --range "$va+1M" ;;
	export) set -- "$2" export -1 --store "$t/store" ;;
	esac
	out=$1; shift
	timeout 60 "$devsnap" "$@" -o "$out"
}
# same_output VERB FILE: FILE holds what VERB writes.  capture and demo
# record the time in the dump: the same length, and a sound dump.
same_output() {
	case $1 in
	capture|demo) [ "$(wc -c <"$2")" = "$(wc -c <"$t/ref.$1")" ] &&
			"$devsnap" verify "$2" >/dev/null 2>&1 ;;
	*) cmp -s "$2" "$t/ref.$1" ;;
	esac
}

for verb in $verbs; do
	run "$verb" "$t/ref.$verb" 2>"$t/err" || { echo "Bail out! $verb -o FILE failed"; exit 1; }
done
check "export's reference is the collected dump" cmp -s "$t/ref.export" "$t/demo.core"

# --- a character device ---------------------------------------------------------
if mknod "$t/null" c 1 3 2>"$t/err" && echo x >"$t/null" 2>>"$t/err"; then
	for verb in $verbs; do
		if run "$verb" "$t/null" >/dev/null 2>"$t/err"; then ok "$verb -o a null device: exit 0"
		else not_ok "$verb -o a null device: exit 0"; sed 's/^/# /' "$t/err"; fi
		check "... still the character device 1:3" \
			test -c "$t/null" -a "$(stat -c %t:%T "$t/null")" = 1:3
	done
else
	skip "writing onto a character device" "cannot make one here (root on a dev-enabled fs): $(head -n 1 "$t/err")"
fi

# --- a FIFO, drained by a reader -----------------------------------------------------
mkfifo "$t/fifo"
for verb in $verbs; do
	rm -f "$t/drained"
	timeout 60 cat "$t/fifo" >"$t/drained" &
	reader=$!
	if run "$verb" "$t/fifo" >/dev/null 2>"$t/err"; then
		ok "$verb -o FIFO: exit 0"
	else
		not_ok "$verb -o FIFO: exit 0"; sed 's/^/# /' "$t/err"
		timeout 5 sh -c ': >"$1"' - "$t/fifo" # let the reader go
	fi
	wait "$reader"
	check "... the reader got the output" same_output "$verb" "$t/drained"
	check "... still a FIFO" test -p "$t/fifo"
done

# --- symlinks: refused, their targets untouched ----------------------------------------
printf 'not to be touched\n' >"$t/victim"
ln -s "$t/victim" "$t/link"
ln -s "$t/nowhere" "$t/dangling"
for verb in $verbs; do
	if run "$verb" "$t/link" >/dev/null 2>"$t/err"; then not_ok "$verb -o SYMLINK: refused"
	else ok "$verb -o SYMLINK: refused"; fi
	check "... saying it is a symlink, not followed" has "$t/err" "is a symlink: not followed"
	check "... the link and its target unchanged" sh -c '[ "$(readlink "$1")" = "$2" ] &&
		[ "$(cat "$2")" = "not to be touched" ]' - "$t/link" "$t/victim"
	if run "$verb" "$t/dangling" >/dev/null 2>"$t/err"; then
		not_ok "$verb -o a dangling symlink: refused"
	else ok "$verb -o a dangling symlink: refused"; fi
	check "... creating nothing where it points" test ! -e "$t/nowhere" -a -L "$t/dangling"
done

# --- "-": standard output, never a file named "-" -------------------------------------
mkdir "$t/cwd"
for verb in $verbs; do
	if (cd "$t/cwd" && run "$verb" - >"$t/stdout" 2>"$t/err"); then ok "$verb -o -: exit 0"
	else not_ok "$verb -o -: exit 0"; sed 's/^/# /' "$t/err"; fi
	check "... the output, alone, on standard output" same_output "$verb" "$t/stdout"
	check "... no file named '-'" test -z "$(ls -A "$t/cwd")"
done

# --- what is refused -----------------------------------------------------------------------
mkdir "$t/dir"
for verb in $verbs; do
	if run "$verb" "$t/dir" >/dev/null 2>"$t/err"; then not_ok "$verb -o DIR: refused"
	else ok "$verb -o DIR: refused"; fi
	check "... saying it is a directory, writing nothing in it" sh -c \
		'grep -q "is a directory" "$1" && test -z "$(ls -A "$2")"' - "$t/err" "$t/dir"
	if run "$verb" "" >/dev/null 2>"$t/err"; then not_ok "$verb -o '': refused"
	else ok "$verb -o '': refused"; fi
	check "... saying the path is empty" has "$t/err" "output path is empty"
done
# Major 240 is for local use: no driver behind it, should anything open it.
if mknod "$t/blk" b 240 0 2>"$t/err"; then
	for verb in $verbs; do
		if run "$verb" "$t/blk" >/dev/null 2>"$t/err"; then not_ok "$verb -o BLOCKDEV: refused"
		else ok "$verb -o BLOCKDEV: refused"; fi
		check "... saying it is a block device, leaving it" sh -c \
			'grep -q "is a block device" "$1" && test -b "$2"' - "$t/err" "$t/blk"
	done
else
	skip "-o onto a block device" "cannot make one here: $(head -n 1 "$t/err")"
fi

# --- a terminal: refused unless --force ---------------------------------------------------
if command -v script >/dev/null 2>&1; then
	script -qec "'$devsnap' read '$t/demo.core' $va 16" /dev/null >"$t/tty" 2>&1
	check "read to a terminal: refused" has "$t/tty" "refusing to write binary data to the terminal"
	script -qec "'$devsnap' export -1 --store '$t/store' -o -" /dev/null >"$t/tty" 2>&1
	check "export -o - to a terminal: refused" has "$t/tty" "refusing to write binary data"
	script -qec "'$devsnap' read --force '$t/demo.core' $va 16" /dev/null >"$t/tty" 2>&1
	check "read --force to a terminal: written" sh -c '! grep -q refusing "$1" &&
		[ "$(wc -c <"$1")" -ge 16 ]' - "$t/tty"
else
	skip "a terminal as the output" "no script(1)"
fi
echo "1..$n"
