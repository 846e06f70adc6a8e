"""CloudflareApi: a threaded loopback server speaking the Cloudflare v4 DNS API.

Routes (under ``/client/v4``): ``GET /zones`` (``name``, ``page``, ``per_page``);
``GET|POST /zones/{id}/dns_records`` (list with ``page``/``per_page``/``name``/``type``;
create); ``GET|PUT|PATCH|DELETE /zones/{id}/dns_records/{record}``. Answers use the API's
envelope (``success``, ``errors``, ``messages``, ``result``, ``result_info``); a request
without the account's bearer token gets the API's authentication error. ``fail_next``
injects 429/5xx answers with ``Retry-After``; ``requests`` logs every request.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from homestack_testing.cloudflare.store import Account, ApiError
from homestack_testing.faults import Faults

PREFIX = "/client/v4"


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    app: CloudflareApi


class CloudflareApi:
    """The fake API for one account holding ``zones``; ``token`` is the accepted API token."""

    def __init__(self, zones: tuple[str, ...] = ("example.org",), *,
                 token: str = "test-token", max_per_page: int = 100,
                 latency_ms: float = 0) -> None:
        self.account = Account(zones)
        self.token = token
        self.max_per_page = max_per_page
        self.latency_s = latency_ms / 1000
        self.requests: list[tuple[str, str]] = []
        self._faults: list[tuple[int, float]] = []
        self.random_faults = Faults()  # a seeded share of answers: an error before any work
        self._httpd: _HTTPServer | None = None

    @property
    def url(self) -> str:
        """The base URL to give the SDK (``base_url``)."""
        assert self._httpd is not None
        return f"http://127.0.0.1:{self._httpd.server_address[1]}{PREFIX}"

    def start(self) -> CloudflareApi:
        """Serve on 127.0.0.1 and a free port, in a daemon thread."""
        self._httpd = _HTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.app = self
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> CloudflareApi:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()

    # -- controls for tests -------------------------------------------------------------------
    def fail_next(self, status: int, count: int = 1, retry_after: float = 0.1) -> None:
        """Answer the next ``count`` requests with ``status`` (429 or 5xx) and Retry-After."""
        with self.account.lock:
            self._faults += [(status, retry_after)] * count

    def records(self, zone: str) -> list[dict[str, Any]]:
        """Every record of ``zone`` (a copy), sorted by name and type."""
        with self.account.lock:
            found = list(self.account.zone_named(zone).records.values())
        return sorted((dict(r) for r in found), key=lambda r: (r["name"], r["type"]))

    def add_record(self, zone: str, **data: Any) -> dict[str, Any]:
        """Create a record as somebody else would (through the same validation)."""
        with self.account.lock:
            return self.account.create(self.account.zone_named(zone), data)

    def edit_record(self, zone: str, record_id: str, **data: Any) -> dict[str, Any]:
        """Change a record by hand (PATCH semantics)."""
        with self.account.lock:
            return self.account.replace(self.account.zone_named(zone), record_id, data,
                                        merge=True)

    def count(self, method: str, path_part: str) -> int:
        """How many requests of ``method`` had ``path_part`` in their path."""
        return sum(1 for m, p in list(self.requests) if m == method and path_part in p)

    def _fault(self) -> tuple[int, float] | None:
        with self.account.lock:
            if self._faults:
                return self._faults.pop(0)
        drawn = self.random_faults.draw()
        return (drawn, 0.01) if isinstance(drawn, int) else None

    # -- routing ------------------------------------------------------------------------------
    def handle(self, method: str, path: str, query: dict[str, str], headers: dict[str, str],
               body: Any) -> tuple[int, dict[str, Any], dict[str, str]]:
        """Answer one request: status, JSON body, extra headers."""
        self.requests.append((method, path))
        if self.latency_s:
            time.sleep(self.latency_s)
        fault = self._fault()
        if fault is not None:
            status, wait = fault
            code = 971 if status == 429 else 10001
            message = ("Please wait and consider throttling your request speed"
                       if status == 429 else "Internal server error")
            return status, _failure([{"code": code, "message": message}]), {
                "Retry-After": str(wait)}
        if headers.get("authorization") != f"Bearer {self.token}":
            return 403, _failure([{"code": 10000, "message": "Authentication error"}]), {}
        try:
            with self.account.lock:
                return (*self._route(method, path, query, body), {})
        except ApiError as exc:
            return exc.status, _failure(exc.errors), {}

    def _route(self, method: str, path: str, query: dict[str, str], body: Any
               ) -> tuple[int, dict[str, Any]]:
        parts = [p for p in path.removeprefix(PREFIX).split("/") if p]
        if parts == ["zones"] and method == "GET":
            zones = [z for z in self.account.zones_by_id.values()
                     if not query.get("name") or z.name == query["name"].lower()]
            return self._page([z.body() for z in zones], query)
        if len(parts) < 3 or parts[0] != "zones" or parts[2] != "dns_records":
            raise ApiError(404, 7000, "No route for that URI")
        zone = self.account.zone(parts[1])
        if len(parts) == 3 and method == "GET":
            found = [r for r in zone.records.values()
                     if (not query.get("name") or r["name"] == query["name"].lower())
                     and (not query.get("type") or r["type"] == query["type"])]
            return self._page(sorted(found, key=lambda r: (r["name"], r["type"], r["id"])),
                              query)
        if len(parts) == 3 and method == "POST":
            return 200, _success(self.account.create(zone, _object(body)))
        if len(parts) != 4:
            raise ApiError(404, 7000, "No route for that URI")
        if method == "GET":
            return 200, _success(self.account.record(zone, parts[3]))
        if method in ("PUT", "PATCH"):
            return 200, _success(self.account.replace(zone, parts[3], _object(body),
                                                      merge=method == "PATCH"))
        if method == "DELETE":
            return 200, _success(self.account.delete(zone, parts[3]))
        raise ApiError(405, 10405, f"Method {method} not allowed")

    def _page(self, items: list[dict[str, Any]], query: dict[str, str]
              ) -> tuple[int, dict[str, Any]]:
        try:
            page = int(query.get("page", "1"))
            per_page = int(float(query.get("per_page", "100")))
        except ValueError:
            raise ApiError(400, 1001, "Invalid pagination parameters") from None
        if page < 1 or per_page < 5 or per_page > 5_000_000:
            raise ApiError(400, 1001, "Invalid pagination parameters")
        per_page = min(per_page, self.max_per_page)
        chunk = items[(page - 1) * per_page:page * per_page]
        total_pages = max(1, -(-len(items) // per_page))
        return 200, {**_success(chunk), "result_info": {
            "page": page, "per_page": per_page, "count": len(chunk),
            "total_count": len(items), "total_pages": total_pages}}


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise ApiError(400, 1004, "DNS Validation Error", )
    return body


def _success(result: Any) -> dict[str, Any]:
    return {"success": True, "errors": [], "messages": [], "result": result}


def _failure(errors: list[dict[str, Any]]) -> dict[str, Any]:
    return {"success": False, "errors": errors, "messages": [], "result": None}


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests read ``requests`` instead."""

    def _serve(self) -> None:
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except json.JSONDecodeError:
            body = "invalid"
        headers = {k.lower(): v for k, v in self.headers.items()}
        status, answer, extra = self.server.app.handle(self.command, url.path, query, headers,
                                                       body)
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in extra.items():
            self.send_header(key, value)
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client went away (a killed run): the write was done all the same

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve
