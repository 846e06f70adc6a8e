"""Seeded fault injection for loopback services: a share of requests answered with an error
before they are handled (503, 429, 502), or handled and then left without an answer (the
connection dropped after the service did the work).

``Faults`` is the draw, shared by the PVE fake and ``FaultyProxy``; the proxy stands in front
of a real HTTP service (OpenBao) on loopback.
"""

from __future__ import annotations

import http.client
import json
import random
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

DROP = "drop"


@dataclass
class Faults:
    """What share of requests fails and how; ``injected`` counts faults by kind."""

    rate: float = 0.0
    statuses: tuple[int, ...] = (503, 429, 502)
    drop_rate: float = 0.0
    seed: int = 0
    injected: dict[str, int] = field(default_factory=dict)
    queued: list[int | str] = field(default_factory=list)  # faults for the next requests
    _random: random.Random = field(init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    def set(self, rate: float = 0.0, *, drop_rate: float = 0.0,
            statuses: tuple[int, ...] | None = None) -> None:
        """Change the rates from now on (the draw stays seeded)."""
        with self._lock:
            self.rate, self.drop_rate = rate, drop_rate
            self.statuses = statuses or self.statuses

    def fail_next(self, *faults: int | str) -> None:
        """Answer the next requests with these faults (statuses or ``DROP``), in order, before
        the seeded share: a test that needs a fault to happen gets it for certain."""
        with self._lock:
            self.queued.extend(faults)

    def draw(self) -> int | str | None:
        """An error status to answer instead, ``DROP``, or None (handle as usual)."""
        with self._lock:
            if self.queued:
                queued = self.queued.pop(0)
                self.injected[str(queued)] = self.injected.get(str(queued), 0) + 1
                return queued
            roll = self._random.random()
            if roll < self.rate:
                found: int | str = self._random.choice(self.statuses)
            elif roll < self.rate + self.drop_rate:
                found = DROP
            else:
                return None
            self.injected[str(found)] = self.injected.get(str(found), 0) + 1
            return found

    @property
    def total(self) -> int:
        """Faults injected so far."""
        with self._lock:
            return sum(self.injected.values())


class _ProxyServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    upstream: tuple[str, int]
    faults: Faults


_HOP_HEADERS = frozenset({"connection", "keep-alive", "transfer-encoding", "content-length"})


class _Forward(BaseHTTPRequestHandler):
    server: _ProxyServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def _relay(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        fault = self.server.faults.draw()
        if isinstance(fault, int):
            data = json.dumps({"errors": [f"injected fault {fault}"]}).encode()
            self.send_response(fault)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        host, port = self.server.upstream
        upstream = http.client.HTTPConnection(host, port, timeout=30)
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_HEADERS}
            upstream.request(self.command, self.path, body=body, headers=headers)
            answer = upstream.getresponse()
            data = answer.read()
        finally:
            upstream.close()
        if fault == DROP:  # the service did it; its answer never arrives
            self.close_connection = True
            return
        self.send_response(answer.status, answer.reason)
        for key, value in answer.getheaders():
            if key.lower() not in _HOP_HEADERS:
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_LIST = _relay


class FaultyProxy:
    """An HTTP proxy on 127.0.0.1 in front of ``upstream`` (an ``http://`` URL)."""

    def __init__(self, upstream: str, faults: Faults | None = None) -> None:
        split = urlsplit(upstream)
        self.faults = faults or Faults()
        self._server = _ProxyServer(("127.0.0.1", 0), _Forward)
        self._server.upstream = (split.hostname or "127.0.0.1", split.port or 80)
        self._server.faults = self.faults
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """Where clients connect."""
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> FaultyProxy:
        """Serve in a daemon thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._server.shutdown()
        self._server.server_close()


class FaultyTcpProxy:
    """A TCP proxy on 127.0.0.1 in front of ``host:port`` (a DNS server's TCP side).

    Per connection, ``faults.draw()`` decides: a status means the connection is closed before
    anything reaches the server (a refused or reset connection); ``DROP`` means the request
    reaches the server and its answer is lost.
    """

    def __init__(self, host: str, port: int, faults: Faults | None = None) -> None:
        self.faults = faults or Faults()
        self._upstream = (host, port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._stopped = threading.Event()

    @property
    def port(self) -> int:
        """Where clients connect."""
        return int(self._listener.getsockname()[1])

    def start(self) -> FaultyTcpProxy:
        """Accept in a daemon thread."""
        self._thread.start()
        return self

    def _serve(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._relay, args=(client,), daemon=True).start()

    def _relay(self, client: socket.socket) -> None:
        fault = self.faults.draw()
        with client:
            if isinstance(fault, int):
                return  # closed before anything reached the server
            with socket.create_connection(self._upstream, timeout=10) as server:
                client.settimeout(10)
                request = _read_message(client)
                if request is None:
                    return
                server.sendall(request)
                if fault == DROP:
                    _read_message(server)  # the server did it; its answer is lost
                    return
                # AXFR answers in several messages: relay until the server closes.
                server.shutdown(socket.SHUT_WR)
                while chunk := server.recv(65536):
                    client.sendall(chunk)

    def stop(self) -> None:
        """Stop accepting."""
        self._stopped.set()
        self._listener.close()


def _read_message(sock: socket.socket) -> bytes | None:
    """One length-prefixed DNS-over-TCP message, prefix included (None at end of stream)."""
    head = _exactly(sock, 2)
    if head is None:
        return None
    body = _exactly(sock, int.from_bytes(head, "big"))
    return None if body is None else head + body


def _exactly(sock: socket.socket, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            return None
        data += chunk
    return data
