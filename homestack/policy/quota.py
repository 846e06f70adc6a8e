"""Quota fit: do a namespace's workloads fit its tier quota (or its owner's custom quota)?

Per workload: steady-state replicas, plus one surge pod for a Deployment that rolls (any strategy
but Recreate), because the quota must admit that pod or the rollout stalls. A pod's requests are
the sum over its containers, or its largest init container when that is bigger.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from homestack.model import Quota, format_bytes, format_cpu, parse_quantity
from homestack.policy import _manifest as m


@dataclass(frozen=True)
class Usage:
    """What a namespace's workloads ask of its quota."""

    requests_cpu: Decimal = Decimal(0)
    requests_memory: Decimal = Decimal(0)
    limits_memory: Decimal = Decimal(0)
    pods: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.requests_cpu + other.requests_cpu,
            self.requests_memory + other.requests_memory,
            self.limits_memory + other.limits_memory,
            self.pods + other.pods,
        )

    def times(self, count: int) -> Usage:
        """``count`` pods like this one."""
        return Usage(
            self.requests_cpu * count, self.requests_memory * count,
            self.limits_memory * count, self.pods * count,
        )


def _container_usage(container: Mapping[str, Any]) -> Usage:
    requested, limited = m.requests(container), m.limits(container)
    memory_limit = m.quantity(limited.get("memory"))
    memory_request = m.quantity(requested.get("memory"))
    return Usage(
        requests_cpu=m.quantity(requested.get("cpu")) or Decimal(0),
        requests_memory=memory_request if memory_request is not None else (
            memory_limit or Decimal(0)),
        limits_memory=memory_limit or Decimal(0),
    )


def pod_usage(spec: Mapping[str, Any]) -> Usage:
    """Requests and limits of one pod of ``spec``."""
    total = Usage(pods=1)
    for container in m.containers(spec, init=False):
        total = total + _container_usage(container)
    for init in m.as_list(spec.get("initContainers")):
        if isinstance(init, dict):
            one = _container_usage(init)
            total = Usage(
                max(total.requests_cpu, one.requests_cpu),
                max(total.requests_memory, one.requests_memory),
                max(total.limits_memory, one.limits_memory),
                1,
            )
    return total


def pod_count(body: Mapping[str, Any], *, daemon_nodes: int = 1) -> int:
    """Pods of a workload the quota must admit, surge pod included."""
    count = m.replicas(body, daemon_nodes=daemon_nodes)
    if m.kind(body) == "Deployment" and count > 0:
        strategy = m.dig(body, "spec", "strategy", "type")
        if strategy != "Recreate":
            count += 1
    return count


def workload_usage(body: Mapping[str, Any], *, daemon_nodes: int = 1) -> Usage:
    """What one workload asks of its namespace's quota."""
    return pod_usage(m.pod_spec(body)).times(pod_count(body, daemon_nodes=daemon_nodes))


def overflows(usage: Usage, quota: Quota, source: str) -> list[str]:
    """One message per quota line ``usage`` exceeds, saying by how much."""
    messages = []
    lines = (
        ("requests.cpu", usage.requests_cpu, parse_quantity(quota.requests_cpu), format_cpu),
        ("requests.memory", usage.requests_memory, parse_quantity(quota.requests_memory),
         format_bytes),
        ("limits.memory", usage.limits_memory, parse_quantity(quota.limits_memory),
         format_bytes),
    )
    for key, used, hard, fmt in lines:
        if used > hard:
            messages.append(
                f"{key} {fmt(used)} exceeds {source} quota {fmt(hard)} by {fmt(used - hard)}"
            )
    if usage.pods > quota.pods:
        messages.append(
            f"pods {usage.pods} exceeds {source} quota {quota.pods} by {usage.pods - quota.pods}"
        )
    return messages
