#!/bin/sh
# The main job on the built-in example: installs what is missing, builds,
# then builds a device address space, captures it and shows the dump.
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
meson compile -C build >/dev/null
exec build/src/devsnap demo "$@"
