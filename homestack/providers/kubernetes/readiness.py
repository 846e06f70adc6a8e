"""Readiness per kind: one small function each returning (done, message), plus a generic rule
for ``status.conditions``. A table maps kinds to their rule and timeout (seconds).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Verdict = tuple[bool, str]


def _generation_seen(obj: dict[str, Any]) -> bool:
    status = obj.get("status") or {}
    return int(status.get("observedGeneration", 0)) >= int(obj["metadata"].get("generation", 1))


def _replicas(obj: dict[str, Any]) -> int:
    return int((obj.get("spec") or {}).get("replicas", 1))


def deployment(obj: dict[str, Any]) -> Verdict:
    """Rolled out: generation observed, every replica updated and available."""
    status = obj.get("status") or {}
    want = _replicas(obj)
    if not _generation_seen(obj):
        return False, "waiting for the controller to observe the new generation"
    updated = int(status.get("updatedReplicas", 0))
    available = int(status.get("availableReplicas", 0))
    if updated < want or available < want:
        return False, f"{available}/{want} replicas available, {updated} updated"
    return True, f"{available}/{want} replicas available"


def statefulset(obj: dict[str, Any]) -> Verdict:
    """Every replica ready at the current generation."""
    status = obj.get("status") or {}
    want = _replicas(obj)
    ready = int(status.get("readyReplicas", 0))
    if not _generation_seen(obj) or ready < want:
        return False, f"{ready}/{want} replicas ready"
    return True, f"{ready}/{want} replicas ready"


def daemonset(obj: dict[str, Any]) -> Verdict:
    """Every scheduled pod ready."""
    status = obj.get("status") or {}
    want = int(status.get("desiredNumberScheduled", 0))
    ready = int(status.get("numberReady", 0))
    if not _generation_seen(obj) or ready < want:
        return False, f"{ready}/{want} pods ready"
    return True, f"{ready}/{want} pods ready"


def job(obj: dict[str, Any]) -> Verdict:
    """Complete (a Failed condition is reported as not ready with its message)."""
    for condition in (obj.get("status") or {}).get("conditions") or []:
        if condition.get("type") == "Complete" and condition.get("status") == "True":
            return True, "complete"
        if condition.get("type") == "Failed" and condition.get("status") == "True":
            return False, f"failed: {condition.get('message', '')}"
    return False, "running"


def pvc(obj: dict[str, Any]) -> Verdict:
    """Bound to a volume."""
    phase = (obj.get("status") or {}).get("phase", "Pending")
    return phase == "Bound", f"phase {phase}"


def crd(obj: dict[str, Any]) -> Verdict:
    """Established: its kind is served."""
    return _condition(obj, "Established")


def service(obj: dict[str, Any]) -> Verdict:
    """A LoadBalancer Service has an address; other Services are ready at once."""
    if (obj.get("spec") or {}).get("type") != "LoadBalancer":
        return True, "ready"
    ingress = ((obj.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
    if not ingress:
        return False, "waiting for a load-balancer IP"
    return True, f"IP {ingress[0].get('ip') or ingress[0].get('hostname')}"


def generic(obj: dict[str, Any]) -> Verdict:
    """A ``Ready`` condition when the object reports one; otherwise ready."""
    conditions = (obj.get("status") or {}).get("conditions") or []
    if not any(c.get("type") == "Ready" for c in conditions):
        return True, "ready"
    return _condition(obj, "Ready")


def _condition(obj: dict[str, Any], wanted: str) -> Verdict:
    for condition in (obj.get("status") or {}).get("conditions") or []:
        if condition.get("type") == wanted:
            return condition.get("status") == "True", f"{wanted}={condition.get('status')}"
    return False, f"no {wanted} condition yet"


Rule = Callable[[dict[str, Any]], Verdict]
READINESS: dict[str, tuple[Rule, float]] = {
    "Deployment": (deployment, 300.0),
    "StatefulSet": (statefulset, 600.0),
    "DaemonSet": (daemonset, 300.0),
    "Job": (job, 600.0),
    "PersistentVolumeClaim": (pvc, 120.0),
    "CustomResourceDefinition": (crd, 60.0),
    "Service": (service, 60.0),
}
GENERIC_TIMEOUT = 120.0


def rule_for(kind: str) -> tuple[Rule, float]:
    """The readiness rule and timeout of ``kind``."""
    return READINESS.get(kind, (generic, GENERIC_TIMEOUT))
