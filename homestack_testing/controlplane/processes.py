"""Child processes of the test control plane: started with a log file each, ended with the
process that started them (even when it is killed), and waited for by a health check.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

_PR_SET_PDEATHSIG = 1


class StartError(RuntimeError):
    """A component did not start; the message ends with the tail of its log."""


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _die_with_parent() -> None:
    # A test run that is killed must not leave an API server behind holding its ports.
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class Child:
    """One running component and its log."""

    def __init__(self, name: str, command: list[str], log: Path) -> None:
        self.name = name
        self.log = log
        with open(log, "wb") as out:
            self.process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, env=environment(),
                                            preexec_fn=_die_with_parent)

    def tail(self, lines: int = 25) -> str:
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def check_alive(self) -> None:
        code = self.process.poll()
        if code is not None:
            raise StartError(f"{self.name} exited with code {code}; its log "
                             f"({self.log}) ends with:\n{self.tail()}")

    def wait_until(self, healthy: Callable[[], bool], timeout: float, what: str) -> None:
        """Poll ``healthy`` until it holds; fail at once if the process exits."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check_alive()
            try:
                if healthy():
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise StartError(f"{self.name} was not {what} after {timeout:.0f} s; its log "
                         f"({self.log}) ends with:\n{self.tail()}")

    def stop(self, grace: float = 3.0) -> None:
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(grace)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def environment() -> dict[str, str]:
    """The components' environment: no proxy (everything is loopback), no user kubeconfig."""
    keep = ("PATH", "HOME", "TMPDIR", "LANG")
    return {key: os.environ[key] for key in keep if key in os.environ}
