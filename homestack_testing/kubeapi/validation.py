"""Schema checks of built-in objects against the OpenAPI definitions that
``kubernetes-validate`` ships, compiled once per type and cached.

Two walks, as in the real server:

* ``decode`` looks at a request body: values of the wrong JSON type (the real
  decoder's 400, or the 500 "failed to create typed patch object" of server-side
  apply), fields the schema does not declare (strict field validation), duplicate keys
  in associative lists (server-side apply only), malformed quantities and base64. Unknown
  fields are removed from the body, as the real decoder drops them.
* ``finish`` runs on the object about to be stored (defaulted): quantities become
  canonical, empty maps and lists are dropped like ``omitempty`` does, and required
  fields, enumerations, unique list keys and the per-type rules of ``typerules`` are
  checked (the 422 ``Invalid`` causes).

Status is neither decoded nor finished here: it is the controllers' business.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from . import enums, gobytes, typerules
from .fielderrors import FieldError, duplicate, invalid, not_supported, required
from .jsontype import json_type
from .quantity import QuantityError, canonical
from .schema import builtin_schemas, gvk_index

QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity"
INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
JSON_WORDS = {"string": "string", "integer": "number", "number": "number",
              "boolean": "bool", "object": "object", "array": "array"}
SMD_WORDS = {"string": "string", "boolean": "boolean", "object": "map", "array": "list"}


class Spec:
    """A compiled schema node. kind: struct, map, list, scalar, quantity, bytes or any."""

    __slots__ = ("_children", "_compiler", "_elem", "_fields", "go", "keys", "kind",
                 "list_type", "name", "required", "types")

    def __init__(self, compiler: Compiler, kind: str, go: str, name: str = "") -> None:
        self._compiler = compiler
        self.kind = kind
        self.go = go
        self.name = name
        self.types: frozenset[str] = frozenset()
        self._fields: dict[str, Any] = {}
        self._children: dict[str, Spec | None] = {}  # compiled fields, filled on first use
        self._elem: Any = None
        self.required: tuple[str, ...] = ()
        self.list_type = "atomic"
        self.keys: tuple[str, ...] = ()

    def field(self, name: str) -> Spec | None:
        try:
            return self._children[name]
        except KeyError:
            raw = self._fields.get(name)
            found = None if raw is None else self._compiler.node(raw)
            self._children[name] = found
            return found

    def has(self, name: str) -> bool:
        return name in self._fields

    def elem(self) -> Spec:
        try:
            return self._children[""]  # type: ignore[return-value]
        except KeyError:
            found = self._children[""] = self._compiler.node(self._elem)
            return found


class Compiler:
    """Turns JSON-schema fragments into Specs, memoised (the schemas are recursive)."""

    def __init__(self, defs: dict[str, Any]) -> None:
        self.defs = defs
        self._memo: dict[int, Spec] = {}
        self._refs: dict[str, Spec] = {}
        self.any = Spec(self, "any", "interface {}")

    def ref(self, name: str) -> Spec:
        found = self._refs.get(name)
        if found is None:
            raw = self.defs.get(name)
            found = self.any if raw is None else self._build({"$ref": "#/$defs/" + name})
            self._refs[name] = found
        return found

    def node(self, raw: Any) -> Spec:
        if not isinstance(raw, dict):
            return self.any
        found = self._memo.get(id(raw))
        if found is None:
            found = self._build(raw)
            self._memo[id(raw)] = found
        return found

    def _build(self, raw: dict[str, Any]) -> Spec:
        ref = raw.get("$ref")
        if isinstance(ref, str):
            name = ref.rsplit("/", 1)[-1]
            target = self.defs.get(name)
            if name == QUANTITY:
                spec = Spec(self, "quantity", "resource.Quantity")
                spec.types = frozenset({"string", "integer", "number"})
                return spec
            if name == INT_OR_STRING:
                spec = Spec(self, "scalar", "intstr.IntOrString")
                spec.types = frozenset({"string", "integer"})
                return spec
            return self._shape(target if isinstance(target, dict) else {}, name)
        return self._shape(raw, "")

    def _shape(self, raw: dict[str, Any], name: str) -> Spec:
        types = raw.get("type")
        typelist = set(types if isinstance(types, list) else [types]) - {None, "null"}
        short = name.rsplit(".", 1)[-1]
        pkg = name.rsplit(".", 2)[-2] if name.count(".") >= 2 else ""
        go = f"{pkg}.{short}" if pkg else short
        props = raw.get("properties")
        addl = raw.get("additionalProperties")
        if "array" in typelist or "items" in raw:
            spec = Spec(self, "list", "[]" + go if name else "[]interface {}", short)
            spec._elem = raw.get("items")
            spec.list_type = raw.get("x-kubernetes-list-type") or "atomic"
            spec.keys = tuple(raw.get("x-kubernetes-list-map-keys") or ())
            spec.types = frozenset({"array"})
            return spec
        if props:
            spec = Spec(self, "struct", go, short)
            spec._fields = props
            spec.required = tuple(raw.get("required") or ())
            spec.types = frozenset({"object"})
            return spec
        if isinstance(addl, dict):
            spec = Spec(self, "map", "map[string]" + _scalar_go(addl), short)
            spec._elem = addl
            spec.types = frozenset({"object"})
            return spec
        if typelist == {"string"} and raw.get("format") == "byte":
            spec = Spec(self, "bytes", "[]uint8", short)  # base64 in JSON
            spec.types = frozenset({"string"})
            return spec
        if typelist and typelist <= {"string", "integer", "number", "boolean"}:
            spec = Spec(self, "scalar", _scalar_go(raw), short)
            spec.types = frozenset(typelist | ({"integer"} if "number" in typelist else set()))
            return spec
        return self.any  # free-form (RawExtension, JSON, preserve-unknown-fields)


def _scalar_go(raw: dict[str, Any]) -> str:
    types = raw.get("type")
    first = next((t for t in (types if isinstance(types, list) else [types])
                  if t not in (None, "null")), "")
    if first == "integer":
        return str(raw.get("format") or "int64")
    return {"boolean": "bool", "number": "float64", "string": "string"}.get(first, "string")


_COMPILER: Compiler | None = None


def root_for(group: str, version: str, kind: str) -> Spec | None:
    """The compiled root of a built-in kind (None when the schemas are missing)."""
    global _COMPILER
    schemas = builtin_schemas()
    def_name = gvk_index().get((group, version, kind))
    if schemas is None or def_name is None:
        return None
    if _COMPILER is None:
        _COMPILER = Compiler(schemas.defs)
    return _COMPILER.ref(def_name)


@dataclass
class Decoded:
    """What ``decode`` found in one request body."""

    type_errors: list[tuple[str, str]] = field(default_factory=list)  # (decoder, smd)
    unknown: list[tuple[str, str]] = field(default_factory=list)  # (k8s path, smd path)
    duplicates: list[str] = field(default_factory=list)  # smd messages
    malformed: list[str] = field(default_factory=list)  # bad quantities, bad base64


def decode(root: Spec, obj: dict[str, Any]) -> Decoded:
    """Check a request body against its schema; removes unknown fields from it."""
    out = Decoded()
    for key in [k for k in obj if k != "status"]:
        _decode(root, obj, key, key, "." + key, root.name, out)
    return out


def _decode(parent: Spec, holder: Any, key: Any, path: str, smd: str, struct: str,
            out: Decoded) -> None:
    value = holder[key]
    spec = parent.field(key) if parent.kind == "struct" else parent.elem()
    if spec is None:
        out.unknown.append((path, smd))
        del holder[key]
        return
    if value is None or spec.kind == "any":
        return
    jtype = json_type(value)
    if jtype not in spec.types:
        _type_error(spec, value, jtype, path, smd, struct, out)
        return
    if spec.kind == "quantity":
        try:
            canonical(value)
        except QuantityError as exc:
            out.malformed.append(str(exc))
    elif spec.kind == "bytes":
        try:
            gobytes.decode(value)
        except gobytes.Base64Error as exc:
            out.malformed.append(str(exc))
    elif spec.kind in ("struct", "map"):
        inner = spec.name if spec.kind == "struct" else struct
        for k in list(value):
            _decode(spec, value, k, f"{path}.{k}", f"{smd}.{k}", inner, out)
    elif spec.kind == "list":
        seen: set[str] = set()
        elem = spec.elem()
        for i in range(len(value)):
            item_smd = smd + _smd_item(spec, value[i], i)
            if spec.list_type in ("map", "set"):
                if item_smd in seen:
                    out.duplicates.append(
                        f"{smd}: duplicate entries for key {item_smd[len(smd):]}")
                seen.add(item_smd)
            if elem.kind in ("struct", "map", "list", "quantity", "bytes"):
                _decode(spec, value, i, f"{path}[{i}]", item_smd, struct, out)
            elif json_type(value[i]) not in elem.types and value[i] is not None \
                    and elem.kind != "any":
                _type_error(elem, value[i], json_type(value[i]), f"{path}[{i}]", item_smd,
                            struct, out)


def _type_error(spec: Spec, value: Any, jtype: str, path: str, smd: str, struct: str,
                out: Decoded) -> None:
    decoder = (f"json: cannot unmarshal {JSON_WORDS.get(jtype, jtype)} into Go struct field "
               f"{struct}.{path} of type {spec.go}")
    if spec.types & {"integer", "number"} and not spec.types & {"string"}:
        smd_msg = f"{smd}: expected numeric (int or float), got {jtype}"
    else:
        want = SMD_WORDS.get(next(iter(sorted(spec.types))), "string")
        smd_msg = (f"{smd}: expected {want}, got &value.valueUnstructured{{Value:"
                   f"{json.dumps(value)}}}")
    out.type_errors.append((decoder, smd_msg))


def _smd_item(spec: Spec, item: Any, index: int) -> str:
    if spec.list_type == "map" and isinstance(item, dict) and spec.keys:
        parts = []
        for k in spec.keys:
            v = item.get(k, "TCP" if k == "protocol" else None)
            if v is not None:
                parts.append(f"{k}={json.dumps(v)}")
        return "[" + ",".join(parts) + "]"
    if spec.list_type == "set":
        return f"[={json.dumps(item)}]"
    return f"[{index}]"


# -- finish: canonical storage and the 422 checks ----------------------------------------


@dataclass
class Finished:
    """Problems ``finish`` found in an object about to be stored."""

    errors: list[FieldError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def finish(root: Spec, obj: dict[str, Any]) -> Finished:
    """Canonicalise obj in place and return its field errors (status is skipped)."""
    out = Finished()
    _finish_struct(root, obj, "", out, skip=("status", "apiVersion", "kind"))
    return out


def _finish_struct(spec: Spec, value: dict[str, Any], path: str, out: Finished,
                   skip: tuple[str, ...] = ()) -> None:
    for key in list(value):
        if key in skip or key == "managedFields":
            continue
        sub = value[key]
        child = spec.field(key)
        here = f"{path}.{key}" if path else key
        if child is None or sub is None:
            continue
        if sub in ({}, []) and child.kind in ("map", "list") and key not in spec.required:
            del value[key]  # omitempty
            continue
        allowed = enums.ENUMS.get((spec.name, key))
        if allowed is not None:
            _enum(sub, allowed, here, out)
        rule = enums.UNIQUE_KEYS.get((spec.name, key))
        if rule is not None and isinstance(sub, list):
            _unique(sub, rule, here, out, warn=False)
        rule = enums.WARN_DUPLICATES.get((spec.name, key))
        if rule is not None and isinstance(sub, list):
            _unique(sub, rule, here, out, warn=True)
        value[key] = _finish(child, sub, here, out)
    for key in spec.required:
        if key not in skip and _missing(value.get(key)):
            out.errors.append(required(f"{path}.{key}" if path else key))
    out.errors.extend(typerules.check(spec.name, value, path))


def _finish(spec: Spec, value: Any, path: str, out: Finished) -> Any:
    if spec.kind == "quantity" and isinstance(value, str | int | float) \
            and not isinstance(value, bool):
        try:
            return canonical(value)
        except QuantityError:
            return value
    if spec.kind == "struct" and isinstance(value, dict):
        _finish_struct(spec, value, path, out)
    elif spec.kind == "map" and isinstance(value, dict):
        elem = spec.elem()
        if elem.kind != "scalar":
            for k in value:
                value[k] = _finish(elem, value[k], f"{path}[{k}]", out)
    elif spec.kind == "list" and isinstance(value, list):
        elem = spec.elem()
        if elem.kind != "scalar":
            for i, item in enumerate(value):
                value[i] = _finish(elem, item, f"{path}[{i}]", out)
    return value


def _enum(value: Any, allowed: tuple[str, ...], path: str, out: Finished) -> None:
    items = value if isinstance(value, list) else [value]
    for i, item in enumerate(items):
        if isinstance(item, str) and item not in allowed:
            where = f"{path}[{i}]" if isinstance(value, list) else path
            out.errors.append(not_supported(where, item, list(allowed)))


def _unique(items: list[Any], key: str, path: str, out: Finished, warn: bool) -> None:
    seen: set[str] = set()
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        value: Any = item
        for part in key.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if value in (None, ""):
            continue
        marker = json.dumps(value)
        if marker in seen:
            if warn:
                out.warnings.append(f'{path}[{i}]: hides previous definition of "{value}", '
                                    "which may be dropped when using apply")
            elif key == "mountPath":
                out.errors.append(invalid(f"{path}[{i}].{key}", value, "must be unique"))
            else:
                out.errors.append(duplicate(f"{path}[{i}].{key}", value))
        seen.add(marker)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, str | list) and len(value) == 0)
