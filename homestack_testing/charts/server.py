"""A loopback Helm chart repository: ``index.yaml`` and ``.tgz`` archives over HTTP.

Serves the stand-in charts (and any extra chart folders) from memory; counts requests so tests
can prove that a second run pulled nothing.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from homestack_testing.charts.repository import STANDINS, Packaged, index, package_all


class ChartRepository:
    """Start with ``start()``; ``url`` is the repository URL; ``stop()`` shuts it down."""

    def __init__(self, extra: list[Path] | None = None, port: int = 0,
                 standins: bool = True) -> None:
        roots = ([STANDINS] if standins else []) + list(extra or [])
        self.charts: list[Packaged] = package_all(roots)
        self.port = port
        self.requests: list[str] = []
        self._files: dict[str, bytes] = {}
        self._server: ThreadingHTTPServer | None = None
        self.reload()

    def reload(self) -> None:
        """Rebuild index.yaml and archives from ``self.charts`` (after a test edits them)."""
        files = {f"/{c.filename}": c.data for c in self.charts}
        files["/index.yaml"] = index(self.charts)
        self._files = files

    def add(self, charts: list[Packaged]) -> None:
        """Serve more charts (same name and version replaces the old archive)."""
        keep = {(c.name, c.version) for c in charts}
        self.charts = [c for c in self.charts if (c.name, c.version) not in keep] + charts
        self.reload()

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        assert self._server is not None, "start() the repository first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> ChartRepository:
        """Listen on 127.0.0.1 in a daemon thread."""
        repo = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                repo.requests.append(path)
                data = repo._files.get(path)
                if data is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                kind = "application/x-yaml" if path.endswith(".yaml") else "application/gzip"
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # quiet: requests are counted in repo.requests

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop listening."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
