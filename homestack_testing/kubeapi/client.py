"""A tiny stdlib HTTP client for tests that talk to the fake server directly."""

from __future__ import annotations

import json
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

import yaml

CONTENT_TYPES = {
    "apply": "application/apply-patch+yaml",
    "merge": "application/merge-patch+json",
    "strategic": "application/strategic-merge-patch+json",
    "json": "application/json-patch+json",
}


@dataclass
class Response:
    code: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return 200 <= self.code < 300


class Client:
    """``Client(server.url).get("/api/v1/namespaces")`` -> Response(code, json, headers).

    ``context`` (TLS with a client certificate) speaks to a real API server the same way.
    """

    def __init__(self, base_url: str, timeout: float = 10,
                 context: ssl.SSLContext | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.context = context

    def request(self, method: str, path: str, body: Any = None,
                content_type: str = "application/json") -> Response:
        data = None
        if body is not None:
            if isinstance(body, bytes | str):
                data = body.encode() if isinstance(body, str) else body
            else:
                data = json.dumps(body).encode()
        req = urllib.request.Request(self.base_url + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", content_type)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout, context=self.context) as resp:
                raw, code, headers = resp.read(), resp.status, dict(resp.headers)
        except urllib.error.HTTPError as err:
            raw, code, headers = err.read(), err.code, dict(err.headers)
        if not raw:
            return Response(code, None, headers)
        # A real API server answers a path it does not serve with a plain "404 page not found".
        kind = {k.lower(): v for k, v in headers.items()}.get("content-type", "")
        if "json" not in kind and not raw.lstrip().startswith((b"{", b"[")):
            return Response(code, raw.decode(errors="replace"), headers)
        try:
            return Response(code, json.loads(raw), headers)
        except ValueError:  # a watch: one JSON event per line
            return Response(code, raw.decode(errors="replace"), headers)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, body: Any) -> Response:
        return self.request("POST", path, body)

    def put(self, path: str, body: Any) -> Response:
        return self.request("PUT", path, body)

    def delete(self, path: str, body: Any = None) -> Response:
        return self.request("DELETE", path, body)

    def patch(self, path: str, body: Any, kind: str = "merge") -> Response:
        return self.request("PATCH", path, body, CONTENT_TYPES[kind])

    def apply(self, path: str, obj: dict[str, Any], manager: str = "test",
              force: bool = False, dry_run: bool = False, as_yaml: bool = True) -> Response:
        """Server-side apply of obj at path (the object's own URL)."""
        query = f"fieldManager={manager}" + ("&force=true" if force else "") + (
            "&dryRun=All" if dry_run else "")
        sep = "&" if "?" in path else "?"
        body = yaml.safe_dump(obj) if as_yaml else json.dumps(obj)
        return self.request("PATCH", f"{path}{sep}{query}", body, CONTENT_TYPES["apply"])
