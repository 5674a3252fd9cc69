"""Several server processes on one listening socket, so that pages use every core (Python runs one thread at a time
per process). The parent binds the socket, forks the processes, restarts one that dies, and on SIGTERM or SIGINT
stops them all. Each process runs waitress on the inherited socket: waitress reads a whole request before a thread
takes it and writes the answer from its own buffers, so a slow client over a poor link holds a connection, never a
worker thread, and an idle connection is closed after `channel_timeout`.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from types import FrameType

PR_SET_PDEATHSIG = 1
# A process that dies this many times within CRASH_WINDOW seconds is not restarted again: something is broken.
CRASH_LIMIT = 5
CRASH_WINDOW = 30.0


def usable_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def listening_socket(host: str, port: int, backlog: int = 1024) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(backlog)
    sock.setblocking(False)
    return sock


def die_with_parent() -> None:
    """Ask Linux to send this process SIGTERM when its parent dies (no-op elsewhere)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class Prefork:
    """Run `serve_forever(sock)` in `processes` children and keep them running until told to stop."""

    def __init__(
        self,
        sock: socket.socket,
        processes: int,
        serve_forever: Callable[[socket.socket], None],
        before_fork: Callable[[], None] = lambda: None,
        on_stop: Callable[[], None] = lambda: None,
    ) -> None:
        self.sock = sock
        self.processes = processes
        self.serve_forever = serve_forever
        self.before_fork = before_fork
        self.on_stop = on_stop
        self.children: set[int] = set()
        self.deaths: list[float] = []
        self.stopping = False

    def spawn(self) -> None:
        self.before_fork()  # e.g. close database connections: a connection must not be shared across processes
        pid = os.fork()
        if pid:
            self.children.add(pid)
            return
        code = 0
        try:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent decides
            die_with_parent()
            self.serve_forever(self.sock)
        except BaseException:  # whatever stopped the server, the child must not return
            import traceback

            traceback.print_exc()
            code = 1
        finally:
            os._exit(code)  # never run the parent's exit handlers (they stop the parent's own children)

    def stop(self, signum: int = signal.SIGTERM, frame: FrameType | None = None) -> None:
        self.stopping = True
        for pid in list(self.children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        for _ in range(self.processes):
            self.spawn()
        exit_code = 0
        while self.children:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            if pid not in self.children:
                continue  # another child of this process (the job worker): not ours to restart
            self.children.discard(pid)
            if self.stopping:
                continue
            now = time.monotonic()
            self.deaths = [t for t in self.deaths if now - t < CRASH_WINDOW] + [now]
            if len(self.deaths) >= CRASH_LIMIT:
                print(f"liaison serve: server processes keep dying (status {status}); stopping", file=sys.stderr)
                self.stop()
                exit_code = 1
                continue
            print(f"liaison serve: server process {pid} ended (status {status}); starting another", file=sys.stderr)
            self.spawn()
        self.on_stop()
        return exit_code
