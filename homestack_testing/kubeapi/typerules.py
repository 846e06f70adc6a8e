"""Rules of the real server's Go validation that belong to one API type wherever it
appears, keyed by the OpenAPI definition's short name (``Probe``,
``ResourceRequirements``, ``DeploymentSpec``, ...). ``validation.finish`` runs them on
every struct of that type with the path it has in the object, so a container's rules
hold alike in a Pod, a Deployment's template or a CronJob's job template.

* ``NONNEGATIVE``: integer fields the validation refuses below zero
  (``ValidateNonnegativeField``: ``must be greater than or equal to 0``);
* ``STRUCT_RULES``: small functions of one struct: a probe or lifecycle handler names
  exactly one handler type; resource requests stay within their limits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .fielderrors import FieldError, forbidden, invalid, required
from .quantity import QuantityError, canonical, canonical_value

Obj = dict[str, Any]
StructRule = Callable[[Obj, str], list[FieldError]]
NEGATIVE = "must be greater than or equal to 0"

NONNEGATIVE: dict[str, tuple[str, ...]] = {
    "DeploymentSpec": ("replicas", "minReadySeconds", "revisionHistoryLimit",
                       "progressDeadlineSeconds"),
    "StatefulSetSpec": ("replicas", "minReadySeconds"),
    "StatefulSetOrdinals": ("start",),
    "ReplicaSetSpec": ("replicas", "minReadySeconds"),
    "DaemonSetSpec": ("minReadySeconds", "revisionHistoryLimit"),
    "JobSpec": ("parallelism", "completions", "activeDeadlineSeconds", "backoffLimit",
                "ttlSecondsAfterFinished", "backoffLimitPerIndex", "maxFailedIndexes"),
    "CronJobSpec": ("startingDeadlineSeconds", "successfulJobsHistoryLimit",
                    "failedJobsHistoryLimit"),
    "Probe": ("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold",
              "failureThreshold"),
}

# Handler types of a probe and of a lifecycle hook, in the order the validation checks
# them: every one after the first is "may not specify more than 1 handler type".
HANDLERS: dict[str, tuple[str, ...]] = {
    "Probe": ("exec", "httpGet", "tcpSocket", "grpc"),
    "LifecycleHandler": ("exec", "httpGet", "tcpSocket", "sleep"),
}


def nonnegative(type_name: str, value: Obj, path: str) -> list[FieldError]:
    out = []
    for key in NONNEGATIVE.get(type_name, ()):
        number = value.get(key)
        if isinstance(number, int) and not isinstance(number, bool) and number < 0:
            out.append(invalid(f"{path}.{key}" if path else key, number, NEGATIVE))
    return out


def _handlers(kinds: tuple[str, ...]) -> StructRule:
    def rule(value: Obj, path: str) -> list[FieldError]:
        present = [k for k in kinds if value.get(k) is not None]
        if not present:
            return [required(path, "must specify a handler type")]
        return [forbidden(f"{path}.{k}", "may not specify more than 1 handler type")
                for k in present[1:]]
    return rule


def _overcommit_allowed(name: str) -> bool:
    """helper.IsOvercommitAllowed: native resources other than huge pages."""
    native = "/" not in name or "kubernetes.io/" in name
    return native and not name.startswith("hugepages-")


def _amount(raw: Any) -> Any:
    try:
        return canonical_value(raw)
    except (QuantityError, TypeError):
        return None


def _resources(value: Obj, path: str) -> list[FieldError]:
    """validateResourceRequirements: no negative amounts, requests within limits."""
    limits: Obj = value["limits"] if isinstance(value.get("limits"), dict) else {}
    requests: Obj = value["requests"] if isinstance(value.get("requests"), dict) else {}
    out: list[FieldError] = []
    for bag, amounts in (("limits", limits), ("requests", requests)):
        for name in sorted(amounts):
            amount = _amount(amounts[name])
            if amount is not None and amount < 0:
                out.append(invalid(f"{path}.{bag}[{name}]", canonical(amounts[name]),
                                   NEGATIVE))
    for name in sorted(requests):
        want, cap = _amount(requests[name]), _amount(limits.get(name))
        if name not in limits:
            if not _overcommit_allowed(name):
                out.append(required(f"{path}.limits",
                                    "Limit must be set for non overcommitable resources"))
            continue
        if want is None or cap is None:
            continue
        shown, limit = canonical(requests[name]), canonical(limits[name])
        if want != cap and not _overcommit_allowed(name):
            out.append(invalid(f"{path}.requests", shown,
                               f"must be equal to {name} limit of {limit}"))
        elif want > cap:
            out.append(invalid(f"{path}.requests", shown,
                               f"must be less than or equal to {name} limit of {limit}"))
    return out


STRUCT_RULES: dict[str, StructRule] = {
    "Probe": _handlers(HANDLERS["Probe"]),
    "LifecycleHandler": _handlers(HANDLERS["LifecycleHandler"]),
    "ResourceRequirements": _resources,
}


def check(type_name: str, value: Obj, path: str) -> list[FieldError]:
    """Every type rule of one struct value found at ``path``."""
    out = nonnegative(type_name, value, path)
    rule = STRUCT_RULES.get(type_name)
    if rule is not None:
        out += rule(value, path)
    return out
