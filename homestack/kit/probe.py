"""Health probes for workloads: an HTTP path or a TCP port, as readiness and liveness checks.

Example::

    deployment(stack, "web", ..., port=8080, probes=http_probe("/healthz"))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from homestack.kit._arguments import checked
from homestack.model import ModelError

ROLES = ("readiness", "liveness", "startup")


@dataclass(frozen=True)
class Probe:
    """One check used for the listed roles (readiness, liveness, startup)."""

    check: str
    path: str = "/"
    port: int | str | None = None
    roles: tuple[str, ...] = ("readiness", "liveness")
    period: int = 10
    failure_threshold: int = 3

    def body(self, default_port: int | str) -> dict[str, Any]:
        """The Kubernetes probe body (without the role)."""
        port = self.port if self.port is not None else default_port
        action: dict[str, Any]
        if self.check == "http":
            action = {"httpGet": {"path": self.path, "port": port}}
        else:
            action = {"tcpSocket": {"port": port}}
        return {**action, "periodSeconds": self.period, "failureThreshold": self.failure_threshold}


def _roles(roles: Sequence[str]) -> tuple[str, ...]:
    chosen = (roles,) if isinstance(roles, str) else tuple(roles)
    if not chosen or any(role not in ROLES for role in chosen):
        raise ModelError(f"probe roles {list(chosen)} are not valid",
                         hint=f"Use some of {', '.join(ROLES)}")
    return chosen


def _check(period: int, failure_threshold: int) -> None:
    if period < 1 or failure_threshold < 1:
        raise ModelError("probe period and failure_threshold must be at least 1")


@checked
def http_probe(
    path: str = "/",
    *,
    port: int | str | None = None,
    roles: Sequence[str] = ("readiness", "liveness"),
    period: int = 10,
    failure_threshold: int = 3,
) -> Probe:
    """An HTTP GET check of ``path`` on ``port`` (default: the workload's first port).

    Example: ``probes=http_probe("/api/health", roles=["readiness"])``
    """
    if not path.startswith("/"):
        raise ModelError(f"probe path {path!r} must start with '/'")
    _check(period, failure_threshold)
    return Probe("http", path, port, _roles(roles), period, failure_threshold)


@checked
def tcp_probe(
    *,
    port: int | str | None = None,
    roles: Sequence[str] = ("readiness", "liveness"),
    period: int = 10,
    failure_threshold: int = 3,
) -> Probe:
    """A TCP connect check on ``port`` (default: the workload's first port).

    Example: ``probes=tcp_probe(port=5432)``
    """
    _check(period, failure_threshold)
    return Probe("tcp", "/", port, _roles(roles), period, failure_threshold)
