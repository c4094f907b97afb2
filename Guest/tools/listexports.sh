#!/bin/sh
# Lists the external functions a DLL's sources define that its .def file does not export
# (a developer aid for keeping the .def files complete; internal helpers show up too).
#   tools/listexports.sh msvcrt
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
tools=${XCDB_LLVM_BIN:-/opt/swift/usr/bin}
dll=$1
define=XCDB_BUILDING_$(echo "$dll" | tr a-z A-Z)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$here"
for source in "$dll"/*.c; do
    "$tools/clang-cl" --target=x86_64-pc-windows-msvc /c /O1 /GS- /X /clang:-ffreestanding -Iinclude /D"$define" \
        /Fo"$work/$(basename "$source" .c).obj" -- "$source"
done
"$tools/llvm-nm" --defined-only --extern-only "$work"/*.obj | awk '$2 == "T" { print $3 }' | sort -u >"$work/defined"
grep -v '^LIBRARY\|^EXPORTS' "$dll/$dll.def" | sed 's/^ *//; s/=.*//; s/ .*//' | sort -u >"$work/exported"
comm -23 "$work/defined" "$work/exported"
