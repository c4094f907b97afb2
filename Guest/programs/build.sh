#!/bin/sh
# Builds the guest test programs into OUT (the Swift tests call this; nothing here is
# committed):
#   p_*.c  portable C: OUT/NAME.native (cc, the oracle), OUT/NAME-mingw.exe and
#          OUT/NAME-mingw-posix.exe (Debian's mingw-w64, win32 and posix flavours),
#          OUT/NAME-clang.exe (clang-cl against Guest/include and Guest/bin)
#   w_*.c  Win32: the mingw-w64 and clang-cl builds (w_seh.c, with __try, clang-cl only;
#          w_pthread.c, POSIX threads, mingw-w64's posix flavour with winpthreads linked in)
# A compiler that is missing is an error: the tests must not pass by skipping.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
guest=$(cd "$here/.." && pwd)
tools=${XCDB_LLVM_BIN:-/opt/swift/usr/bin}
out=${1:?usage: build.sh OUT}
bin=${XCDB_GUEST_BIN:-$guest/bin} # the DLLs' import libraries
mkdir -p "$out"
cc=${CC:-cc}
mingw=x86_64-w64-mingw32-gcc-win32
mingwPosix=x86_64-w64-mingw32-gcc-posix
for tool in "$cc" "$mingw" "$mingwPosix" "$tools/clang-cl" "$tools/lld-link"; do
    command -v "$tool" >/dev/null || { echo "build.sh: $tool is missing" >&2; exit 1; }
done

clang() { # source name
    "$tools/clang-cl" --target=x86_64-pc-windows-msvc /c /O2 /Z7 /X -I"$guest/include" /Fo"$out/$2.obj" -- "$1"
    "$tools/lld-link" /nodefaultlib /subsystem:console /debug /out:"$out/$2-clang.exe" "$out/$2.obj" \
        "$bin/xcdbcrt.lib" "$bin/msvcrt.lib" "$bin/kernel32.lib" >/dev/null
    rm -f "$out/$2.obj"
}

for source in "$here"/p_*.c; do
    name=$(basename "$source" .c)
    "$cc" -O2 -o "$out/$name.native" "$source" -lm
    "$mingw" -O2 -o "$out/$name-mingw.exe" "$source"
    "$mingwPosix" -O2 -o "$out/$name-mingw-posix.exe" "$source"
    clang "$source" "$name"
done
# w_plugin.dll, which w_loadlib loads at run time (from the program's folder).
"$tools/clang-cl" --target=x86_64-pc-windows-msvc /c /O2 /Z7 /X -I"$guest/include" /Fo"$out/w_plugin.obj" \
    -- "$here/w_plugin.c"
"$tools/lld-link" /dll /nodefaultlib /debug /def:"$here/w_plugin.def" /out:"$out/w_plugin.dll" "$out/w_plugin.obj" \
    "$bin/xcdbcrt.lib" "$bin/msvcrt.lib" "$bin/kernel32.lib" >/dev/null
rm -f "$out/w_plugin.obj" "$out/w_plugin.lib" "$out/w_plugin.exp"
for source in "$here"/w_*.c; do
    name=$(basename "$source" .c)
    if [ "$name" = w_plugin ]; then continue; fi
    if [ "$name" = w_pthread ]; then
        "$mingwPosix" -O2 -static -pthread -o "$out/$name-mingw-posix.exe" "$source"
        continue
    fi
    if ! grep -q '__try' "$source"; then
        unicode=""
        if grep -q 'wmain' "$source"; then unicode=-municode; fi
        "$mingw" -O2 $unicode -o "$out/$name-mingw.exe" "$source"
    fi
    clang "$source" "$name"
done
