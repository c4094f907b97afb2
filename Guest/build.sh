#!/bin/sh
# Builds the simulated machine's system DLLs (ntdll.dll, kernel32.dll, msvcrt.dll) with their
# PDBs and import libraries, the start-up library of clang-cl programs (xcdbcrt.lib), and the
# DLLs' Breakpad symbols, into Guest/bin (or the folder given as the first argument).
#
# Needs clang-cl, lld-link and llvm-symbolizer (the Swift toolchain ships them) and
# xcdb-example (for the symbols; built with swift unless XCDB_EXAMPLE names the binary).
# No Windows SDK or CRT: Guest/include has the headers.
#
# The output is deterministic (fixed build folder, /Brepro, fixed /timestamp, relative source
# and PDB paths), so rebuilding reproduces the committed files byte for byte.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tools=${XCDB_LLVM_BIN:-/opt/swift/usr/bin}
clangcl="$tools/clang-cl"
lldlink="$tools/lld-link"
symbolizer="$tools/llvm-symbolizer"
out=${1:-$here/bin}
mkdir -p "$out"
out=$(cd "$out" && pwd)

# A fixed build folder: lld hashes object paths into the PDB and its GUID. A lock keeps two
# builds (say, a test's and a person's) from sharing it at once.
work=/tmp/xcdb-guest-build
exec 9>/tmp/xcdb-guest-build.lock
flock 9
rm -rf "$work"
mkdir -p "$work/ntdll" "$work/kernel32" "$work/msvcrt" "$work/lib" "$work/Guest"
trap 'rm -rf "$work"' EXIT

# The sources are compiled from a copy in the build folder, so the paths in the debug
# information (and so the PDBs) do not depend on where the repository is.
for folder in include common ntdll kernel32 msvcrt lib; do
    cp -R "$here/$folder" "$work/Guest/"
done
cd "$work/Guest"
cflags="/c /O2 /GS- /Z7 /X /Brepro /clang:-ffreestanding /clang:-fasynchronous-unwind-tables /clang:-fno-math-errno /clang:-mno-stack-arg-probe
    /clang:-fdebug-compilation-dir=. /clang:-fno-ident -Iinclude /W4 /WX"

# Compiles a module's sources, as many at once as there are processors.
compile() { # module define sources...
    module=$1
    define=$2
    shift 2
    for source in "$@"; do echo "$source"; done |
        xargs -P "$(nproc)" -I{} sh -c '"$0" --target=x86_64-pc-windows-msvc $1 /D"$2" \
            /Fo"$3/$(basename "$4" .c).obj" -- "$4"' "$clangcl" "$cflags" "$define" "$work/$module" {}
}

common="common/format.c common/fltconv.c common/bigint.c"

# ntdll: the system-call stubs and the NT run-time library; imports nothing.
compile ntdll XCDB_BUILDING_NTDLL ntdll/*.c $common
"$lldlink" /Brepro /dll /noentry /nodefaultlib /machine:x64 /debug /pdb:"$work/ntdll.pdb" /pdbaltpath:ntdll.pdb \
    /timestamp:0x6a000001 /base:0x7FFC0A000000 /def:ntdll/ntdll.def /out:"$work/ntdll.dll" "$work"/ntdll/*.obj

# kernel32: Win32 over ntdll.
compile kernel32 XCDB_BUILDING_KERNEL32 kernel32/*.c
"$lldlink" /Brepro /dll /entry:Kernel32EntryPoint /nodefaultlib /machine:x64 /debug /pdb:"$work/kernel32.pdb" \
    /pdbaltpath:kernel32.pdb /timestamp:0x6a000002 /base:0x7FFC09000000 /def:kernel32/kernel32.def \
    /out:"$work/kernel32.dll" "$work"/kernel32/*.obj "$work/ntdll.lib"

# msvcrt: the C library over kernel32.
compile msvcrt XCDB_BUILDING_MSVCRT msvcrt/*.c $common common/xmath.c
"$lldlink" /Brepro /dll /entry:_CRT_INIT /nodefaultlib /machine:x64 /debug /pdb:"$work/msvcrt.pdb" \
    /pdbaltpath:msvcrt.pdb /timestamp:0x6a000003 /base:0x7FFC08000000 /def:msvcrt/msvcrt.def \
    /out:"$work/msvcrt.dll" "$work"/msvcrt/*.obj "$work/kernel32.lib"

# xcdbcrt.lib: mainCRTStartup and friends for clang-cl programs.
for source in lib/*.c; do
    name=$(basename "$source" .c)
    "$clangcl" --target=x86_64-pc-windows-msvc /c /O2 /GS- /Z7 /X /Brepro /clang:-mno-stack-arg-probe \
        /clang:-fdebug-compilation-dir=. /clang:-fno-ident -Iinclude /W4 /WX /Fo"$work/lib/$name.obj" -- "$source"
done
"$lldlink" /lib /machine:x64 /out:"$work/xcdbcrt.lib" "$work"/lib/*.obj

# Import libraries from the .def files (the linker's own, above, name the DLLs the same).
for dll in ntdll kernel32 msvcrt; do
    "$lldlink" /lib /machine:x64 /def:"$dll/$dll.def" /out:"$work/$dll.lib" >/dev/null
    cp "$work/$dll.dll" "$work/$dll.pdb" "$work/$dll.lib" "$out/"
done
cp "$work/xcdbcrt.lib" "$out/"

# Breakpad symbols in a symbol store under bin/symbols, made as Examples/build.sh makes
# crashdemo's: llvm-symbolizer's reading of each PDB, checked against the DLL's .pdata.
# (XCDB_GUEST_NO_SYMBOLS=1 skips them, for a quick build while working on the DLLs.)
if [ -n "${XCDB_GUEST_NO_SYMBOLS:-}" ]; then
    exit 0
fi
if [ -z "${XCDB_EXAMPLE:-}" ]; then
    swift build --package-path "$here/.." --product xcdb-example >&2
    XCDB_EXAMPLE=$(swift build --package-path "$here/.." --show-bin-path)/xcdb-example
fi
rm -rf "$out/symbols"
for dll in ntdll kernel32 msvcrt; do
    "$XCDB_EXAMPLE" symbols "$work/$dll.dll" "$symbolizer" "$work/" "$out/symbols" >/dev/null
done
