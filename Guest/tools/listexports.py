#!/usr/bin/env python3
"""Lists the functions a DLL's C sources define with the given calling-convention marker, to
help keep its .def file complete (a developer aid; the build uses the committed .def files).

    tools/listexports.py msvcrt __cdecl   # prints names not yet in msvcrt/msvcrt.def
"""
import glob
import re
import sys

folder, marker = sys.argv[1], sys.argv[2]
defined = set()
pattern = re.compile(r'^(?:_CRT_NORETURN |DECLSPEC_NORETURN )?[A-Za-z_][\w \*]*?\b' + re.escape(marker) +
                     r'\s+\*?\s*(\w+)\(', re.M)
for path in glob.glob(f'{folder}/*.c'):
    text = open(path).read()
    for m in pattern.finditer(text):
        defined.add(m.group(1))
listed = set()
for line in open(f'{folder}/{folder}.def'):
    line = line.split(';')[0].strip()
    if line and not line.startswith(('LIBRARY', 'EXPORTS')):
        listed.add(line.split('=')[0].split()[0])
for name in sorted(defined - listed):
    print(name)
