"""A kill switch for a client of the test cluster: the process "dies" after its n-th write.

``KillSwitch`` is a transport of the HTTP client lightkube uses (its own extension point, so
nothing of Homestack is replaced). It forwards every request to the API server and, once
``after`` writes were answered, raises ``Killed`` at the next request, as a process killed
between two requests would stop. ``Killed`` is a ``BaseException``: no handler of
Homestack's catches it, so no journal is closed and no record written, as after a SIGKILL.
"""

from __future__ import annotations

import httpx2

from homestack_testing.controlplane.api import Credentials

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class Killed(BaseException):
    """The client process was killed here."""


class KillSwitch(httpx2.HTTPTransport):
    """Forwards requests until ``after`` writes (dry-runs not counted) were answered."""

    def __init__(self, credentials: Credentials, after: int) -> None:
        super().__init__(verify=credentials.ssl_context())
        self.after = after
        self.writes: list[str] = []  # "METHOD path" of each write answered

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        if len(self.writes) >= self.after:
            raise Killed(f"killed after {self.after} writes")
        response = super().handle_request(request)
        if request.method in WRITES and "dryRun" not in request.url.query.decode():
            self.writes.append(f"{request.method} {request.url.path}")
        return response
