#!/bin/sh
# src/'s include graph is one-way: lib/ < basic/ < the rooms (capture/, read/,
# collect/, store/) < the CLI entry layer (src/ top level).  Every quoted
# #include in src/ is read: it must name a file that exists ("room/x.h" from
# src/, or a lib/ header), never go up a layer, go from one room to another
# only along an edge listed below, and the rooms must have no cycle.
# Usage: test_include_graph.sh SRCDIR (src/, with lib/ beside it).
set -u
src=${1:?usage: $0 SRCDIR}
rooms="basic capture read collect store"

# The edges between rooms, each with why it cannot be avoided.
allowed_edges='
collect store	the collector saves into the store
store read	show prints what a saved dump holds through the dump view
'

t=$(mktemp -d) || exit 1
trap 'rm -rf "$t"' EXIT
cd "$src" || exit 1

# Every file include names can resolve to: src/'s as written, lib/'s by name.
{ find . -name '*.[ch]' | sed 's|^\./|src |'
  find ../lib/ -maxdepth 2 -name '*.h' | sed 's|.*/|lib |'; } >"$t/known"

# One line per include: FILE FROM-LAYER TO-LAYER INCLUDE, TO-LAYER "unknown"
# for a name that is not "room/x.h", a top-level header or lib's.
find . -name '*.[ch]' | sed 's|^\./||' | sort |
xargs grep -H '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' |
awk -v rooms="$rooms" -v known="$t/known" -v edges="$t/edges" '
	BEGIN {
		while ((getline line < known) > 0) {
			split(line, k, " ")
			if (k[1] == "src") src[k[2]] = 1; else lib[k[2]] = 1
		}
		n = split(rooms, r, " "); for (i = 1; i <= n; i++) room[r[i]] = 1
	}
	function layer(path) { return index(path, "/") ? substr(path, 1, index(path, "/") - 1) : "top" }
	{
		f = substr($0, 1, index($0, ":") - 1)
		inc = $0; sub(/^[^"]*"/, "", inc); sub(/".*/, "", inc)
		if (index(inc, "/")) to = (inc in src) && (layer(inc) in room) ? layer(inc) : "unknown"
		else to = (inc in src) ? "top" : (inc in lib) ? "lib" : "unknown"
		print f, layer(f), to, inc > edges
	}'
[ -f "$t/edges" ] || : >"$t/edges"

n=0
failed=0
result() { # status, description; diagnostics from $t/why
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		sed 's/^/# /' "$t/why"
		failed=1
	fi
}

count=$(wc -l <"$t/edges")
[ "$count" -gt 100 ]; result $? "src/ has includes to check ($count)"

awk '$3 == "unknown" {
	print $1 ": #include \"" $4 "\" names no room/x.h, top-level or lib/ header" }' \
	"$t/edges" >"$t/why"
[ ! -s "$t/why" ]; result $? "every include names a file from src/ or lib/"

awk 'function rank(l) { return l == "lib" ? 0 : l == "basic" ? 1 : l == "top" ? 3 : 2 }
     $3 != "unknown" && rank($3) > rank($2) {
	print $1 " (" $2 ") includes " $4 " (" $3 "): up a layer" }' \
	"$t/edges" >"$t/why"
[ ! -s "$t/why" ]; result $? "no include goes up a layer (lib < basic < rooms < CLI entry)"

awk '$2 != $3 && $2 != "top" && $2 != "basic" && $3 != "lib" && $3 != "basic" && $3 != "top" &&
     $3 != "unknown" { print $2, $3, $1, $4 }' "$t/edges" >"$t/room_edges"
awk -v allowed="$allowed_edges" '
	BEGIN {
		n = split(allowed, a, "\n")
		for (i = 1; i <= n; i++) { split(a[i], p, "\t"); ok[p[1]] = 1 }
	}
	!(($1 " " $2) in ok) {
		print $3 " includes " $4 ": " $1 " -> " $2 " is no documented edge between rooms" }' \
	"$t/room_edges" >"$t/why"
[ ! -s "$t/why" ]; result $? "rooms include each other only along the documented edges"

# tsort fails on a cycle; every room is a node even without edges.
{ for r in $rooms; do echo "$r $r"; done; awk '{ print $1, $2 }' "$t/room_edges"; } |
	tsort >/dev/null 2>"$t/why"
result $? "no cycle between rooms"

echo "1..$n"
exit $failed
