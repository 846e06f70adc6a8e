"""Custom resources against their CRD's structural schema, as the apiextensions server
treats them: ``default``s filled in and unknown fields pruned while decoding (unless
``x-kubernetes-preserve-unknown-fields``), then types, ``required``, ``enum``,
bounds, lengths and ``pattern`` validated, with its messages ("spec.size in body must
be of type integer: \"string\""). ``x-kubernetes-validations`` (CEL) and ``format``
are not evaluated.

Also the checks a CRD itself must pass (``crd_errors``): its name, versions, storage
version and a structural schema for every served version.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from .fielderrors import FieldError, forbidden, invalid, not_supported, required, too_long
from .jsontype import json_type

JSON_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool}


def _type_ok(kind: str, value: Any) -> bool:
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    expected = JSON_TYPES.get(kind)
    return expected is None or isinstance(value, expected)


def decode(schema: dict[str, Any], obj: dict[str, Any]) -> list[str]:
    """Default and prune obj in place; returns the pruned paths (for fieldValidation)."""
    pruned: list[str] = []
    for key in [k for k in obj if k not in ("apiVersion", "kind", "metadata")]:
        props = schema.get("properties") or {}
        if key in props:
            obj[key] = _decode(props[key], obj[key], key, pruned)
        elif not _open(schema):
            pruned.append(key)
            del obj[key]
    _defaults(schema, obj)
    return pruned


def _open(schema: dict[str, Any]) -> bool:
    return bool(schema.get("x-kubernetes-preserve-unknown-fields")) or \
        schema.get("additionalProperties") not in (None, False)


def _defaults(schema: dict[str, Any], value: dict[str, Any]) -> None:
    for key, sub in (schema.get("properties") or {}).items():
        if key not in value and isinstance(sub, dict) and "default" in sub:
            value[key] = copy.deepcopy(sub["default"])


def _decode(schema: Any, value: Any, path: str, pruned: list[str]) -> Any:
    if not isinstance(schema, dict):
        return value
    if isinstance(value, dict):
        props = schema.get("properties")
        addl = schema.get("additionalProperties")
        for key in list(value):
            if props and key in props:
                value[key] = _decode(props[key], value[key], f"{path}.{key}", pruned)
            elif isinstance(addl, dict):
                value[key] = _decode(addl, value[key], f"{path}.{key}", pruned)
            elif (props is not None and not _open(schema)) or (props is None and addl is None
                                                             and schema.get("type") == "object"
                                                             and not _open(schema)):
                pruned.append(f"{path}.{key}")
                del value[key]
        _defaults(schema, value)
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [_decode(schema["items"], v, f"{path}[{i}]", pruned) for i, v in enumerate(value)]
    return value


def validate(schema: dict[str, Any], obj: dict[str, Any]) -> list[FieldError]:
    """The 422 causes of a (decoded) custom resource."""
    errs: list[FieldError] = []
    props = schema.get("properties") or {}
    for key, sub in props.items():
        if key in ("apiVersion", "kind", "metadata"):
            continue
        if key in obj:
            _check(sub, obj[key], key, errs)
    for key in schema.get("required") or []:
        if key not in obj:
            errs.append(required(key))
    return errs


def _check(schema: Any, value: Any, path: str, errs: list[FieldError]) -> None:
    if not isinstance(schema, dict):
        return
    if value is None:
        if not schema.get("nullable"):
            errs.append(invalid(path, "null", f'{path} in body must be of type '
                                f'{schema.get("type", "object")}: "null"'))
        return
    kind = schema.get("type")
    if schema.get("x-kubernetes-int-or-string"):
        if not isinstance(value, int | str) or isinstance(value, bool):
            errs.append(invalid(path, value, f"{path} in body must be of type "
                                f'integer or string: "{json_type(value)}"'))
        return
    if kind and not _type_ok(kind, value):
        errs.append(invalid(path, json_type(value),
                            f'{path} in body must be of type {kind}: "{json_type(value)}"'))
        return
    if "enum" in schema and value not in schema["enum"]:
        errs.append(not_supported(path, value, [json.dumps(v).strip('"')
                                                for v in schema["enum"]]))
    _bounds(schema, value, path, errs)
    if isinstance(value, dict):
        props = schema.get("properties") or {}
        addl = schema.get("additionalProperties")
        for key, sub in value.items():
            child = props.get(key, addl if isinstance(addl, dict) else None)
            _check(child, sub, f"{path}.{key}" if key in props else f"{path}[{key}]", errs)
        for key in schema.get("required") or []:
            if key not in value:
                errs.append(required(f"{path}.{key}"))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check(schema.get("items"), item, f"{path}[{i}]", errs)


def _bounds(schema: dict[str, Any], value: Any, path: str, errs: list[FieldError]) -> None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        low, high = schema.get("minimum"), schema.get("maximum")
        if low is not None and (value < low or (schema.get("exclusiveMinimum")
                                                and value == low)):
            word = "greater than" if schema.get("exclusiveMinimum") else \
                "greater than or equal to"
            errs.append(invalid(path, value, f"{path} in body should be {word} {low}"))
        if high is not None and (value > high or (schema.get("exclusiveMaximum")
                                                  and value == high)):
            word = "less than" if schema.get("exclusiveMaximum") else "less than or equal to"
            errs.append(invalid(path, value, f"{path} in body should be {word} {high}"))
    if isinstance(value, str):
        if schema.get("maxLength") is not None and len(value) > schema["maxLength"]:
            errs.append(too_long(path, schema["maxLength"]))
        if schema.get("minLength") is not None and len(value) < schema["minLength"]:
            errs.append(invalid(path, value, f"{path} in body should be at least "
                                f"{schema['minLength']} chars long"))
        if schema.get("pattern") and not re.search(schema["pattern"], value):
            errs.append(invalid(path, value,
                                f"{path} in body should match '{schema['pattern']}'"))
    if isinstance(value, list):
        if schema.get("maxItems") is not None and len(value) > schema["maxItems"]:
            errs.append(invalid(path, len(value), f"must have at most {schema['maxItems']} items"))
        if schema.get("minItems") is not None and len(value) < schema["minItems"]:
            errs.append(invalid(path, value, f"{path} in body should have at least "
                                f"{schema['minItems']} items"))


# -- the CRD itself --------------------------------------------------------------------


def crd_errors(crd: dict[str, Any]) -> list[FieldError]:
    """What the apiextensions server refuses in a CustomResourceDefinition."""
    spec: dict[str, Any] = crd["spec"] if isinstance(crd.get("spec"), dict) else {}
    names: dict[str, Any] = spec["names"] if isinstance(spec.get("names"), dict) else {}
    errs: list[FieldError] = []
    name = (crd.get("metadata") or {}).get("name", "")
    for key in ("plural", "kind"):
        if not names.get(key):
            errs.append(required(f"spec.names.{key}"))
    if not spec.get("group"):
        errs.append(required("spec.group"))
    elif names.get("plural") and name != f"{names['plural']}.{spec['group']}":
        errs.append(invalid("metadata.name", name, 'must be spec.names.plural+"."+spec.group'))
    versions = spec.get("versions") or []
    if not versions:
        errs.append(invalid("spec.versions", versions, "must have exactly one version marked "
                            "as storage version"))
    elif sum(1 for v in versions if isinstance(v, dict) and v.get("storage")) != 1:
        errs.append(invalid("spec.versions", versions, "must have exactly one version marked "
                            "as storage version"))
    for i, version in enumerate(versions):
        if not isinstance(version, dict):
            continue
        where = f"spec.versions[{i}].schema.openAPIV3Schema"
        schema = (version.get("schema") or {}).get("openAPIV3Schema")
        if not isinstance(schema, dict):
            errs.append(required(where, "schemas are required"))
            continue
        errs.extend(_structural(schema, where, top=True))
    return errs


def _structural(schema: dict[str, Any], path: str, top: bool = False) -> list[FieldError]:
    """Every specified field has a type (unless it preserves unknown fields or is
    int-or-string), and properties and additionalProperties are not both set."""
    errs: list[FieldError] = []
    if not schema.get("type") and not schema.get("x-kubernetes-int-or-string") and not (
            schema.get("x-kubernetes-preserve-unknown-fields") and not top):
        if top:
            errs.append(required(f"{path}.type", "must not be empty at the root"))
        else:
            errs.append(required(f"{path}.type", "must not be empty for specified object "
                                 "fields"))
    if schema.get("properties") and isinstance(schema.get("additionalProperties"), dict):
        errs.append(forbidden(f"{path}.additionalProperties",
                              "additionalProperties and properties are mutual exclusive"))
    for key, sub in (schema.get("properties") or {}).items():
        if isinstance(sub, dict):
            errs.extend(_structural(sub, f"{path}.properties[{key}]"))
    if isinstance(schema.get("items"), dict):
        errs.extend(_structural(schema["items"], f"{path}.items"))
    if isinstance(schema.get("additionalProperties"), dict):
        errs.extend(_structural(schema["additionalProperties"],
                                f"{path}.additionalProperties"))
    return errs
