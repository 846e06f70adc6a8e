"""Fields the real API server refuses to change after creation (``field is immutable``).

A table, per (group, kind), of dotted spec paths, as the upstream validation enforces them
(apps/v1 selectors, a PVC's storage class and access modes, a Job's selector and template).
"""

from __future__ import annotations

from typing import Any

from . import errors

IMMUTABLE: dict[tuple[str, str], tuple[str, ...]] = {
    ("apps", "Deployment"): ("spec.selector",),
    ("apps", "StatefulSet"): ("spec.selector", "spec.serviceName"),
    ("apps", "DaemonSet"): ("spec.selector",),
    ("apps", "ReplicaSet"): ("spec.selector",),
    ("batch", "Job"): ("spec.selector", "spec.template"),
    ("", "PersistentVolumeClaim"): ("spec.storageClassName", "spec.accessModes",
                                    "spec.volumeMode"),
}


def _at(obj: Any, path: str) -> Any:
    for key in path.split("."):
        obj = obj.get(key) if isinstance(obj, dict) else None
    return obj


def check(group: str, kind: str, old: dict[str, Any], new: dict[str, Any]) -> None:
    """Refuse ``new`` (422 Invalid) when it changes an immutable field of ``old``."""
    for path in IMMUTABLE.get((group, kind), ()):
        before = _at(old, path)
        if before is not None and _at(new, path) != before:
            raise errors.invalid(kind, group, str(old["metadata"].get("name", "")), path,
                                 "field is immutable")
