"""Fields that cannot change in place, per kind: a difference there plans a replace.

The API server refuses (422) an update that changes a Job's pod template, a workload's
selector, most of a StatefulSet, a PVC's spec (its storage may only grow), a Service's cluster
IP, an ``immutable: true`` ConfigMap or Secret, a Pod's spec beyond its images, and a Deployment
that switches to ``Recreate`` while the defaulted ``rollingUpdate`` (owned by no manager, so an
apply cannot remove it) is still there. ``forced_fields`` finds those differences from the live
object alone, so a plan without dry-runs (the one ``apply`` makes) still knows; a dry-run that
answers "field is immutable" is the fallback for what this table does not know.

Replacing deletes the object first: ``DISPOSABLE`` kinds lose nothing; data holders are guarded
by the engine (``--allow-data-loss``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from homestack.providers.kubernetes.compare import contains
from homestack.providers.kubernetes.quantity import amount, canonical

# Kinds whose replacement loses nothing a controller does not recreate.
DISPOSABLE = frozenset({"Job", "Pod"})
_SELECTED = frozenset({"Deployment", "DaemonSet", "ReplicaSet", "StatefulSet", "Job"})
_STATEFULSET_MUTABLE = frozenset({"replicas", "ordinals", "template", "updateStrategy",
                                  "persistentVolumeClaimRetentionPolicy", "minReadySeconds"})


def forced_fields(live: dict[str, Any], desired: dict[str, Any]) -> tuple[str, ...]:
    """The declared immutable fields whose value differs from ``live`` (sorted, dotted)."""
    kind = str(desired.get("kind", ""))
    if str(desired.get("apiVersion", "")).split("/")[0] not in _CORE_GROUPS:
        return ()  # custom resources: only the API knows (dry-run)
    live_spec = live.get("spec") or {}
    spec = desired.get("spec") or {}
    found = set(_differing(live_spec, spec, _keys(kind, spec)))
    found.update(_special(kind, live, desired))
    return tuple(sorted(found))


_CORE_GROUPS = frozenset({"v1", "apps", "batch"})


def _keys(kind: str, spec: dict[str, Any]) -> Iterator[str]:
    if kind in _SELECTED:
        yield "selector"
    if kind == "Job":
        yield from ("template", "completionMode")
    elif kind == "StatefulSet":
        yield from (k for k in spec if k not in _STATEFULSET_MUTABLE and k != "selector")
    elif kind == "PersistentVolumeClaim":
        yield from (k for k in spec if k != "resources")
    elif kind == "Service":
        yield from ("clusterIP", "clusterIPs")


def _differing(live: dict[str, Any], declared: dict[str, Any], keys: Iterator[str]
               ) -> Iterator[str]:
    for key in keys:
        if key in declared and not same(live.get(key), declared[key]):
            if key.startswith("clusterIP") and not live.get(key):
                continue  # not allocated yet: nothing to change
            yield f"spec.{key}"


def same(live: Any, declared: Any) -> bool:
    """True when every declared value is in ``live``, quantities compared by amount."""
    return contains(canonical(live), canonical(declared))


def _special(kind: str, live: dict[str, Any], desired: dict[str, Any]) -> Iterator[str]:
    live_spec = live.get("spec") or {}
    spec = desired.get("spec") or {}
    if kind == "PersistentVolumeClaim":
        had = amount(((live_spec.get("resources") or {}).get("requests") or {}).get("storage"))
        wants = amount(((spec.get("resources") or {}).get("requests") or {}).get("storage"))
        if had is not None and wants is not None and wants < had:
            yield "spec.resources.requests.storage"  # a claim may only grow
    elif kind == "Deployment":
        strategy = spec.get("strategy") or {}
        if strategy.get("type") == "Recreate" \
                and (live_spec.get("strategy") or {}).get("rollingUpdate") is not None:
            yield "spec.strategy.rollingUpdate"
    elif kind in ("ConfigMap", "Secret") and live.get("immutable") is True:
        for key in ("data", "binaryData", "immutable"):
            if key in desired and live.get(key) != desired[key]:
                yield key
    elif kind == "Pod":
        if not same(_imageless(live_spec), _imageless(spec)):
            yield "spec"


def _imageless(spec: dict[str, Any]) -> dict[str, Any]:
    """A Pod spec without its container images (the part that may change in place)."""
    out = dict(spec)
    for key in ("containers", "initContainers"):
        if isinstance(out.get(key), list):
            out[key] = [{k: v for k, v in c.items() if k != "image"} if isinstance(c, dict)
                        else c for c in out[key]]
    for key in ("activeDeadlineSeconds", "tolerations", "terminationGracePeriodSeconds"):
        out.pop(key, None)
    return out
