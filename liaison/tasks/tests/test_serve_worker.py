"""`liaison serve` starts the worker beside the web server and stops it with itself: on SIGTERM, and (Linux) when
the server is killed outright; `--no-worker` starts none."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from liaison.testing.processes import ROOT, SeparateDatabase, separate_database


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status  # a zombie has exited


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(condition: Callable[[], bool], timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def serve(database: SeparateDatabase, *extra: str) -> subprocess.Popen[bytes]:
    command = [*database.manage, "serve", "--port", str(free_port()), *extra]
    return subprocess.Popen(command, env=database.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads child processes from /proc (Linux)")
def test_serve_starts_the_worker_and_stops_it(tmp_path: Path) -> None:
    with separate_database(tmp_path, "liaison_serve", LIAISON_DEMO="1") as database:
        server = serve(database)
        try:
            assert wait_until(lambda: len(children(server.pid)) == 1), "no worker started"
            (worker,) = children(server.pid)
            assert "worker" in Path(f"/proc/{worker}/cmdline").read_text()
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
            assert wait_until(lambda: not alive(worker)), "the worker outlived the server"
        finally:
            server.kill()
            server.wait()

        killed = serve(database)
        try:
            assert wait_until(lambda: len(children(killed.pid)) == 1)
            (orphan,) = children(killed.pid)
            os.kill(killed.pid, signal.SIGKILL)
            killed.wait()
            assert wait_until(lambda: not alive(orphan)), "the worker outlived a killed server"
        finally:
            killed.kill()
            killed.wait()

        alone = serve(database, "--no-worker")
        try:
            time.sleep(3)
            assert alone.poll() is None and children(alone.pid) == []
        finally:
            alone.terminate()
            alone.wait(timeout=30)
