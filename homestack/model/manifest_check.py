"""Check one Kubernetes manifest's names, labels and ports before anything is written.

The apiserver would refuse these objects at apply time; checking at validate time turns a
half-applied run into one message naming the field. ``problems`` returns every finding as
``"<field path>: <why> (got <value>)"``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from homestack.model.apisyntax import (
    CLUSTER_NAMESPACES,
    check_dns_label,
    check_label_value,
    check_path_segment,
    check_port_name,
    check_port_number,
    check_qualified_name,
    check_service_name,
    check_subdomain,
)

Check = Callable[[object], str]

# kind → rule for metadata.name where it differs from the default (a DNS subdomain).
_NAME_RULES: dict[str, Check] = {
    "Namespace": check_dns_label,
    "Service": check_service_name,
    "Role": check_path_segment,
    "ClusterRole": check_path_segment,
    "RoleBinding": check_path_segment,
    "ClusterRoleBinding": check_path_segment,
}
# Port fields; True when 0 means "unset" (the apiserver then allocates or ignores it).
_PORT_FIELDS = {"containerPort": False, "port": False, "targetPort": False, "hostPort": True,
                "nodePort": True}
_CONTAINER_LISTS = ("containers", "initContainers", "ephemeralContainers")


# The API server's limits: all annotations of an object together, the data of a ConfigMap or
# Secret, and any one object (etcd's default request size).
ANNOTATIONS_MAX = 256 * 1024
DATA_MAX = 1024 * 1024
OBJECT_MAX = 1536 * 1024
_KIND = re.compile(r"^[A-Z][A-Za-z0-9]{0,62}$")
_API_VERSION = re.compile(r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
                          r"v[1-9][0-9]*((alpha|beta)[1-9][0-9]*)?$")
# Where a port must be a number (a Service's port, a container's ports); targetPort may name.
_NUMBER_PORTS = re.compile(r"(^spec\.ports\[\d+\]\.(port|nodePort)"
                           r"|containers\[\d+\]\.ports\[\d+\]\.(containerPort|hostPort))$")
_BUILT_IN_GROUPS = frozenset({"", "apps", "batch"})


def problems(body: dict[str, Any]) -> list[str]:
    """Every name, label, port, type and size in ``body`` that the apiserver would refuse."""
    found = _identity(body)
    found += list(_metadata(body.get("metadata"), "metadata", str(body.get("kind", ""))))
    found += _claims(body) + _sizes(body)
    spec = body.get("spec")
    if isinstance(spec, dict) and "replicas" in spec:
        replicas = spec["replicas"]
        if isinstance(replicas, bool) or not isinstance(replicas, int) or replicas < 0:
            found.append(f"spec.replicas: must be a number of at least 0 (got "
                         f"{_shown(replicas)})")
    built_in = str(body.get("apiVersion", "")).rpartition("/")[0] in _BUILT_IN_GROUPS
    for path, key, value in _walk(body, ""):
        found += _field(path, key, value)
        if built_in and isinstance(value, str) and _NUMBER_PORTS.search(path):
            found.append(f"{path}: must be a number, not a string (got {_shown(value)})")
    return found


def _identity(body: dict[str, Any]) -> list[str]:
    found = []
    kind, version = body.get("kind"), body.get("apiVersion")
    if not isinstance(kind, str) or not _KIND.fullmatch(kind):
        found.append(f"kind: must be a CamelCase name (got {_shown(kind)})")
    if not isinstance(version, str) or not _API_VERSION.fullmatch(version):
        found.append(f"apiVersion: must be 'v1' or '<group>/<version>' (got {_shown(version)})")
    return found


def _sizes(body: dict[str, Any]) -> list[str]:
    found = []
    metadata = body.get("metadata")
    annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
    if isinstance(annotations, dict):
        total = sum(len(str(k).encode()) + len(str(v).encode()) for k, v in annotations.items())
        if total > ANNOTATIONS_MAX:
            found.append(f"metadata.annotations: {total} bytes, more than the API's "
                         f"{ANNOTATIONS_MAX} in all")
    if body.get("kind") in ("ConfigMap", "Secret"):
        data = sum(len(str(k).encode()) + len(str(v).encode())
                   for field in ("data", "binaryData", "stringData")
                   if isinstance(body.get(field), dict) for k, v in body[field].items())
        if data > DATA_MAX:
            found.append(f"data: {data} bytes, more than the API's {DATA_MAX} for a "
                         f"{body['kind']}")
    size = len(json.dumps(body, separators=(",", ":"), default=str).encode())
    if size > OBJECT_MAX and not found:
        found.append(f"the object is {size} bytes, more than the API server takes "
                     f"({OBJECT_MAX})")
    return found


def _shown(value: object) -> str:
    return f"{value!r:.70}"


def _metadata(metadata: object, path: str, kind: str | None) -> Iterator[str]:
    if not isinstance(metadata, dict):
        return
    if kind is not None and "name" in metadata:
        why = _NAME_RULES.get(kind, check_subdomain)(metadata["name"])
        if why:
            yield f"{path}.name: {why} (got {_shown(metadata['name'])})"
    if kind is not None and "namespace" in metadata:
        why = check_dns_label(metadata["namespace"])
        if why:
            yield f"{path}.namespace: {why} (got {_shown(metadata['namespace'])})"
    yield from _labels(metadata.get("labels"), f"{path}.labels")
    annotations = metadata.get("annotations")
    if isinstance(annotations, dict):
        for key, value in annotations.items():
            why = check_qualified_name(key)
            if why:
                yield f"{path}.annotations[{_shown(key)}]: key {why}"
            elif not isinstance(value, str):
                yield (f"{path}.annotations[{_shown(key)}]: must be a string, not "
                       f"{type(value).__name__} (quote it)")
    elif annotations is not None:
        yield f"{path}.annotations: must be a mapping, not {type(annotations).__name__}"


def _labels(labels: object, path: str) -> Iterator[str]:
    if labels is None:
        return
    if not isinstance(labels, dict):
        yield f"{path}: must be a mapping, not {type(labels).__name__}"
        return
    for key, value in labels.items():
        why = check_qualified_name(key)
        if why:
            yield f"{path}[{_shown(key)}]: key {why}"
            continue
        why = check_label_value(value)
        if why:
            yield f"{path}[{_shown(key)}]: value {why} (got {_shown(value)})"


def _claims(body: dict[str, Any]) -> list[str]:
    metadata = body.get("metadata")
    name = metadata.get("name") if isinstance(metadata, dict) else None
    if body.get("kind") == "Namespace" and name in CLUSTER_NAMESPACES:
        return [f"metadata.name: the cluster owns Namespace {name!r}; a Stack cannot declare "
                "it (place objects in it with Stack(namespace=...) instead)"]
    return []


def _walk(node: object, path: str) -> Iterator[tuple[str, str, object]]:
    """(path, key, value) of every mapping entry below ``node``."""
    if isinstance(node, dict):
        for key, value in node.items():
            child = f"{path}.{key}" if path else str(key)
            yield child, str(key), value
            yield from _walk(value, child)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _walk(item, f"{path}[{index}]")


def _field(path: str, key: str, value: object) -> list[str]:
    if key in _PORT_FIELDS and isinstance(value, int):
        why = check_port_number(value, zero_allowed=_PORT_FIELDS[key])
    elif key == "targetPort" and isinstance(value, str):
        why = check_port_name(value)
    elif key in ("labels", "annotations") and path.endswith("metadata." + key) \
            and path.count(".") > 1:
        # pod templates and job templates: metadata below spec
        return list(_metadata({key: value}, path.rpartition(".")[0], None))
    elif key == "matchLabels" or (key == "selector" and path == "spec.selector"
                                  and isinstance(value, dict) and "matchLabels" not in value
                                  and "matchExpressions" not in value):
        return list(_labels(value, path))
    elif key in _CONTAINER_LISTS and isinstance(value, list):
        return [f"{path}[{index}].name: {why} (got {_shown(item.get('name'))})"
                for index, item in enumerate(value)
                if isinstance(item, dict) and (why := check_dns_label(item.get("name")))]
    else:
        return []
    return [f"{path}: {why} (got {_shown(value)})"] if why else []
