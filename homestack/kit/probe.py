"""Health probes for workloads: an HTTP path or a TCP port, as readiness and liveness checks.

Example::

    deployment(stack, "web", ..., port=8080, probes=http_probe("/healthz"))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from homestack.kit._arguments import checked
from homestack.kit._strict import strict
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
    initial_delay: int = 0
    timeout: int = 1

    def body(self, default_port: int | str) -> dict[str, Any]:
        """The Kubernetes probe body (without the role)."""
        port = self.port if self.port is not None else default_port
        action: dict[str, Any]
        if self.check == "http":
            action = {"httpGet": {"path": self.path, "port": port}}
        else:
            action = {"tcpSocket": {"port": port}}
        timing: dict[str, Any] = {}
        if self.initial_delay:
            timing["initialDelaySeconds"] = self.initial_delay
        if self.timeout != 1:
            timing["timeoutSeconds"] = self.timeout
        return {**action, **timing, "periodSeconds": self.period,
                "failureThreshold": self.failure_threshold}


def _roles(roles: Sequence[str]) -> tuple[str, ...]:
    chosen = (roles,) if isinstance(roles, str) else tuple(roles)
    if not chosen or any(role not in ROLES for role in chosen):
        raise ModelError(f"probe roles {list(chosen)} are not valid",
                         hint=f"Use some of {', '.join(ROLES)}")
    return chosen


def _check(period: int, failure_threshold: int, initial_delay: int, timeout: int) -> None:
    if period < 1 or failure_threshold < 1 or timeout < 1:
        raise ModelError("probe period, timeout and failure_threshold must be at least 1")
    if initial_delay < 0:
        raise ModelError(f"probe initial_delay={initial_delay} must not be negative")


@strict
@checked
def http_probe(
    path: str = "/",
    *,
    port: int | str | None = None,
    roles: Sequence[str] = ("readiness", "liveness"),
    period: int = 10,
    failure_threshold: int = 3,
    initial_delay: int = 0,
    timeout: int = 1,
) -> Probe:
    """An HTTP GET check of ``path`` on ``port`` (default: the workload's first port).

    Timings are in seconds: ``initial_delay`` before the first check, ``timeout`` per check,
    ``period`` between checks; ``failure_threshold`` failures in a row fail the probe.

    Example: ``probes=http_probe("/api/health", roles=["readiness"], initial_delay=30)``
    """
    if not path.startswith("/"):
        raise ModelError(f"probe path {path!r} must start with '/'")
    _check(period, failure_threshold, initial_delay, timeout)
    return Probe("http", path, port, _roles(roles), period, failure_threshold, initial_delay,
                 timeout)


@strict
@checked
def tcp_probe(
    *,
    port: int | str | None = None,
    roles: Sequence[str] = ("readiness", "liveness"),
    period: int = 10,
    failure_threshold: int = 3,
    initial_delay: int = 0,
    timeout: int = 1,
) -> Probe:
    """A TCP connect check on ``port`` (default: the workload's first port); timings as above.

    Example: ``probes=tcp_probe(port=5432, timeout=5)``
    """
    _check(period, failure_threshold, initial_delay, timeout)
    return Probe("tcp", "/", port, _roles(roles), period, failure_threshold, initial_delay,
                 timeout)
