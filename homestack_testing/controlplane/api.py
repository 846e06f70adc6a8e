"""A small HTTP client of the real API server for the launcher and the node agent: mutual TLS
with a client certificate, JSON bodies, and watches read line by line.
"""

from __future__ import annotations

import json
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

MERGE_PATCH = "application/merge-patch+json"
# A connection refused, reset or cut mid-answer: the caller retries or gives up.
TransportError = httpx.TransportError


@dataclass(frozen=True)
class Credentials:
    """Where the API server is and who is asking: CA, client certificate and key files."""

    url: str
    ca: Path
    cert: Path
    key: Path

    def ssl_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=str(self.ca))
        context.load_cert_chain(str(self.cert), str(self.key))
        return context


class ApiError(RuntimeError):
    """An answer outside 2xx: ``status`` and the decoded ``Status`` body."""

    def __init__(self, method: str, path: str, status: int, body: dict[str, Any]) -> None:
        super().__init__(f"{method} {path}: {status} {body.get('reason', '')} "
                         f"{body.get('message', '')}".rstrip())
        self.status = status
        self.body = body


class Api:
    """One connection pool; use one per thread."""

    def __init__(self, credentials: Credentials, timeout: float = 30.0) -> None:
        self._client = httpx.Client(base_url=credentials.url, verify=credentials.ssl_context(),
                                    timeout=timeout)

    def close(self) -> None:
        self._client.close()

    def request(self, method: str, path: str, body: Any = None, *,
                content_type: str = "application/json", accept: str = "application/json",
                **params: Any) -> dict[str, Any]:
        """The decoded answer; ApiError for anything outside 2xx."""
        content = None if body is None else json.dumps(body).encode()
        answer = self._client.request(method, path, content=content, params=params or None,
                                      headers={"Content-Type": content_type, "Accept": accept})
        decoded = _decoded(answer)
        if answer.status_code >= 300:
            raise ApiError(method, path, answer.status_code, decoded)
        return decoded

    def get(self, path: str, **params: Any) -> dict[str, Any] | None:
        """The object at ``path``, or None when it does not exist."""
        try:
            return self.request("GET", path, **params)
        except ApiError as error:
            if error.status == 404:
                return None
            raise

    def healthy(self, path: str) -> bool:
        """Whether ``path`` answers 200 (False while the server does not listen yet)."""
        try:
            return self._client.get(path).status_code == 200
        except httpx.TransportError:
            return False

    def watch(self, path: str, resource_version: str, timeout_seconds: int = 240
              ) -> Iterator[dict[str, Any]]:
        """Events after ``resource_version`` until the server ends the watch."""
        params = {"watch": "1", "resourceVersion": resource_version,
                  "allowWatchBookmarks": "true", "timeoutSeconds": str(timeout_seconds)}
        with self._client.stream("GET", path, params=params,
                                 timeout=httpx.Timeout(30.0, read=timeout_seconds + 30.0)
                                 ) as answer:
            if answer.status_code != 200:
                answer.read()
                raise ApiError("WATCH", path, answer.status_code, _decoded(answer))
            for line in answer.iter_lines():
                if line:
                    yield json.loads(line)


def _decoded(answer: httpx.Response) -> dict[str, Any]:
    """The JSON body, or the text of a plain answer (``404 page not found``) as a message."""
    if not answer.content:
        return {}
    if "json" not in answer.headers.get("content-type", ""):
        return {"message": answer.text.strip()}
    decoded: dict[str, Any] = answer.json()
    return decoded
