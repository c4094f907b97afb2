#!/bin/sh
# Rebuilds the PE images under Examples/ that PEFormatTests and UnwindTests read, and the
# example program behind xcdb's bundled dump (crashdemo.exe) with its Breakpad symbols.
# Needs clang-cl, clang, lld-link and llvm-symbolizer (the Swift toolchain ships them), llvm-rc
# (for the version resources) and swift (to build xcdb-example, which writes the symbols).
# No Windows SDK or CRT: the programs are written to need none.
# Output is deterministic (fixed /timestamp, relative PDB paths); PDBs are not kept.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tools=${XCDB_LLVM_BIN:-/opt/swift/usr/bin}
clangcl="$tools/clang-cl"
clang="$tools/clang"
lldlink="$tools/lld-link"
symbolizer="$tools/llvm-symbolizer"
llvmrc=$(command -v llvm-rc || echo "$tools/llvm-rc")
out="$here/bin"
# A fixed build directory: lld hashes the object paths into the PDB GUID of the RSDS record.
work=/tmp/xcdb-examples-build
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
cd "$work"

# clang-cl reads arguments starting with '/' as options, so sources come after `--`.
cflags="/c /O2 /GS- /Gs1000000"
"$llvmrc" /fo version.res "$here/pe/version.rc"

# exports: named, ordinal-only, data and forwarded exports; RSDS debug record; version resource.
"$clangcl" --target=x86_64-pc-windows-msvc $cflags /Foexports.obj -- "$here/pe/exports.c"
"$lldlink" /Brepro /dll /noentry /nodefaultlib /debug /pdb:exports.pdb /pdbaltpath:exports.pdb \
    /timestamp:0x5f5e1000 /def:"$here/pe/exports.def" /out:exports-x64.dll exports.obj version.res
cp exports-x64.dll "$out/"

"$clangcl" --target=i686-pc-windows-msvc $cflags /Foexports32.obj -- "$here/pe/exports.c"
"$lldlink" /Brepro /machine:x86 /dll /noentry /nodefaultlib /debug /pdb:exports32.pdb \
    /pdbaltpath:exports-x86.pdb /timestamp:0x5f5e1002 /def:"$here/pe/exports.def" \
    /out:exports-x86.dll exports32.obj version.res
cp exports-x86.dll "$out/"

"$clangcl" --target=aarch64-pc-windows-msvc $cflags /Foexportsa64.obj -- "$here/pe/exports.c"
"$clang" --target=aarch64-pc-windows-msvc -c "$here/pe/arm64packed.s" -o arm64packed.obj
"$lldlink" /machine:arm64 /dll /noentry /nodefaultlib /timestamp:0x5f5e1003 \
    /def:"$here/pe/exports.def" /export:packed_fn /out:exports-arm64.dll exportsa64.obj \
    arm64packed.obj version.res
cp exports-arm64.dll "$out/"

# importer: imports exports-x64.dll's functions by name and by ordinal (via its import library).
"$clangcl" --target=x86_64-pc-windows-msvc $cflags /Foimporter.obj -- "$here/pe/importer.c"
"$lldlink" /dll /noentry /nodefaultlib /timestamp:0x5f5e1001 /export:importer_entry \
    /out:importer-x64.dll importer.obj exports-x64.lib
cp importer-x64.dll "$out/"

# x64unwind: hand-written prologs covering every unwind code (see the .s file).
"$clang" --target=x86_64-pc-windows-msvc -c "$here/unwind/x64unwind.s" -o x64unwind.obj
exports=""
for name in scenario_main scenario_trap ret_main ret_fp ret_large ret_huge ret_chained ret_push \
    ret_trap ret_trap_scenario stop_fp_epilog stop_fp_ret stop_push_prolog stop_push_epilog stop_leaf \
    stop_machframe_build interrupted_at fn_fp fn_large fn_huge chain_parent chain_fragment \
    fn_push leaf_fn fn_interrupted trap_handler; do
    exports="$exports /export:$name"
done
"$lldlink" /dll /noentry /nodefaultlib /timestamp:0x5f5e1010 $exports \
    /out:x64unwind.dll x64unwind.obj
cp x64unwind.dll "$out/"

# crashdemo: the program xcdb-example runs to make the bundled example dump (see
# crashdemo/crashdemo.c). Compiled from a copy under the build directory with a relative path,
# so the PDB (and so the exe's PDB GUID) does not depend on where the repository is.
# -mno-stack-arg-probe: the variable-length array would otherwise call the CRT's __chkstk.
mkdir -p Examples/crashdemo
cp "$here/crashdemo/crashdemo.c" "$here/crashdemo/crashdemo.rc" Examples/crashdemo/
"$llvmrc" /fo crashdemo.res Examples/crashdemo/crashdemo.rc
"$clangcl" --target=x86_64-pc-windows-msvc $cflags /clang:-mno-stack-arg-probe /Z7 \
    /clang:-fdebug-compilation-dir=. /Focrashdemo.obj -- Examples/crashdemo/crashdemo.c
"$lldlink" /Brepro /nodefaultlib /subsystem:console /entry:mainCRTStartup /debug \
    /pdb:crashdemo.pdb /pdbaltpath:crashdemo.pdb /timestamp:0x66420000 /out:crashdemo.exe \
    crashdemo.obj crashdemo.res
cp crashdemo.exe "$out/"

# Its Breakpad symbols, in a symbol store under bin/symbols: function ranges and source lines
# from llvm-symbolizer's reading of the PDB, checked against the exe's .pdata.
swift build --package-path "$here/.." --product xcdb-example >&2
example=$(swift build --package-path "$here/.." --show-bin-path)/xcdb-example
rm -rf "$out/symbols/crashdemo.pdb"
"$example" symbols crashdemo.exe "$symbolizer" "$work/" "$out/symbols"

ls -l "$out"
