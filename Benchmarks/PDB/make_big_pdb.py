#!/usr/bin/env python3
"""Generates a large PDB for xcdb's PDB benchmark (see README.md here), with its executable
and a crash dump of it.

    Benchmarks/PDB/make_big_pdb.py OUT_DIR [UNITS] [FUNCTIONS_PER_UNIT]

Writes OUT_DIR/unitNNN.cpp (many structs and functions each, one in 128 functions with "foo" in
its name, locals in nested blocks), compiles them with clang-cl /Z7, links bigpdb.exe and
bigpdb.pdb with lld-link /debug, and runs the program under Unicorn to its crash with
xcdb-example, writing bigpdb.dmp. The defaults make a PDB of about 100 MB. Nothing is
committed: the output is regenerated on demand.
"""
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

tools = os.environ.get("XCDB_LLVM_BIN", "/opt/swift/usr/bin")
out = os.path.abspath(sys.argv[1])
units = int(sys.argv[2]) if len(sys.argv) > 2 else 80
functions = int(sys.argv[3]) if len(sys.argv) > 3 else 1500
here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
os.makedirs(out, exist_ok=True)


def unit_source(u):
    lines = [f"namespace unit{u} {{"]
    structs = functions // 2
    for s in range(structs):
        fields = "\n".join(
            f"    {('int', 'long long', 'short', 'double', 'char *')[f % 5]} field{f}_{s};"
            for f in range(8 + s % 8))
        lines.append(f"struct Record{s} {{\n{fields}\n    struct Record{s} *next;\n}};")
    for f in range(functions):
        name = f"process_foo_{f}" if f % 128 == 0 else f"handle_item_{f}"
        s = f % structs
        lines.append(
            f"__declspec(noinline) int {name}(Record{s} *record, int count) {{\n"
            f"    int total = count + record->field0_{s};\n"
            f"    for (int i = 0; i < count; ++i) {{\n"
            f"        int step = i * {f % 7 + 1};\n"
            f"        total += step + record->field1_{s} ? 1 : 0;\n"
            f"    }}\n"
            f"    return total;\n"
            f"}}")
    lines.append("}")
    lines.append(f"int unit{u}_entry() {{ return unit{u}::handle_item_1(nullptr, 0); }}")
    return "\n".join(lines) + "\n"


def big_struct():
    fields = "\n".join(f"    int member{i};\n    Inner{i % 10} inner{i};" for i in range(400))
    inners = "\n".join(f"struct Inner{i} {{ int a{i}; short b{i}[{i + 1}]; }};" for i in range(10))
    return f"""{inners}
struct BigStruct {{
{fields}
}};
BigStruct big_instance;
extern "C" int _fltused = 0;
int *volatile null_pointer;
"""


def compile_unit(u):
    path = os.path.join(out, f"unit{u:03}.cpp")
    with open(path, "w") as f:
        f.write(unit_source(u))
    subprocess.run(
        [f"{tools}/clang-cl", "--target=x86_64-pc-windows-msvc", "/c", "/Z7", "/Od", "/GS-",
         "/GR-", f"/Fo{path[:-4]}.obj", "--", path], check=True)
    return f"{path[:-4]}.obj"


with open(os.path.join(out, "main.cpp"), "w") as f:
    f.write(big_struct())
    f.write("".join(f"int unit{u}_entry();\n" for u in range(units)))
    f.write('extern "C" int mainCRTStartup() {\n    big_instance.member3 = 7;\n'
            "    *null_pointer = big_instance.member3;\n"
            f"    return {' + '.join(f'unit{u}_entry()' for u in range(min(units, 4)))};\n}}\n")
subprocess.run(
    [f"{tools}/clang-cl", "--target=x86_64-pc-windows-msvc", "/c", "/Z7", "/Od", "/GS-", "/GR-",
     f"/Fo{out}/main.obj", "--", f"{out}/main.cpp"], check=True)
with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
    objects = list(pool.map(compile_unit, range(units)))
subprocess.run(
    [f"{tools}/lld-link", "/nodefaultlib", "/subsystem:console", "/entry:mainCRTStartup",
     "/debug", f"/pdb:{out}/bigpdb.pdb", "/pdbaltpath:bigpdb.pdb", f"/out:{out}/bigpdb.exe",
     f"{out}/main.obj"] + objects, check=True)
example = subprocess.run(
    ["swift", "build", "--package-path", root, "--show-bin-path"], check=True,
    capture_output=True, text=True).stdout.strip() + "/xcdb-example"
subprocess.run([example, "dump", f"{out}/bigpdb.exe", f"{out}/bigpdb.dmp"], check=True)
print(f"{out}/bigpdb.pdb: {os.path.getsize(f'{out}/bigpdb.pdb') / 1e6:.1f} MB")
