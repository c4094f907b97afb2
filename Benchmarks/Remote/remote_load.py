#!/usr/bin/env python3
"""A shared session under load: N raw-socket participants each typing M commands.

Starts `xcdb -server npipe:pipe=load -noio` (release build by default) and joins N plain
participants (as socat would: no hello, no protocol) over the Unix-domain socket. Each types
`.echo Pk-i` commands, keeping at most W of its own in flight (sent, output not seen yet), while
one selector loop reads every socket. Prints the time from the first command to the last
output at every participant, commands per second, and checks that every participant saw every
output once, in one order shared by all.

    python3 Benchmarks/Remote/remote_load.py [--xcdb PATH] [--participants 100]
        [--commands 100] [--window 8]
"""
import argparse
import os
import selectors
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


class Typist:
    def __init__(self, path, index):
        self.index = index
        self.prefix = f"P{index}-".encode()
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.sock.setblocking(False)
        self.pending = b""
        self.outbox = b""
        self.joined = False
        self.outputs = []
        self.typed = 0
        self.own_seen = 0

    def type_next(self):
        # Queued, never sent blocking: a blocked send while the server waits for this
        # participant to read its output would stall both sides.
        self.outbox += b".echo " + self.prefix + str(self.typed).encode() + b"\n"
        self.typed += 1

    def flush(self):
        if not self.outbox:
            return
        try:
            sent = self.sock.send(self.outbox)
        except BlockingIOError:
            return
        self.outbox = self.outbox[sent:]

    def drain(self):
        try:
            data = self.sock.recv(1 << 20)
        except BlockingIOError:
            return
        if not data:
            raise RuntimeError(f"the server closed participant {self.index}")
        self.pending += data
        *lines, self.pending = self.pending.split(b"\n")
        for line in lines:
            if line == b"JOINED-" + self.prefix:
                self.joined = True
            if line.startswith(b"P"):
                self.outputs.append(line)
                if line.startswith(self.prefix):
                    self.own_seen += 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--xcdb", default=None)
    parser.add_argument("--participants", type=int, default=100)
    parser.add_argument("--commands", type=int, default=100)
    parser.add_argument("--window", type=int, default=8)
    arguments = parser.parse_args()
    xcdb = arguments.xcdb
    if xcdb is None:
        for candidate in (".build/release/xcdb", ".build/debug/xcdb"):
            if os.path.exists(os.path.join(ROOT, candidate)):
                xcdb = os.path.join(ROOT, candidate)
                break
    if xcdb is None:
        sys.exit("build xcdb first: swift build -c release --product xcdb")
    runtime = tempfile.mkdtemp(prefix="xcdb-load-")
    environment = dict(os.environ, XCDB_RUNTIME_DIR=os.path.join(runtime, "run"))
    server = subprocess.Popen(
        [xcdb, "-server", "npipe:pipe=load", "-noio", "-kqm"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env=environment)
    path = os.path.join(runtime, "run", "npipe.load")
    try:
        deadline = time.monotonic() + 30
        while not os.path.exists(path):
            if time.monotonic() > deadline:
                sys.exit("the server did not start")
            time.sleep(0.01)
        typists = [Typist(path, index) for index in range(arguments.participants)]
        selector = selectors.DefaultSelector()
        for typist in typists:
            selector.register(typist.sock, selectors.EVENT_READ, typist)
        # A raw client is joined once the server has decided it says no hello; each one first
        # sees the answer to a line of its own, so no participant misses the timed outputs.
        for typist in typists:
            typist.outbox = b".echo JOINED-" + typist.prefix + b"\n"
        deadline = time.monotonic() + 60
        while not all(typist.joined for typist in typists):
            if time.monotonic() > deadline:
                sys.exit("not every participant joined within a minute")
            for typist in typists:
                typist.flush()
            for key, _ in selector.select(timeout=0.05):
                key.data.drain()
        for typist in typists:
            typist.outputs = []
        total = arguments.participants * arguments.commands
        begin = time.perf_counter()
        while not all(len(typist.outputs) == total for typist in typists):
            for typist in typists:
                while (typist.typed < arguments.commands
                       and typist.typed - typist.own_seen < arguments.window):
                    typist.type_next()
                typist.flush()
            for key, _ in selector.select(timeout=0.05):
                key.data.drain()
            if time.perf_counter() - begin > 600:
                sys.exit("not every output arrived within 10 minutes")
        elapsed = time.perf_counter() - begin
        reference = typists[0].outputs
        same = all(typist.outputs == reference for typist in typists)
        unique = len(set(reference)) == total
        print(f"xcdb: {xcdb}")
        print(f"{arguments.participants} participants x {arguments.commands} commands "
              f"(window {arguments.window}): {elapsed:.2f} s, {total / elapsed:.0f} commands/s, "
              f"{total * arguments.participants / elapsed:.0f} output lines/s delivered; "
              f"same order everywhere: {same}; each output once: {unique}")
        if not (same and unique):
            sys.exit(1)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(runtime, ignore_errors=True)


if __name__ == "__main__":
    main()
