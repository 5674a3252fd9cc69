"""`liaison serve` starts the worker beside the web server and stops it with itself: on SIGTERM, and (Linux) when
the server is killed outright; `--no-worker` starts none."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
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


def serve(database: SeparateDatabase, *extra: str, port: int | None = None) -> subprocess.Popen[bytes]:
    command = [*database.manage, "serve", "--port", str(port or free_port()), "--processes", "1", *extra]
    return subprocess.Popen(command, env=database.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads child processes from /proc (Linux)")
def test_serve_starts_the_worker_and_stops_it(tmp_path: Path) -> None:
    with separate_database(tmp_path, "liaison_serve", LIAISON_DEMO="1") as database:
        server = serve(database)
        try:
            assert wait_until(lambda: len(workers(server.pid)) == 1), "no worker started"
            assert len(children(server.pid)) == 1  # one server process: the server itself, no other child
            (worker,) = workers(server.pid)
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
            assert wait_until(lambda: not alive(worker)), "the worker outlived the server"
        finally:
            server.kill()
            server.wait()

        killed = serve(database)
        try:
            assert wait_until(lambda: len(workers(killed.pid)) == 1)
            (orphan,) = workers(killed.pid)
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


def is_worker(pid: int) -> bool:
    """`python -m django worker` (read once exec'd: during the exec the command line reads empty)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[1:4] == [b"-m", b"django", b"worker"]
    except FileNotFoundError:
        return False


def workers(pid: int) -> list[int]:
    return [child for child in children(pid) if is_worker(child)]


def server_processes(pid: int) -> list[int]:
    return [child for child in children(pid) if not is_worker(child)]


def answers(port: int) -> bool:
    """Whether the server answers HTTP (the API's refusal of an anonymous caller needs no static files)."""
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/partners/", timeout=10).close()
    except urllib.error.HTTPError as refusal:
        return refusal.code in (401, 403)
    except OSError:
        return False
    return False


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads child processes from /proc (Linux)")
def test_serve_runs_several_processes_replaces_a_dead_one_and_stops_them_all(tmp_path: Path) -> None:
    with separate_database(tmp_path, "liaison_prefork", LIAISON_DEMO="1") as database:
        port = free_port()
        server = serve(database, "--processes", "3", "--no-worker", port=port)  # the last --processes wins
        try:
            assert wait_until(lambda: len(server_processes(server.pid)) == 3), "three server processes expected"
            assert wait_until(lambda: answers(port))
            first = server_processes(server.pid)
            os.kill(first[0], signal.SIGKILL)
            assert wait_until(lambda: len(server_processes(server.pid)) == 3 and first[0] not in children(server.pid))
            assert all(answers(port) for _ in range(6)), "the port stops answering after a process died"
            running = server_processes(server.pid)
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
            assert wait_until(lambda: not any(alive(pid) for pid in running)), "a server process outlived the server"
            assert not answers(port)
        finally:
            server.kill()
            server.wait()


@pytest.mark.slow
def test_slow_clients_do_not_hold_the_server_s_threads(tmp_path: Path) -> None:
    """Clients that send their request a byte at a time (or never finish it) hold a connection, not a thread:
    a server with a single thread still answers everyone else at once."""
    with separate_database(tmp_path, "liaison_slow", LIAISON_DEMO="1") as database:
        port = free_port()
        server = serve(database, "--no-worker", "--threads", "1", port=port)
        slow: list[socket.socket] = []
        try:
            assert wait_until(lambda: answers(port))
            for _ in range(5):
                client = socket.create_connection(("127.0.0.1", port), timeout=10)
                client.sendall(b"GET /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # the request never ends
                slow.append(client)
            started = time.monotonic()
            assert all(answers(port) for _ in range(3)), "a slow client blocked the only thread"
            assert time.monotonic() - started < 10
        finally:
            for client in slow:
                client.close()
            server.kill()
            server.wait()
