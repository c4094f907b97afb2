#!/bin/sh
# Builds the guest test programs into OUT (the Swift tests call this; nothing here is
# committed):
#   p_*.c  portable C: OUT/NAME.native (cc, the oracle), OUT/NAME-mingw.exe and
#          OUT/NAME-mingw-posix.exe (Debian's mingw-w64, win32 and posix flavours),
#          OUT/NAME-clang.exe (clang-cl against Guest/include and Guest/bin)
#   w_*.c  Win32: the mingw-w64 and clang-cl builds (w_seh.c, with __try, clang-cl only;
#          w_pthread.c, POSIX threads, mingw-w64's posix flavour with winpthreads linked in;
#          w_plugin.c, the DLL w_loadlib loads, clang-cl only, as OUT/w_plugin.dll)
# XCDB_GUEST_BIN names the folder with the DLLs' import libraries (default Guest/bin).
# A compiler that is missing is an error: the tests must not pass by skipping.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
guest=$(cd "$here/.." && pwd)
tools=${XCDB_LLVM_BIN:-/opt/swift/usr/bin}
bin=${XCDB_GUEST_BIN:-$guest/bin}
cc=${CC:-cc}
mingw=x86_64-w64-mingw32-gcc-win32
mingwPosix=x86_64-w64-mingw32-gcc-posix

clang() { # source name out
    "$tools/clang-cl" --target=x86_64-pc-windows-msvc /c /O2 /Z7 /X -I"$guest/include" /Fo"$3/$2.obj" -- "$1"
    "$tools/lld-link" /nodefaultlib /subsystem:console /debug /out:"$3/$2-clang.exe" "$3/$2.obj" \
        "$bin/xcdbcrt.lib" "$bin/msvcrt.lib" "$bin/kernel32.lib" >/dev/null
    rm -f "$3/$2.obj"
}

# One program's builds (the script runs itself this way, several at once).
if [ "${1:-}" = --one ]; then
    out=$2
    source=$3
    name=$(basename "$source" .c)
    case $name in
    p_*)
        "$cc" -O2 -o "$out/$name.native" "$source" -lm
        "$mingw" -O2 -o "$out/$name-mingw.exe" "$source"
        "$mingwPosix" -O2 -o "$out/$name-mingw-posix.exe" "$source"
        clang "$source" "$name" "$out"
        ;;
    w_plugin)
        "$tools/clang-cl" --target=x86_64-pc-windows-msvc /c /O2 /Z7 /X -I"$guest/include" \
            /Fo"$out/w_plugin.obj" -- "$source"
        "$tools/lld-link" /dll /nodefaultlib /debug /def:"$here/w_plugin.def" /out:"$out/w_plugin.dll" \
            "$out/w_plugin.obj" "$bin/xcdbcrt.lib" "$bin/msvcrt.lib" "$bin/kernel32.lib" >/dev/null
        rm -f "$out/w_plugin.obj" "$out/w_plugin.lib" "$out/w_plugin.exp"
        ;;
    w_pthread)
        "$mingwPosix" -O2 -static -pthread -o "$out/$name-mingw-posix.exe" "$source"
        ;;
    w_*)
        if ! grep -q '__try' "$source"; then
            unicode=""
            if grep -q 'wmain' "$source"; then unicode=-municode; fi
            "$mingw" -O2 $unicode -o "$out/$name-mingw.exe" "$source"
        fi
        clang "$source" "$name" "$out"
        ;;
    esac
    exit 0
fi

out=${1:?usage: build.sh OUT}
mkdir -p "$out"
out=$(cd "$out" && pwd)
for tool in "$cc" "$mingw" "$mingwPosix" "$tools/clang-cl" "$tools/lld-link"; do
    command -v "$tool" >/dev/null || { echo "build.sh: $tool is missing" >&2; exit 1; }
done
# xargs exits non-zero when any build does.
for source in "$here"/p_*.c "$here"/w_*.c; do echo "$source"; done |
    xargs -P "$(nproc)" -n 1 "$0" --one "$out"
