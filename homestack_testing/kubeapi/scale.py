"""The ``/scale`` subresource of Deployments, StatefulSets and ReplicaSets: an
``autoscaling/v1`` ``Scale`` whose ``spec.replicas`` is the workload's, built from the
workload on every read as the real registry does (``scaleFromDeployment``), with the
workload's name, namespace, uid, resourceVersion and creationTimestamp, its
``status.replicas`` and its selector as a string (``app=web,tier in (a,b)``).

A write (PUT, or any PATCH of the Scale) changes only the workload's ``spec.replicas``;
the store records it as a ``subresource: scale`` writer of ``.spec.replicas``.
"""

from __future__ import annotations

from typing import Any

from .errors import ApiError, bad_request
from .fielderrors import invalid, invalid_status

Obj = dict[str, Any]
API_VERSION = "autoscaling/v1"
META_KEYS = ("name", "namespace", "uid", "resourceVersion", "creationTimestamp")


def selector_string(sel: Any) -> str:
    """metav1.LabelSelectorAsSelector(sel).String(): requirements sorted by key."""
    if not isinstance(sel, dict):
        return ""
    reqs: list[tuple[str, str]] = []
    for key, value in (sel.get("matchLabels") or {}).items():
        reqs.append((key, f"{key}={value}"))
    for expr in sel.get("matchExpressions") or []:
        key, op = str(expr.get("key", "")), expr.get("operator")
        values = ",".join(sorted(str(v) for v in expr.get("values") or []))
        shown = {"In": f"{key} in ({values})", "NotIn": f"{key} notin ({values})",
                 "Exists": key, "DoesNotExist": f"!{key}"}.get(str(op))
        if shown is not None:
            reqs.append((key, shown))
    return ",".join(text for _, text in sorted(reqs))


def scale_of(obj: Obj) -> Obj:
    """The Scale of a workload."""
    meta = obj.get("metadata") or {}
    spec = obj.get("spec") or {}
    out: Obj = {"kind": "Scale", "apiVersion": API_VERSION,
                "metadata": {k: meta[k] for k in META_KEYS if k in meta},
                "spec": {}, "status": {
                    "replicas": int((obj.get("status") or {}).get("replicas") or 0)}}
    if spec.get("replicas"):
        out["spec"]["replicas"] = spec["replicas"]  # int32 omitempty: 0 is not shown
    selector = selector_string(spec.get("selector"))
    if selector:
        out["status"]["selector"] = selector
    return out


def replicas_of(body: Obj, name: str) -> int:
    """The replicas a Scale body asks for (400 for a wrong type, 422 below zero)."""
    version = body.get("apiVersion")
    if version not in (None, API_VERSION) or body.get("kind") not in (None, "Scale"):
        raise bad_request(f"the API version in the data ({version}) does not match the "
                          f"expected API version ({API_VERSION})")
    spec = body.get("spec")
    replicas = (spec if isinstance(spec, dict) else {}).get("replicas", 0)
    if replicas is None:
        replicas = 0
    if not isinstance(replicas, int) or isinstance(replicas, bool):
        word = {str: "string", float: "number", bool: "bool"}.get(type(replicas), "object")
        raise ApiError(400, "BadRequest",
                       f'Scale in version "v1" cannot be handled as a Scale: json: cannot '
                       f"unmarshal {word} into Go struct field ScaleSpec.spec.replicas of "
                       f"type int32")
    if replicas < 0:
        raise invalid_status("Scale", "autoscaling", name, [
            invalid("spec.replicas", replicas, "must be greater than or equal to 0")])
    return replicas
