"""Counting the requests one user makes of the real API server, from its audit log.

The API server writes one JSON line per request of the audited users (``AUDITED``: the
administrator Homestack runs as in the tests) once the answer is sent, so a test can count
what Homestack asked, request by request, while controllers, the node agent and the test's own
client (other users) stay out of the count. ``stats()`` has the shape of the loopback fake's:
``{"total", "counts": {(verb, resource): n}, "by_verb": {verb: n}}``; discovery documents
count as resource ``discovery``.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

AUDITED = ("homestack-admin",)
# Logged so a reset can wait until the controller stopped emptying a namespace it deleted.
NAMESPACE_CONTROLLER = "system:serviceaccount:kube-system:namespace-controller"


def policy(users: tuple[str, ...] = AUDITED) -> str:
    """An audit policy: Metadata level for ``users``, the namespace controller and every
    TokenReview (who checks tokens with this server, such as Vault), nothing else."""
    return json.dumps({
        "apiVersion": "audit.k8s.io/v1", "kind": "Policy",
        "omitStages": ["RequestReceived"],
        "rules": [{"level": "Metadata", "users": [*users, NAMESPACE_CONTROLLER]},
                  {"level": "Metadata", "resources": [
                      {"group": "authentication.k8s.io", "resources": ["tokenreviews"]}]},
                  {"level": "None"}],
    })


_METHODS = {"get": "GET", "list": "GET", "watch": "GET", "create": "POST", "update": "PUT",
            "patch": "PATCH", "delete": "DELETE", "deletecollection": "DELETE"}


@dataclass(frozen=True)
class Request:
    """One audited request, with the fields of the fake's request records: HTTP method, path,
    API verb, resource (``discovery`` for non-resource paths), namespace, name, answer code."""

    method: str
    path: str
    verb: str
    resource: str
    namespace: str
    name: str
    code: int
    subresource: str = ""
    user: str = ""


def _request(event: dict[str, Any]) -> Request:
    ref = event.get("objectRef") or {}
    verb = event.get("verb", "")
    return Request(_METHODS.get(verb, verb.upper()), event.get("requestURI", ""), verb,
                   ref.get("resource") or "discovery", ref.get("namespace", ""),
                   ref.get("name", ""), int((event.get("responseStatus") or {}).get("code", 0)),
                   ref.get("subresource", ""), (event.get("user") or {}).get("username", ""))


class AuditLog:
    """The audit log of one API server; ``reset_stats()`` starts counting afresh."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._offset = 0

    def reset_stats(self) -> None:
        self._offset = self.path.stat().st_size if self.path.exists() else 0

    def end(self) -> int:
        """Where the log ends now (an offset for ``since``)."""
        return self.path.stat().st_size if self.path.exists() else 0

    def since(self, offset: int) -> tuple[list[Request], int]:
        """The requests logged after ``offset``, and the new end."""
        if not self.path.exists():
            return [], offset
        with open(self.path, "rb") as log:
            log.seek(offset)
            data = log.read()
        complete = data[:data.rfind(b"\n") + 1]  # a line still being written waits
        events = (json.loads(line) for line in complete.splitlines() if line.strip())
        return ([_request(e) for e in events if e.get("stage") == "ResponseComplete"],
                offset + len(complete))

    @property
    def requests(self) -> list[Request]:
        """Homestack's requests since the last reset."""
        return [r for r in self.all_requests if r.user in AUDITED]

    @property
    def all_requests(self) -> list[Request]:
        """Every audited request since the last reset (TokenReviews of any user too)."""
        if not self.path.exists():
            return []
        with open(self.path, "rb") as log:
            log.seek(self._offset)
            lines = log.read().splitlines()
        events = (json.loads(line) for line in lines if line.strip())
        return [_request(e) for e in events if e.get("stage") == "ResponseComplete"]

    def stats(self) -> dict[str, Any]:
        requests = self.requests
        counts = Counter((r.verb, r.resource) for r in requests)
        return {"total": len(requests), "counts": dict(counts),
                "by_verb": dict(Counter(r.verb for r in requests))}
