#!/usr/bin/env python3
"""Command-to-echo latency and memory per participant of an xcdb shared session.

Starts `xcdb -server npipe:pipe=bench -noio` (release build by default), joins N participants
over the Unix-domain socket, and has participant 0 type `.echo mN` commands one at a time while
every other participant's output is drained. For each command it records

  * own:  time from sending the line to participant 0 reading the output line, and
  * all:  time until every participant has read it,
  * server side: participant 0's time while the others are read only every 50 commands (the
    benchmark's own cost of reading 100 sockets per command in Python left out),

and prints p50/p99 for N = 1, 10 and 100. Memory per participant is the server's resident set
growth from 0 to 100 joined participants (after each has received some output), divided by 100.

Loopback only; bounded: --samples commands per N (default 2000).

    python3 Benchmarks/Remote/remote_latency.py [--xcdb PATH] [--samples 2000]
"""
import argparse
import selectors
import socket
import time

from sharing_server import find_xcdb, sharing_server


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Participant:
    def __init__(self, path, index):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        # Identify as a program so the server joins us at once (no hello wait), with no replay.
        self.sock.sendall(f"#xcdb:hello v=1 user=bench{index} host=BENCH lines=0\n".encode())
        self.sock.setblocking(False)
        self.pending = b""
        self.seen = set()

    def drain(self, wanted):
        """Reads what is there; returns True when the line `wanted` has arrived."""
        try:
            data = self.sock.recv(1 << 20)
        except BlockingIOError:
            return wanted in self.seen
        if not data:
            raise RuntimeError("server closed a participant")
        self.pending += data
        *lines, self.pending = self.pending.split(b"\n")
        for line in lines:
            if line.startswith(b"m") and line[1:].isdigit():
                self.seen.add(line)
        return wanted in self.seen


def measure_own(participants, samples, start_index):
    """Only participant 0's latency; the others are drained every 50 commands, so the client
    side's cost of reading 100 sockets per command is left out."""
    typist = participants[0]
    typist.sock.setblocking(True)
    own = []
    for number in range(start_index, start_index + samples):
        marker = f"m{number}".encode()
        begin = time.perf_counter()
        typist.sock.sendall(b".echo " + marker + b"\n")
        typist.sock.setblocking(True)
        while marker not in typist.seen:
            data = typist.sock.recv(1 << 20)
            if not data:
                raise RuntimeError("server closed the typist")
            typist.pending += data
            *lines, typist.pending = typist.pending.split(b"\n")
            for line in lines:
                if line == marker:
                    typist.seen.add(line)
        own.append((time.perf_counter() - begin) * 1000)
        typist.seen.discard(marker)
        if number % 50 == 0:
            for participant in participants[1:]:
                participant.sock.setblocking(False)
                try:
                    while participant.sock.recv(1 << 20):
                        pass
                except BlockingIOError:
                    pass
                participant.seen.clear()
                participant.pending = b""
    return own


def measure(path, participants, samples, start_index):
    selector = selectors.DefaultSelector()
    for index, participant in enumerate(participants):
        selector.register(participant.sock, selectors.EVENT_READ, index)
    own, everyone = [], []
    typist = participants[0]
    typist.sock.setblocking(True)
    for number in range(start_index, start_index + samples):
        marker = f"m{number}".encode()
        waiting = set(range(len(participants)))
        begin = time.perf_counter()
        typist.sock.sendall(b".echo " + marker + b"\n")
        typist.sock.setblocking(False)
        got_own = None
        while waiting:
            for key, _ in selector.select(timeout=5):
                index = key.data
                if index in waiting and participants[index].drain(marker):
                    waiting.discard(index)
                    if index == 0:
                        got_own = time.perf_counter()
            if time.perf_counter() - begin > 10:
                raise RuntimeError("a participant did not get the output within 10 s")
        done = time.perf_counter()
        for participant in participants:
            participant.seen.discard(marker)
        own.append((got_own - begin) * 1000)
        everyone.append((done - begin) * 1000)
    selector.close()
    return own, everyone


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--xcdb", default=None)
    parser.add_argument("--samples", type=int, default=2000)
    arguments = parser.parse_args()
    xcdb = find_xcdb(arguments.xcdb)
    with sharing_server(xcdb, "bench") as (server, path):
        print(f"xcdb: {xcdb}")
        participants = []
        number = 0
        baseline = None
        for count in (1, 10, 100):
            while len(participants) < count:
                participants.append(Participant(path, len(participants)))
            time.sleep(0.3)
            # Warm up (and let every participant receive output once).
            measure(path, participants, 100, number)
            number += 100
            if count == 1:
                baseline = rss_kib(server.pid)
            own, everyone = measure(path, participants, arguments.samples, number)
            number += arguments.samples
            quiet = measure_own(participants, arguments.samples, number)
            number += arguments.samples
            print(
                f"{count:4d} participants, server side (others drained every 50): "
                f"p50 {percentile(quiet, 0.5):.3f} ms, p99 {percentile(quiet, 0.99):.3f} ms")
            print(
                f"{count:4d} participants: own p50 {percentile(own, 0.5):.3f} ms, "
                f"p99 {percentile(own, 0.99):.3f} ms; all p50 {percentile(everyone, 0.5):.3f} ms, "
                f"p99 {percentile(everyone, 0.99):.3f} ms  ({arguments.samples} commands)")
        grown = rss_kib(server.pid) - baseline
        print(f"server RSS with 1 participant {baseline} KiB; with 100: {baseline + grown} KiB; "
              f"about {grown / 99:.1f} KiB per participant")


if __name__ == "__main__":
    main()
