"""What the shared-session benchmarks have in common: finding the xcdb to measure and running
it as a sharing server on a private Unix-domain socket for the length of a `with` block."""
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def find_xcdb(given):
    """The xcdb named on the command line, else the release build, else the debug build."""
    if given is not None:
        return given
    for candidate in (".build/release/xcdb", ".build/debug/xcdb"):
        if os.path.exists(os.path.join(ROOT, candidate)):
            return os.path.join(ROOT, candidate)
    sys.exit("build xcdb first: swift build -c release --product xcdb")


@contextlib.contextmanager
def sharing_server(xcdb, pipe):
    """Runs `xcdb -server npipe:pipe=PIPE -noio` in a runtime folder of its own; yields the
    server process and its socket's path once the socket exists."""
    runtime = tempfile.mkdtemp(prefix="xcdb-bench-")
    environment = dict(os.environ, XCDB_RUNTIME_DIR=os.path.join(runtime, "run"))
    server = subprocess.Popen(
        [xcdb, "-server", f"npipe:pipe={pipe}", "-noio", "-kqm"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env=environment)
    path = os.path.join(runtime, "run", f"npipe.{pipe}")
    try:
        deadline = time.monotonic() + 30
        while not os.path.exists(path):
            if time.monotonic() > deadline:
                sys.exit("the server did not start")
            time.sleep(0.01)
        yield server, path
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(runtime, ignore_errors=True)
