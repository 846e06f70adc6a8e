"""Readiness per kind: one small function each returning a ``Readiness``, plus a generic rule
for ``status.conditions``. A table maps kinds to their rule and timeout (seconds).

A rule says ``failed`` when waiting longer cannot help (a Job's Failed condition, a
Deployment past its progress deadline), so the wait stops at once with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from homestack.model.readiness import Readiness


def _status(obj: dict[str, Any]) -> dict[str, Any]:
    status = obj.get("status")
    return status if isinstance(status, dict) else {}


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _generation_seen(obj: dict[str, Any]) -> bool:
    generation = _int((obj.get("metadata") or {}).get("generation"), 1)
    return _int(_status(obj).get("observedGeneration")) >= generation


def _replicas(obj: dict[str, Any]) -> int:
    return _int((obj.get("spec") or {}).get("replicas"), 1)


def _condition(obj: dict[str, Any], wanted: str) -> dict[str, Any] | None:
    for condition in _status(obj).get("conditions") or []:
        if isinstance(condition, dict) and condition.get("type") == wanted:
            return condition
    return None


def deployment(obj: dict[str, Any]) -> Readiness:
    """Rolled out: generation observed, every replica updated and available, no old ones.

    ``Progressing=False`` with reason ``ProgressDeadlineExceeded`` is a failure, and so is
    ``ReplicaFailure`` (admission refused its Pods) when no old replica is left to make room.
    """
    if not _generation_seen(obj):
        return Readiness.waiting("waiting for the controller to observe the new generation")
    progressing = _condition(obj, "Progressing")
    if progressing and progressing.get("reason") == "ProgressDeadlineExceeded":
        return Readiness.failed("rollout stuck (ProgressDeadlineExceeded): "
                                f"{progressing.get('message', 'deadline')}")
    status = _status(obj)
    want = _replicas(obj)
    updated = _int(status.get("updatedReplicas"))
    available = _int(status.get("availableReplicas"))
    total = _int(status.get("replicas"), updated)
    refused = _condition(obj, "ReplicaFailure")
    if refused and refused.get("status") == "True":
        # Admission refused its Pods (quota, Pod Security, a missing service account). Only
        # old replicas going away can make room; without any, waiting cannot help.
        why = f"pods refused ({refused.get('reason', 'FailedCreate')}): " \
              f"{refused.get('message', '')}".rstrip(": ")
        if total <= updated:
            return Readiness.failed(why)
        return Readiness.waiting(f"{available}/{want} replicas available; {why}")
    if updated < want or available < want or total > updated:
        return Readiness.waiting(f"{available}/{want} replicas available, {updated} updated, "
                                 f"{max(0, total - updated)} old")
    return Readiness.ready(f"{available}/{want} replicas available")


def statefulset(obj: dict[str, Any]) -> Readiness:
    """Every replica ready and updated at the current generation and revision."""
    status = _status(obj)
    want = _replicas(obj)
    ready = _int(status.get("readyReplicas"))
    updated = _int(status.get("updatedReplicas"), ready)
    current, update = status.get("currentRevision"), status.get("updateRevision")
    if not _generation_seen(obj) or ready < want or updated < want or \
            (current and update and current != update):
        return Readiness.waiting(f"{ready}/{want} replicas ready, {updated} updated")
    return Readiness.ready(f"{ready}/{want} replicas ready")


def daemonset(obj: dict[str, Any]) -> Readiness:
    """Every scheduled pod updated and ready."""
    status = _status(obj)
    want = _int(status.get("desiredNumberScheduled"))
    ready = _int(status.get("numberReady"))
    updated = _int(status.get("updatedNumberScheduled"), ready)
    if not _generation_seen(obj) or ready < want or updated < want:
        return Readiness.waiting(f"{ready}/{want} pods ready, {updated} updated")
    return Readiness.ready(f"{ready}/{want} pods ready")


def job(obj: dict[str, Any]) -> Readiness:
    """Complete; a Failed condition fails at once with its reason and message."""
    failed = _condition(obj, "Failed")
    if failed and failed.get("status") == "True":
        return Readiness.failed(f"failed ({failed.get('reason', 'Failed')}): "
                                f"{failed.get('message', '')}".rstrip(": "))
    complete = _condition(obj, "Complete")
    if complete and complete.get("status") == "True":
        return Readiness.ready("complete")
    return Readiness.waiting("running")


def pvc(obj: dict[str, Any]) -> Readiness:
    """Bound to a volume."""
    phase = _status(obj).get("phase", "Pending")
    if phase == "Bound":
        return Readiness.ready("phase Bound")
    if phase == "Lost":
        return Readiness.failed("phase Lost: the bound volume is gone")
    return Readiness.waiting(f"phase {phase}")


def crd(obj: dict[str, Any]) -> Readiness:
    """Established: its kind is served."""
    return _named_condition(obj, "Established")


def service(obj: dict[str, Any]) -> Readiness:
    """A LoadBalancer Service has an address; other Services are ready at once."""
    if (obj.get("spec") or {}).get("type") != "LoadBalancer":
        return Readiness.ready()
    ingress = ((_status(obj).get("loadBalancer") or {}).get("ingress")) or []
    if not ingress:
        return Readiness.waiting("waiting for a load-balancer IP")
    return Readiness.ready(f"IP {ingress[0].get('ip') or ingress[0].get('hostname')}")


def resource_quota(obj: dict[str, Any]) -> Readiness:
    """Counted: the quota controller reported usage for every resource the quota limits
    (until then admission cannot enforce it reliably)."""
    hard = (obj.get("spec") or {}).get("hard") or {}
    counted = _status(obj).get("hard") or {}
    if set(hard) <= set(counted):
        return Readiness.ready("usage counted")
    return Readiness.waiting("waiting for the quota controller to count usage")


def generic(obj: dict[str, Any]) -> Readiness:
    """A ``Ready`` condition when the object reports one; otherwise ready."""
    if _condition(obj, "Ready") is None:
        return Readiness.ready()
    return _named_condition(obj, "Ready")


def _named_condition(obj: dict[str, Any], wanted: str) -> Readiness:
    condition = _condition(obj, wanted)
    if condition is None:
        return Readiness.waiting(f"no {wanted} condition yet")
    if condition.get("status") == "True":
        return Readiness.ready(f"{wanted}=True")
    return Readiness.waiting(f"{wanted}={condition.get('status')}: "
                             f"{condition.get('message', '')}".rstrip(": "))


Rule = Callable[[dict[str, Any]], Readiness]
READINESS: dict[str, tuple[Rule, float]] = {
    "Deployment": (deployment, 300.0),
    "StatefulSet": (statefulset, 600.0),
    "DaemonSet": (daemonset, 300.0),
    "Job": (job, 600.0),
    "PersistentVolumeClaim": (pvc, 120.0),
    "CustomResourceDefinition": (crd, 60.0),
    "Service": (service, 60.0),
    "ResourceQuota": (resource_quota, 60.0),
}
GENERIC_TIMEOUT = 120.0


def rule_for(kind: str) -> tuple[Rule, float]:
    """The readiness rule and timeout of ``kind``."""
    return READINESS.get(kind, (generic, GENERIC_TIMEOUT))
