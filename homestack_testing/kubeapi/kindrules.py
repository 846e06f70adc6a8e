"""Per-kind rules of the real server's Go validation that no schema expresses: selectors
that must match their template, strategy combinations, and the update rules
(immutable fields and forbidden transitions), with the real messages.

``on_write(kind, new, old)`` runs for creates (``old`` None) and updates, adding the
rules of ``specrules``; ``on_update(kind, new, old)`` runs for updates only; both take
defaulted, canonical objects. Rules are tables of small functions keyed by (group, kind).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from . import specrules
from .crschema import crd_errors
from .fielderrors import FieldError, RawValue, forbidden, go_value, invalid, required
from .quantity import QuantityError, canonical_value

Obj = dict[str, Any]
Rule = Callable[[Obj], list[FieldError]]
UpdateRule = Callable[[Obj, Obj], list[FieldError]]

IMMUTABLE = "field is immutable"
STS_MUTABLE = ("replicas", "ordinals", "template", "updateStrategy",
               "persistentVolumeClaimRetentionPolicy", "minReadySeconds")
STS_FORBIDDEN = ("updates to statefulset spec for fields other than 'replicas', 'ordinals', "
                 "'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and "
                 "'minReadySeconds' are forbidden")
PVC_FORBIDDEN = ("spec is immutable after creation except resources.requests and "
                 "volumeAttributesClassName for bound claims")
POD_FORBIDDEN = ("pod updates may not change fields other than `spec.containers[*].image`,"
                 "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
                 "`spec.tolerations` (only additions to existing tolerations),"
                 "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was "
                 "previously negative)")
WHEN_IMMUTABLE = "field is immutable when `immutable` is set"


def _spec(obj: Obj) -> Obj:
    spec = obj.get("spec")
    return spec if isinstance(spec, dict) else {}


def selector_value(sel: Any) -> RawValue:
    """A LabelSelector printed as the real messages print it."""
    sel = sel if isinstance(sel, dict) else {}
    labels = sel.get("matchLabels")
    exprs = sel.get("matchExpressions")
    shown_labels = go_value(labels) if labels else "map[string]string(nil)"
    shown_exprs = "[]v1.LabelSelectorRequirement{...}" if exprs else \
        "[]v1.LabelSelectorRequirement(nil)"
    return RawValue(f"v1.LabelSelector{{MatchLabels:{shown_labels}, "
                    f"MatchExpressions:{shown_exprs}}}")


def selects(sel: Any, labels: dict[str, str]) -> bool:
    """Whether a LabelSelector (matchLabels and matchExpressions) selects labels."""
    if not isinstance(sel, dict):
        return False
    for key, value in (sel.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expr in sel.get("matchExpressions") or []:
        key, op, values = expr.get("key"), expr.get("operator"), expr.get("values") or []
        present = key in labels
        if (op == "In" and labels.get(key) not in values) \
                or (op == "NotIn" and present and labels[key] in values) \
                or (op == "Exists" and not present) or (op == "DoesNotExist" and present):
            return False
    return True


def _selector_matches_template(obj: Obj) -> list[FieldError]:
    spec = _spec(obj)
    sel = spec.get("selector")
    tpl = spec.get("template")
    labels = ((tpl if isinstance(tpl, dict) else {}).get("metadata") or {}).get("labels") or {}
    if not isinstance(sel, dict):
        return []
    if not sel.get("matchLabels") and not sel.get("matchExpressions"):
        kind = obj.get("kind", "").lower()
        return [invalid("spec.selector", selector_value(sel),
                        f"empty selector is invalid for {kind}")]
    if not selects(sel, labels):
        return [invalid("spec.template.metadata.labels", labels,
                        "`selector` does not match template `labels`")]
    return []


def _deployment(obj: Obj) -> list[FieldError]:
    out = _selector_matches_template(obj)
    strategy = _spec(obj).get("strategy") or {}
    if strategy.get("type") == "Recreate" and strategy.get("rollingUpdate") is not None:
        out.append(forbidden("spec.strategy.rollingUpdate",
                             "may not be specified when strategy `type` is 'Recreate'"))
    return out


def _images(pod: Any, path: str) -> list[FieldError]:
    """Every container of a pod spec names an image (the API type leaves it optional)."""
    out: list[FieldError] = []
    if not isinstance(pod, dict):
        return out
    for key in ("initContainers", "containers"):
        for i, c in enumerate(pod.get(key) or []):
            if isinstance(c, dict) and not c.get("image"):
                out.append(required(f"{path}.{key}[{i}].image"))
    return out


def _template_images(obj: Obj) -> list[FieldError]:
    spec = _spec(obj)
    if obj.get("kind") == "CronJob":
        job = _dict(_dict(spec.get("jobTemplate")).get("spec"))
        return _images(_dict(job.get("template")).get("spec"),
                       "spec.jobTemplate.spec.template.spec")
    if obj.get("kind") == "Pod":
        return _images(spec, "spec")
    return _images(_dict(spec.get("template")).get("spec"), "spec.template.spec")


def _workload(obj: Obj) -> list[FieldError]:
    return _selector_matches_template(obj) + _template_images(obj)


def _dict(value: Any) -> Obj:
    return value if isinstance(value, dict) else {}


WRITE_RULES: dict[tuple[str, str], Rule] = {
    ("apps", "Deployment"): lambda o: _deployment(o) + _template_images(o),
    ("apps", "StatefulSet"): _workload,
    ("apps", "DaemonSet"): _workload,
    ("apps", "ReplicaSet"): _workload,
    ("batch", "Job"): _template_images,
    ("batch", "CronJob"): _template_images,
    ("", "Pod"): _template_images,
    ("apiextensions.k8s.io", "CustomResourceDefinition"): crd_errors,
}


def _immutable(path: str, new: Any, old: Any, shown: Any = None) -> list[FieldError]:
    if new == old:
        return []
    return [invalid(path, new if shown is None else shown, IMMUTABLE)]


def _selector_immutable(new: Obj, old: Obj) -> list[FieldError]:
    sel = _spec(new).get("selector")
    return _immutable("spec.selector", sel, _spec(old).get("selector"), selector_value(sel))


def _job(new: Obj, old: Obj) -> list[FieldError]:
    out = _selector_immutable(new, old)
    out += _immutable("spec.template", _spec(new).get("template"),
                      _spec(old).get("template"), RawValue("core.PodTemplateSpec{...}"))
    out += _immutable("spec.completionMode", _spec(new).get("completionMode"),
                      _spec(old).get("completionMode"))
    return out


def _statefulset(new: Obj, old: Obj) -> list[FieldError]:
    out = _selector_immutable(new, old)

    def fixed(spec: Obj) -> Obj:
        return {k: v for k, v in spec.items() if k not in STS_MUTABLE and k != "selector"}

    if fixed(_spec(new)) != fixed(_spec(old)):
        out.append(forbidden("spec", STS_FORBIDDEN))
    return out


def _storage(spec: Obj) -> Any:
    return ((spec.get("resources") or {}).get("requests") or {}).get("storage")


def _pvc(new: Obj, old: Obj) -> list[FieldError]:
    nspec, ospec = _spec(new), _spec(old)
    bound = (old.get("status") or {}).get("phase") == "Bound"

    def without_requests(spec: Obj) -> Obj:
        out = {k: v for k, v in spec.items() if k not in ("resources",
                                                         "volumeAttributesClassName")}
        res = dict(spec.get("resources") or {})
        res.pop("requests", None)
        return {**out, "resources": res}

    if nspec == ospec:
        return []
    if not bound or without_requests(nspec) != without_requests(ospec):
        return [forbidden("spec", PVC_FORBIDDEN)]
    try:
        smaller = canonical_value(_storage(nspec)) < canonical_value(_storage(ospec))
    except (QuantityError, TypeError):
        return []
    if smaller:
        return [forbidden("spec.resources.requests.storage",
                          "field can not be less than previous value")]
    return []


def _service(new: Obj, old: Obj) -> list[FieldError]:
    nspec, ospec = _spec(new), _spec(old)
    if "ExternalName" in (nspec.get("type"), ospec.get("type")):
        return []
    old_ips, new_ips = ospec.get("clusterIPs") or [], nspec.get("clusterIPs") or []
    new_ip = nspec.get("clusterIP")
    if old_ips and (not new_ips or new_ips[0] != old_ips[0] or new_ip != old_ips[0]):
        shown = [new_ip] if new_ip and new_ip != old_ips[0] else new_ips
        return [invalid("spec.clusterIPs[0]", shown, "may not change once set")]
    return []


def _immutable_data(new: Obj, old: Obj) -> list[FieldError]:
    if old.get("immutable") is not True:
        return []
    out = []
    if new.get("immutable") is not True:
        out.append(forbidden("immutable", WHEN_IMMUTABLE))
    for key in ("data", "binaryData"):
        if (new.get(key) or {}) != (old.get(key) or {}):
            out.append(forbidden(key, WHEN_IMMUTABLE))
    return out


def _pod(new: Obj, old: Obj) -> list[FieldError]:
    def fixed(spec: Obj) -> Obj:
        out = {k: v for k, v in spec.items()
               if k not in ("activeDeadlineSeconds", "tolerations",
                            "terminationGracePeriodSeconds")}
        for key in ("containers", "initContainers"):
            if isinstance(out.get(key), list):
                out[key] = [{k: v for k, v in c.items() if k != "image"}
                            for c in out[key] if isinstance(c, dict)]
        return out

    if fixed(_spec(new)) != fixed(_spec(old)):
        return [forbidden("spec", POD_FORBIDDEN)]
    return []


def _secret(new: Obj, old: Obj) -> list[FieldError]:
    return _immutable("type", new.get("type"), old.get("type")) + _immutable_data(new, old)


def _storage_class(new: Obj, old: Obj) -> list[FieldError]:
    """ValidateStorageClassUpdate: parameters, provisioner and reclaimPolicy are
    "forbidden", the binding mode "immutable"."""
    out = [forbidden(key, f"updates to {key} are forbidden.")
           for key in ("parameters", "provisioner", "reclaimPolicy")
           if new.get(key) != old.get(key)]
    return out + _immutable("volumeBindingMode", new.get("volumeBindingMode"),
                            old.get("volumeBindingMode"))


def _role_binding(new: Obj, old: Obj) -> list[FieldError]:
    ref = _dict(new.get("roleRef"))
    if ref == _dict(old.get("roleRef")):
        return []
    # an internal Go struct without json tags, as json.Marshal prints it
    shown = RawValue(json.dumps({"APIGroup": ref.get("apiGroup", ""),
                                 "Kind": ref.get("kind", ""), "Name": ref.get("name", "")},
                                separators=(",", ":")))
    return [invalid("roleRef", shown, "cannot change roleRef")]


def _priority_class(new: Obj, old: Obj) -> list[FieldError]:
    out = []
    if new.get("value") != old.get("value"):
        out.append(forbidden("value", "may not be changed in an update."))
    return out + _immutable("preemptionPolicy", new.get("preemptionPolicy"),
                            old.get("preemptionPolicy"))


UPDATE_RULES: dict[tuple[str, str], UpdateRule] = {
    ("apps", "Deployment"): _selector_immutable,
    ("apps", "DaemonSet"): _selector_immutable,
    ("apps", "ReplicaSet"): _selector_immutable,
    ("apps", "StatefulSet"): _statefulset,
    ("batch", "Job"): _job,
    ("", "PersistentVolumeClaim"): _pvc,
    ("", "Service"): _service,
    ("", "ConfigMap"): _immutable_data,
    ("", "Secret"): _secret,
    ("", "Pod"): _pod,
    ("storage.k8s.io", "StorageClass"): _storage_class,
    ("rbac.authorization.k8s.io", "RoleBinding"): _role_binding,
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"): _role_binding,
    ("scheduling.k8s.io", "PriorityClass"): _priority_class,
}


def on_write(group: str, kind: str, new: Obj, old: Obj | None = None) -> list[FieldError]:
    """The write rules of a kind: those here, and those of ``specrules`` (which also
    look at the previous version)."""
    rule = WRITE_RULES.get((group, kind))
    return (rule(new) if rule else []) + specrules.check(group, kind, new, old)


def on_update(group: str, kind: str, new: Obj, old: Obj) -> list[FieldError]:
    rule = UPDATE_RULES.get((group, kind))
    return rule(new, old) if rule else []
