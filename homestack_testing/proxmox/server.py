"""FakePve: the loopback HTTPS server speaking ``/api2/json`` with API-token auth.

It runs in threads of the process that starts it, so a client process killed with SIGKILL
leaves it (and its running tasks) alive, as a real PVE host would be.
"""

from __future__ import annotations

import json
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from homestack_testing.faults import DROP, Faults

from .api import dispatch
from .errors import PveError
from .store import PveStore

HOST = "127.0.0.1"
PREFIX = "/api2/json"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    fake: FakePve


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests read ``FakePve.requests`` instead."""

    def _params(self) -> dict[str, str]:
        split = urlsplit(self.path)
        params = dict(parse_qsl(split.query, keep_blank_values=True))
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            params.update(parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
        return params

    def _user(self) -> str:
        header = self.headers.get("Authorization", "")
        scheme, _, credential = header.partition("=")
        token, _, secret = credential.partition("=")
        if scheme != "PVEAPIToken" or self.server.fake.tokens.get(token) != secret:
            raise PveError(401, "authentication failure")
        return token

    def _answer(self, method: str) -> None:
        path = unquote(urlsplit(self.path).path)
        try:
            params = self._params()
            user = self._user()
            if not path.startswith(PREFIX):
                raise PveError(501, f"Method '{method} {path}' not implemented")
            self.server.fake.requests.append((method, path[len(PREFIX):]))
            fault = self.server.fake.faults.draw()
            if isinstance(fault, int):
                raise PveError(fault, "injected fault")
            status, body = 200, {"data": dispatch(self.server.fake.store, method,
                                                  path[len(PREFIX):], params, user)}
            reason = "OK"
            if fault == DROP:  # done, and the answer never arrives
                self.close_connection = True
                return
        except PveError as error:
            status, body, reason = error.status, error.body(), error.message
        data = json.dumps(body).encode()
        self.send_response(status, reason.replace("\n", " "))
        self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")

    def do_PUT(self) -> None:
        self._answer("PUT")

    def do_DELETE(self) -> None:
        self._answer("DELETE")


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (the stock ``openssl`` CLI), as PVE has."""
    cert, key = folder / "pve.crt", folder / "pve.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True)
    return cert, key


class FakePve:
    """A fake Proxmox VE node on 127.0.0.1 over HTTPS.

    >>> pve = FakePve(tmp_path).start()       # pve.url, pve.cert, pve.store
    >>> pve.store.durations["qmclone"] = 2.0  # a slow clone
    >>> pve.stop()
    """

    def __init__(self, folder: Path, *, node: str = "pve",
                 tokens: dict[str, str] | None = None) -> None:
        self.folder = folder
        snippets = folder / "snippets"
        snippets.mkdir(parents=True, exist_ok=True)
        self.store = PveStore(node=node, snippets_dir=snippets)
        self.tokens = tokens if tokens is not None else {"homestack@pve!homestack": "s3cr3t"}
        self.requests: list[tuple[str, str]] = []
        self.faults = Faults()  # injected before (an error status) or after (no answer)
        self.cert, self.key = make_certificate(folder)
        self._httpd: _Server | None = None

    @property
    def port(self) -> int:
        """The listening port."""
        assert self._httpd is not None
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """``https://127.0.0.1:<port>``."""
        return f"https://{HOST}:{self.port}"

    def start(self) -> FakePve:
        """Listen on a free port and serve in a daemon thread."""
        self._httpd = _Server((HOST, 0), _Handler)
        self._httpd.fake = self
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()

    def add_template(self, vmid: int, name: str, config: dict[str, str]) -> None:
        """A cloud-init template VM to clone from (as an admin would have prepared it)."""
        from .store import Vm
        with self.store.lock:
            self.store.vms[vmid] = Vm(vmid, {"name": name, "template": "1", **config})


def require_openssl() -> None:
    """Skip the calling test without ``openssl`` (the fake's certificate), or fail under CI."""
    import os
    import shutil

    import pytest

    if shutil.which("openssl") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("openssl is missing: the fake PVE API needs it (bin/setup --dev)")
        pytest.skip("openssl is missing: the fake PVE API needs it")
