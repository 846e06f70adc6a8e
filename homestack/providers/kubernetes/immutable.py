"""Fields that cannot change in place, per kind: a difference there plans a replace.

The API server refuses (422) an update that changes a Job's pod template, a workload's
selector, most of a StatefulSet, a PVC's spec (a bound claim's storage may only grow; an
unbound claim's spec not at all), a Service's cluster IP, an ``immutable: true`` ConfigMap or
Secret, a Secret's type, a StorageClass's provisioner, parameters, reclaim policy and binding
mode, a PriorityClass's value and preemption policy, a binding's ``roleRef``, an IngressClass's
controller, a CSIDriver's ``attachRequired``, a Pod's spec beyond its images, and a Deployment
that switches to ``Recreate`` while the defaulted ``rollingUpdate`` (owned by no manager, so an
apply cannot remove it) is still there. The table was checked against kube-apiserver v1.35
(``tests/providers/test_kube_immutable.py`` asks the real server about every entry).

``forced_fields`` finds those differences from the live object alone, so a plan without
dry-runs (the one ``apply`` makes) still knows; a dry-run that answers "field is immutable" is
the fallback for what this table does not know.

Replacing deletes the object first; data holders are guarded by the engine
(``--allow-data-loss``). Apply never replaces what the plan did not: an immutable field this
table misses fails the write, and the next plan's dry-run plans the replace.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from homestack.providers.kubernetes.compare import contains
from homestack.providers.kubernetes.quantity import amount, canonical

_SELECTED = frozenset({"Deployment", "DaemonSet", "ReplicaSet", "StatefulSet", "Job"})
_STATEFULSET_MUTABLE = frozenset({"replicas", "ordinals", "template", "updateStrategy",
                                  "persistentVolumeClaimRetentionPolicy", "minReadySeconds"})


def forced_fields(live: dict[str, Any], desired: dict[str, Any]) -> tuple[str, ...]:
    """The declared immutable fields whose value differs from ``live`` (sorted, dotted)."""
    kind = str(desired.get("kind", ""))
    if str(desired.get("apiVersion", "")).split("/")[0] not in _BUILT_IN_GROUPS:
        return ()  # custom resources: only the API knows (dry-run)
    live_spec = live.get("spec") or {}
    spec = desired.get("spec") or {}
    found = set(_differing(live_spec, spec, _keys(kind, spec, live)))
    found.update(_top_level(kind, live, desired))
    found.update(_special(kind, live, desired))
    return tuple(sorted(found))


_BUILT_IN_GROUPS = frozenset({"v1", "apps", "batch", "storage.k8s.io", "scheduling.k8s.io",
                              "rbac.authorization.k8s.io", "networking.k8s.io"})
# Fields outside ``spec`` that the API server refuses to change, per kind.
TOP_LEVEL: dict[str, tuple[str, ...]] = {
    "StorageClass": ("provisioner", "parameters", "reclaimPolicy", "volumeBindingMode"),
    "PriorityClass": ("value", "preemptionPolicy"),
    "RoleBinding": ("roleRef",),
    "ClusterRoleBinding": ("roleRef",),
    "Secret": ("type",),
}
# Fields of ``spec`` that the API server refuses to change, per kind (besides the rules below).
SPEC: dict[str, tuple[str, ...]] = {
    "IngressClass": ("controller",),
    "CSIDriver": ("attachRequired",),
    "Service": ("clusterIP", "clusterIPs"),
}


def _top_level(kind: str, live: dict[str, Any], desired: dict[str, Any]) -> Iterator[str]:
    for key in TOP_LEVEL.get(kind, ()):
        if key in desired and key in live and not same(live[key], desired[key]):
            yield key


def _keys(kind: str, spec: dict[str, Any], live: dict[str, Any]) -> Iterator[str]:
    yield from SPEC.get(kind, ())
    if kind in _SELECTED:
        yield "selector"
    if kind == "Job":
        yield from ("template", "completionMode")
    elif kind == "StatefulSet":
        yield from (k for k in spec if k not in _STATEFULSET_MUTABLE and k != "selector")
    elif kind == "PersistentVolumeClaim":
        # Only a bound claim may change (its requests); an unbound one not at all.
        yield from (k for k in spec if k != "resources" or not bound(live))


def bound(claim: dict[str, Any]) -> bool:
    """Whether a PersistentVolumeClaim is bound to a volume."""
    return (claim.get("status") or {}).get("phase") == "Bound"


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
