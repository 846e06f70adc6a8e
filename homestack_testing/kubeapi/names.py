"""Field rules the real apiserver checks on every write: names, labels, annotations, ports.

Written from the apiserver's rules (apimachinery ``util/validation``, ``ValidateObjectMeta``,
core ``ValidatePodSpec`` / ``ValidateService``), independently of Homestack's own checks, so
tests can hold Homestack's validate-time checks against it. Errors are 422 ``Invalid`` with the
field path, as kube-apiserver reports them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from . import errors
from .kinds import ResourceKind

_LABEL = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_DNS1123_LABEL = re.compile(f"^{_LABEL}$")
_DNS1123_SUBDOMAIN = re.compile(rf"^{_LABEL}(\.{_LABEL})*$")
_DNS1035_LABEL = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
_NAME_PART = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
_IANA = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")
_RBAC = {"Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"}
_POD_TEMPLATES = {
    "Pod": ("spec",),
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}


def _label(value: str) -> str:
    if len(value) > 63 or not _DNS1123_LABEL.match(value):
        return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters " \
               "or '-', and must start and end with an alphanumeric character"
    return ""


def _subdomain(value: str) -> str:
    if len(value) > 253 or not _DNS1123_SUBDOMAIN.match(value):
        return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric " \
               "characters, '-' or '.', and must start and end with an alphanumeric character"
    return ""


def _name_rule(kind: str, value: str) -> str:
    if kind == "Namespace":
        return _label(value)
    if kind == "Service":
        if len(value) > 63 or not _DNS1035_LABEL.match(value):
            return "a DNS-1035 label must consist of lower case alphanumeric characters or " \
                   "'-', start with an alphabetic character, and end with an alphanumeric " \
                   "character"
        return ""
    if kind in _RBAC:
        if value in (".", "..") or "/" in value or "%" in value:
            return "may not be '.' or '..' and may not contain '/' or '%'"
        return ""
    return _subdomain(value)


def _qualified(key: str) -> str:
    prefix, slash, name = key.rpartition("/")
    if slash and (not prefix or _subdomain(prefix)):
        return "prefix part must be a lowercase RFC 1123 subdomain"
    if not name or len(name) > 63 or not _NAME_PART.match(name):
        return "name part must consist of alphanumeric characters, '-', '_' or '.', and must " \
               "start and end with an alphanumeric character (at most 63)"
    return ""


def _label_value(value: Any) -> str:
    if not isinstance(value, str):
        return "must be a string"
    if value and (len(value) > 63 or not _NAME_PART.match(value)):
        return "a valid label must be an empty string or consist of alphanumeric characters, " \
               "'-', '_' or '.', and must start and end with an alphanumeric character " \
               "(at most 63)"
    return ""


def _port(value: Any, low: int = 1) -> str:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= 65535:
        return f"must be between {low} and 65535, inclusive"
    return ""


def _port_name(value: str) -> str:
    if len(value) > 15 or not _IANA.match(value) or "--" in value \
            or not re.search("[a-z]", value):
        return "must be no more than 15 characters, contain only lowercase alphanumerics or " \
               "'-', at least one letter, and no '--'"
    return ""


def _meta(meta: dict[str, Any], path: str) -> Iterator[tuple[str, Any, str]]:
    for key, value in (meta.get("labels") or {}).items():
        why = _qualified(str(key)) or _label_value(value)
        if why:
            yield f"{path}.labels", key if _qualified(str(key)) else value, why
    for key in meta.get("annotations") or {}:
        why = _qualified(str(key))
        if why:
            yield f"{path}.annotations", key, why


def _dig(body: dict[str, Any], path: tuple[str, ...]) -> Any:
    node: Any = body
    for part in path:
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _pod(spec: Any, path: str) -> Iterator[tuple[str, Any, str]]:
    if not isinstance(spec, dict):
        return
    for field in ("initContainers", "containers"):
        for index, container in enumerate(spec.get(field) or []):
            where = f"{path}.{field}[{index}]"
            if _label(str(container.get("name", ""))):
                yield f"{where}.name", container.get("name"), _label(str(container.get("name")))
            for number, port in enumerate(container.get("ports") or []):
                why = _port(port.get("containerPort"))
                if why:
                    yield f"{where}.ports[{number}].containerPort", port.get("containerPort"), why
                if port.get("hostPort") and _port(port["hostPort"]):
                    yield f"{where}.ports[{number}].hostPort", port["hostPort"], \
                        _port(port["hostPort"])


def _service(spec: Any) -> Iterator[tuple[str, Any, str]]:
    if not isinstance(spec, dict):
        return
    for index, port in enumerate(spec.get("ports") or []):
        where = f"spec.ports[{index}]"
        if _port(port.get("port")):
            yield f"{where}.port", port.get("port"), _port(port.get("port"))
        target = port.get("targetPort")
        if isinstance(target, str):
            if _port_name(target):
                yield f"{where}.targetPort", target, _port_name(target)
        elif target is not None and _port(target):
            yield f"{where}.targetPort", target, _port(target)
        if port.get("nodePort") is not None and _port(port["nodePort"], 0):
            yield f"{where}.nodePort", port["nodePort"], _port(port["nodePort"], 0)
    for key, value in (spec.get("selector") or {}).items():
        why = _qualified(str(key)) or _label_value(value)
        if why:
            yield "spec.selector", value, why


def problems(rk: ResourceKind, body: dict[str, Any]) -> list[tuple[str, Any, str]]:
    """(field, value, why) of every rule ``body`` breaks."""
    meta = body.get("metadata") or {}
    found: list[tuple[str, Any, str]] = []
    name = str(meta.get("name", ""))
    why = _name_rule(rk.kind, name)
    if why:
        found.append(("metadata.name", name, why))
    if meta.get("namespace") and _label(str(meta["namespace"])):
        found.append(("metadata.namespace", meta["namespace"], _label(str(meta["namespace"]))))
    found += _meta(meta, "metadata")
    template = _POD_TEMPLATES.get(rk.kind) if not rk.group or rk.group in (
        "apps", "batch") else None
    if template:
        if len(template) > 1:
            pod_meta = _dig(body, (*template[:-1], "metadata"))
            found += _meta(pod_meta if isinstance(pod_meta, dict) else {},
                           ".".join(template[:-1]) + ".metadata")
        found += _pod(_dig(body, template), ".".join(template))
    if rk.kind == "Service" and not rk.group:
        found += _service(body.get("spec"))
    return found


def validate(rk: ResourceKind, body: dict[str, Any]) -> None:
    """Raise 422 Invalid for the first rule ``body`` breaks, as the apiserver words it."""
    found = problems(rk, body)
    if found:
        field, value, why = found[0]
        name = str((body.get("metadata") or {}).get("name", ""))
        raise errors.invalid(rk.kind, rk.group, name, field,
                             f"Invalid value: {value!r}: {why}")
