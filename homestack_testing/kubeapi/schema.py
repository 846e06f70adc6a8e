"""Type information that server-side apply needs: which maps are granular, which lists
are atomic, sets or maps keyed by which fields.

Built-in kinds read the OpenAPI definitions shipped offline by ``kubernetes-validate``
(they carry ``x-kubernetes-list-type`` / ``-list-map-keys`` / ``-map-type``). Custom
resources use their CRD's ``openAPIV3Schema``; anything without a schema is "deduced"
the way structured-merge-diff does it: maps granular, lists atomic.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

# Real schemas declare `default: TCP` on the protocol key; the offline copy lacks it,
# and without it `k:{"containerPort":80}` would not match what the server defaults.
KEY_DEFAULTS: dict[str, Any] = {"protocol": "TCP"}

# Used only when kubernetes-validate is not installed: the associative lists that
# matter most for apply of the kinds we serve.
FALLBACK_LIST_KEYS: dict[str, list[str]] = {
    "containers": ["name"],
    "initContainers": ["name"],
    "ephemeralContainers": ["name"],
    "env": ["name"],
    "volumes": ["name"],
    "volumeMounts": ["mountPath"],
    "imagePullSecrets": ["name"],
    "conditions": ["type"],
}


class TypeNode:
    """One node of a schema: kind is "scalar", "map" (struct or string-keyed map),
    "list" or "any" (deduced from the value)."""

    __slots__ = ("_elem", "_fields", "_owner", "atomic", "keys", "kind", "list_type")

    def __init__(
        self,
        kind: str,
        owner: SchemaSet | None = None,
        fields: dict[str, Any] | None = None,
        elem: Any = None,
        atomic: bool = False,
        list_type: str = "atomic",
        keys: list[str] | None = None,
    ) -> None:
        self.kind = kind
        self._owner = owner
        self._fields = fields or {}
        self._elem = elem
        self.atomic = atomic
        self.list_type = list_type
        self.keys = keys or []

    def has_field(self, name: str) -> bool:
        return name in self._fields

    def child(self, name: str) -> TypeNode:
        raw = self._fields.get(name)
        if raw is None:
            raw = self._elem
        if raw is None or self._owner is None:
            return ANY
        return self._owner.node(raw)

    def item(self) -> TypeNode:
        if self._elem is None or self._owner is None:
            return ANY
        return self._owner.node(self._elem)


ANY = TypeNode("any")
SCALAR = TypeNode("scalar")


class SchemaSet:
    """Lazily turns JSON-schema fragments into TypeNodes (schemas are recursive)."""

    def __init__(self, defs: dict[str, Any]) -> None:
        self.defs = defs
        self._memo: dict[int, TypeNode] = {}

    def ref(self, name: str) -> TypeNode:
        raw = self.defs.get(name)
        return ANY if raw is None else self.node(raw)

    def node(self, raw: Any) -> TypeNode:
        if not isinstance(raw, dict):
            return ANY
        key = id(raw)
        found = self._memo.get(key)
        if found is None:
            found = self._build(raw)
            self._memo[key] = found
        return found

    def _resolve(self, raw: dict[str, Any]) -> dict[str, Any]:
        ref = raw.get("$ref")
        if isinstance(ref, str):
            target = self.defs.get(ref.rsplit("/", 1)[-1])
            if isinstance(target, dict):
                return target
        return raw

    def _build(self, raw: dict[str, Any]) -> TypeNode:
        if "$ref" in raw:
            target = self._resolve(raw)
            # A reference to a definition we do not have (no kubernetes-validate) is a
            # free-form object; following it would resolve to itself forever.
            return ANY if target is raw else self.node(target)
        types = raw.get("type")
        typelist = types if isinstance(types, list) else [types]
        if "array" in typelist or "items" in raw:
            return self._list(raw)
        props = raw.get("properties")
        addl = raw.get("additionalProperties")
        if "object" in typelist or props or isinstance(addl, dict):
            if not props and not isinstance(addl, dict):
                return ANY  # free-form object (RawExtension, preserve-unknown-fields)
            atomic = raw.get("x-kubernetes-map-type") == "atomic"
            elem = addl if isinstance(addl, dict) else None
            return TypeNode("map", self, props or {}, elem, atomic=atomic)
        if raw.get("x-kubernetes-preserve-unknown-fields"):
            return ANY
        return SCALAR

    def _list(self, raw: dict[str, Any]) -> TypeNode:
        items = raw.get("items")
        list_type = raw.get("x-kubernetes-list-type")
        keys = list(raw.get("x-kubernetes-list-map-keys") or [])
        merge_key = raw.get("x-kubernetes-patch-merge-key")
        strategy = str(raw.get("x-kubernetes-patch-strategy"))
        if list_type is None and merge_key and "merge" in strategy:
            # Older schemas only say "patch-strategy merge"; SMD treats those as maps.
            list_type, keys = "map", [merge_key]
        if list_type == "map" and not keys:
            list_type = "atomic"
        return TypeNode("list", self, elem=items, list_type=list_type or "atomic", keys=keys)


@cache
def builtin_schemas() -> SchemaSet | None:
    """The OpenAPI definitions of the newest Kubernetes version kubernetes-validate ships."""
    try:
        base = resources.files("kubernetes_validate").joinpath("kubernetes-json-schema")
    except ModuleNotFoundError:
        return None
    versions = [p.name for p in base.iterdir() if p.name.endswith("-local")]
    if not versions:
        return None

    def vkey(name: str) -> tuple[int, ...]:
        return tuple(int(x) for x in name.lstrip("v").split("-")[0].split("."))

    newest = max(versions, key=vkey)
    with base.joinpath(newest, "_definitions.json").open("rb") as fh:
        doc = json.load(fh)
    return SchemaSet(doc.get("$defs") or doc.get("definitions") or {})


@cache
def gvk_index() -> dict[tuple[str, str, str], str]:
    schemas = builtin_schemas()
    index: dict[tuple[str, str, str], str] = {}
    if schemas is None:
        return index
    for name, raw in schemas.defs.items():
        for gvk in raw.get("x-kubernetes-group-version-kind") or []:
            index.setdefault((gvk.get("group", ""), gvk["version"], gvk["kind"]), name)
    return index


def fallback_root() -> TypeNode:
    """A schema-less object that still keys the well-known associative lists."""
    return _FallbackNode()


class _FallbackNode(TypeNode):
    def __init__(self) -> None:
        super().__init__("map")

    def child(self, name: str) -> TypeNode:
        keys = FALLBACK_LIST_KEYS.get(name)
        if keys:
            return _FallbackList(keys)
        return self


class _FallbackList(TypeNode):
    def __init__(self, keys: list[str]) -> None:
        super().__init__("list", list_type="map", keys=keys)

    def item(self) -> TypeNode:
        return _FallbackNode()


def builtin_root(group: str, version: str, kind: str) -> TypeNode:
    """The root TypeNode for a built-in kind."""
    schemas = builtin_schemas()
    name = gvk_index().get((group, version, kind))
    if schemas is None or name is None:
        return fallback_root()
    return schemas.ref(name)


def crd_root(open_api_v3: dict[str, Any] | None) -> TypeNode:
    """The root TypeNode of a custom resource, from its CRD version schema."""
    if not open_api_v3:
        return ANY
    schemas = builtin_schemas()
    raw = dict(open_api_v3)
    props = dict(raw.get("properties") or {})
    # metadata is always ObjectMeta, whatever the CRD says.
    props["metadata"] = {"$ref": "#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}
    raw["properties"] = props
    raw.setdefault("type", "object")
    return SchemaSet(schemas.defs if schemas is not None else {}).node(raw)
