"""Why a workload's Pods are not ready, read from the Pods themselves when a wait times out:
the scheduler's ``PodScheduled=False`` message (no node fits, a claim is missing) and the
containers' waiting reasons (a missing Secret, a crash loop). This module does no I/O.
"""

from __future__ import annotations

from typing import Any

_SHOWN = 2


def pod_selector(workload: dict[str, Any]) -> dict[str, str] | None:
    """The ``matchLabels`` of a workload's selector (None when it has none)."""
    selector = ((workload.get("spec") or {}).get("selector") or {}).get("matchLabels")
    return {str(k): str(v) for k, v in selector.items()} if isinstance(selector, dict) \
        else None


def _reasons(pod: dict[str, Any]) -> list[str]:
    status = pod.get("status") or {}
    found = []
    for condition in status.get("conditions") or []:
        if condition.get("type") == "PodScheduled" and condition.get("status") == "False":
            found.append(f"{condition.get('reason', 'Unschedulable')}: "
                         f"{condition.get('message', '')}".rstrip(": "))
    for container in status.get("containerStatuses") or []:
        waiting = (container.get("state") or {}).get("waiting") or {}
        if waiting.get("reason") and waiting["reason"] != "ContainerCreating":
            found.append(f"{waiting['reason']}: {waiting.get('message', '')}".rstrip(": "))
    return found


def pod_reasons(pods: list[dict[str, Any]]) -> str:
    """The distinct reasons the Pods give, the first few of them, on one line."""
    seen: list[str] = []
    for pod in pods:
        for reason in _reasons(pod):
            line = " ".join(reason.split())
            if line not in seen:
                seen.append(line)
    if not seen:
        return ""
    more = f" (+{len(seen) - _SHOWN} more)" if len(seen) > _SHOWN else ""
    return "pods: " + "; ".join(seen[:_SHOWN]) + more
