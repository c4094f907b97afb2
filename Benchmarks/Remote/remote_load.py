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
import selectors
import socket
import sys
import time

from sharing_server import find_xcdb, sharing_server


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


def exchange(typists, selector):
    """Sends what each typist has queued (as far as its socket takes it) and reads what came."""
    for typist in typists:
        typist.flush()
    for key, _ in selector.select(timeout=0.05):
        key.data.drain()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--xcdb", default=None)
    parser.add_argument("--participants", type=int, default=100)
    parser.add_argument("--commands", type=int, default=100)
    parser.add_argument("--window", type=int, default=8)
    arguments = parser.parse_args()
    xcdb = find_xcdb(arguments.xcdb)
    with sharing_server(xcdb, "load") as (_, path):
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
            exchange(typists, selector)
        for typist in typists:
            typist.outputs = []
        total = arguments.participants * arguments.commands
        begin = time.perf_counter()
        while not all(len(typist.outputs) == total for typist in typists):
            for typist in typists:
                while (typist.typed < arguments.commands
                       and typist.typed - typist.own_seen < arguments.window):
                    typist.type_next()
            exchange(typists, selector)
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


if __name__ == "__main__":
    main()
