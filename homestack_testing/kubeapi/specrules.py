"""Write rules of the real server for kinds other than workloads, with its messages:
Service ports (duplicates, node ports and their range), CronJob schedule and time zone,
PodDisruptionBudget, and the 1 MiB limit of ConfigMap and Secret data.

Each rule takes the defaulted, canonical object and its previous version (None on
create): a CronJob that already had a ``TZ=`` schedule may keep it, and an unchanged
time zone is not looked up again, as in ``validateCronJobSpec``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from . import cron, gobytes
from .fielderrors import FieldError, RawValue, duplicate, forbidden, invalid, too_long_bytes

Obj = dict[str, Any]
SpecRule = Callable[[Obj, Obj | None], list[FieldError]]
MAX_DATA = 1024 * 1024  # core.MaxSecretSize, for ConfigMaps too
NODE_PORTS = (30000, 32767)  # the default --service-node-port-range
NOT_IN_RANGE = ("provided port is not in the valid range. The range of valid ports is "
                f"{NODE_PORTS[0]}-{NODE_PORTS[1]}")


def _spec(obj: Obj | None) -> Obj:
    spec = (obj or {}).get("spec")
    return spec if isinstance(spec, dict) else {}


def _go_json(fields: dict[str, Any]) -> RawValue:
    """An internal Go struct as the messages print it (json.Marshal, no json tags)."""
    return RawValue(json.dumps(fields, separators=(",", ":")))


def _service(new: Obj, old: Obj | None) -> list[FieldError]:
    """ValidateService's port checks, and the node port allocator's range."""
    spec = _spec(new)
    ports = [(i, p) for i, p in enumerate(spec.get("ports") or []) if isinstance(p, dict)]
    kind = spec.get("type")
    out: list[FieldError] = []
    if kind == "ClusterIP":
        out += [forbidden(f"spec.ports[{i}].nodePort",
                          "may not be used when `type` is 'ClusterIP'")
                for i, p in ports if p.get("nodePort")]
    node_ports: set[tuple[Any, Any]] = set()
    for i, p in ports:
        if p.get("nodePort"):
            key = (p.get("protocol"), p["nodePort"])
            if key in node_ports:
                out.append(duplicate(f"spec.ports[{i}].nodePort", p["nodePort"]))
            node_ports.add(key)
    seen: set[tuple[Any, Any]] = set()
    for i, p in ports:
        key = (p.get("protocol"), p.get("port"))
        if key in seen:
            out.append(duplicate(f"spec.ports[{i}]", _go_json({
                "Name": "", "Protocol": key[0], "AppProtocol": None, "Port": key[1],
                "TargetPort": 0, "NodePort": 0})))
        seen.add(key)
    if kind in ("NodePort", "LoadBalancer"):
        low, high = NODE_PORTS
        out += [invalid(f"spec.ports[{i}].nodePort", p["nodePort"], NOT_IN_RANGE)
                for i, p in ports if isinstance(p.get("nodePort"), int)
                and p["nodePort"] and not low <= p["nodePort"] <= high]
    return out


def _cronjob(new: Obj, old: Obj | None) -> list[FieldError]:
    spec, old_spec = _spec(new), _spec(old)
    schedule = spec.get("schedule")
    out: list[FieldError] = []
    if isinstance(schedule, str) and schedule:
        for msg in cron.schedule_errors(schedule):
            tz_kept = old is not None and "TZ" in str(old_spec.get("schedule", ""))
            if not (tz_kept and msg.startswith("cannot use TZ")):
                out.append(invalid("spec.schedule", schedule, msg))
    zone = spec.get("timeZone")
    if isinstance(zone, str) and (old is None or old_spec.get("timeZone") != zone):
        out += [invalid("spec.timeZone", zone, msg) for msg in cron.time_zone_errors(zone)]
    return out


def _pdb(new: Obj, old: Obj | None) -> list[FieldError]:
    spec = _spec(new)
    if spec.get("minAvailable") is not None and spec.get("maxUnavailable") is not None:
        shown = _go_json({"MinAvailable": spec["minAvailable"],
                          "Selector": spec.get("selector"),
                          "MaxUnavailable": spec["maxUnavailable"],
                          "UnhealthyPodEvictionPolicy": spec.get("unhealthyPodEvictionPolicy")})
        return [invalid("spec", shown, "minAvailable and maxUnavailable cannot be both set")]
    return []


def _decoded_size(values: Any) -> int:
    total = 0
    for value in (values or {}).values() if isinstance(values, dict) else ():
        try:
            total += len(gobytes.decode(value)) if isinstance(value, str) else 0
        except (gobytes.Base64Error, ValueError):
            continue
    return total


def _configmap(new: Obj, old: Obj | None) -> list[FieldError]:
    data: Obj = new["data"] if isinstance(new.get("data"), dict) else {}
    size = sum(len(str(v).encode()) for v in data.values()) + _decoded_size(
        new.get("binaryData"))
    # the error names the whole object: field.NewPath("") prints as "[]"
    return [too_long_bytes("[]", MAX_DATA)] if size > MAX_DATA else []


def _secret(new: Obj, old: Obj | None) -> list[FieldError]:
    return [too_long_bytes("data", MAX_DATA)] if _decoded_size(new.get("data")) > MAX_DATA \
        else []


RULES: dict[tuple[str, str], SpecRule] = {
    ("", "Service"): _service,
    ("batch", "CronJob"): _cronjob,
    ("policy", "PodDisruptionBudget"): _pdb,
    ("", "ConfigMap"): _configmap,
    ("", "Secret"): _secret,
}


def check(group: str, kind: str, new: Obj, old: Obj | None) -> list[FieldError]:
    rule = RULES.get((group, kind))
    return rule(new, old) if rule else []
