"""A real MariaDB server on 127.0.0.1 (a throwaway data directory) for MySQL static roles.

Debian's ``mariadb-server`` ships ``mariadb-install-db`` and ``mariadbd``; the server here
listens on a free loopback port only (no socket shared with anything else) and ``sql`` runs
statements through the stock ``mariadb`` client.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path


def mariadb_binaries() -> tuple[str, str, str] | None:
    """(install-db, server, client) from the PATH or /usr/sbin, None when one is missing."""
    path = os.environ.get("PATH", "") + os.pathsep + "/usr/sbin"
    found = [shutil.which(name, path=path)
             for name in ("mariadb-install-db", "mariadbd", "mariadb")]
    if any(f is None for f in found):
        return None
    install, server, client = found
    assert install and server and client
    return install, server, client


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class MariaDbServer:
    """``mariadbd`` on a free loopback port over a fresh data directory under ``root``."""

    def __init__(self, root: Path) -> None:
        binaries = mariadb_binaries()
        if binaries is None:
            raise RuntimeError("mariadb-server is not installed")
        self.install, self.server, self.client = binaries
        self.root = root
        self.port = _free_port()
        self._process: subprocess.Popen[bytes] | None = None

    def _user(self) -> list[str]:
        # mariadbd refuses to run as root unless told to; elsewhere it runs as the caller.
        return ["--user=root"] if os.geteuid() == 0 else []

    def start(self, timeout: float = 60.0) -> MariaDbServer:
        """Initialise the data directory, start the server and wait until it answers."""
        data = self.root / "data"
        subprocess.run([self.install, "--no-defaults", f"--datadir={data}", *self._user(),
                        "--auth-root-authentication-method=normal", "--skip-test-db"],
                       check=True, capture_output=True, timeout=120)
        with (self.root / "server.log").open("wb") as log:
            self._process = subprocess.Popen(
                [self.server, "--no-defaults", f"--datadir={data}", *self._user(),
                 "--bind-address=127.0.0.1", f"--port={self.port}",
                 f"--socket={self.root / 'mysqld.sock'}",
                 f"--pid-file={self.root / 'mysqld.pid'}", "--skip-name-resolve"],
                stdout=subprocess.DEVNULL, stderr=log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"mariadbd exited with {self._process.returncode}")
            if self.login("root", "") is not None:
                return self
            time.sleep(0.2)
        raise RuntimeError("mariadbd did not become ready")

    def login(self, user: str, password: str, statement: str = "SELECT CURRENT_USER()"
              ) -> str | None:
        """Run ``statement`` as ``user`` over TCP; its output, or None when login fails."""
        done = subprocess.run(
            [self.client, "--no-defaults", "-h", "127.0.0.1", "-P", str(self.port), "-u", user,
             "--batch", "--skip-column-names", "-e", statement],
            env={**os.environ, "MYSQL_PWD": password}, capture_output=True, text=True,
            timeout=30, check=False)
        return done.stdout if done.returncode == 0 else None

    def sql(self, statement: str) -> str:
        """Run ``statement`` as root; its output (raises when it fails)."""
        out = self.login("root", "", statement)
        if out is None:
            raise RuntimeError(f"mariadb refused: {statement[:60]}")
        return out

    def stop(self) -> None:
        """Stop the server (its data directory is the caller's temporary folder)."""
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
