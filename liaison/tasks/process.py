"""The worker as a child of `liaison serve`: started beside the web server and stopped with it (on exit, SIGTERM
or SIGINT; on Linux also when the server dies without cleaning up, through the parent-death signal)."""

from __future__ import annotations

import atexit
import os
import signal
import subprocess
import sys
from types import FrameType

from liaison.core.prefork import die_with_parent


def stop_worker(child: subprocess.Popen[bytes], timeout: float = 10) -> None:
    """Ask the worker to finish its current job and stop; kill it if it does not within `timeout`."""
    if child.poll() is not None:
        return
    child.terminate()
    try:
        child.wait(timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


def start_worker() -> subprocess.Popen[bytes]:
    """Start `liaison worker` with the server's settings; it is stopped when this process exits."""
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
    child = subprocess.Popen(  # fixed argv: this interpreter, Django's command runner
        [sys.executable, "-m", "django", "worker"], env=env, preexec_fn=die_with_parent
    )
    atexit.register(stop_worker, child)

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop_worker(child)
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    return child
