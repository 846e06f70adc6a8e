"""The checks every write of a built-in kind passes, in the real server's order and
with its answers:

1. decoding the request (``decode_body``): a value of the wrong type → 400 BadRequest
   "cannot be handled as a <Kind>"; an unknown field → 400 under
   ``fieldValidation=Strict``, a ``Warning`` header under ``Warn`` (the default),
   silently dropped under ``Ignore``; for server-side apply, wrong types, unknown
   fields and duplicate list keys are the 500 "failed to create typed patch object";
2. validation of the defaulted object (``validate``): canonical quantities and
   dropped empty maps/lists, ObjectMeta, required fields, enumerations, unique keys,
   per-kind rules and, on update, immutable fields → 422 Invalid with
   ``details.causes``;
3. admission of deletes (``admit_delete``): NamespaceLifecycle's immortal namespaces.
"""

from __future__ import annotations

import copy
from typing import Any

from . import crschema, kindrules, objectmeta
from .errors import ApiError, bad_request, forbidden
from .fielderrors import invalid_status
from .kinds import ResourceKind
from .validation import decode, finish, root_for

Obj = dict[str, Any]
IMMORTAL_NAMESPACES = ("default", "kube-system", "kube-public")


def _gvk(rk: ResourceKind) -> str:
    return f"{rk.group}/{rk.version}, Kind={rk.kind}"


def decode_body(rk: ResourceKind, body: Obj, mode: str, apply: bool,
                warnings: list[str]) -> None:
    """Check (and clean) a request body; raise its ApiError."""
    if rk.is_custom:
        _decode_custom(rk, body, mode, warnings)
        return
    root = root_for(rk.group, rk.version, rk.kind)
    if root is None:
        return
    found = decode(root, body)
    if apply:
        msgs = [smd for _, smd in found.type_errors]
        msgs += [f"{smd}: field not declared in schema" for _, smd in found.unknown]
        msgs += found.duplicates
        if msgs:
            text = msgs[0] if len(msgs) == 1 else "\n".join(["errors:"] + [f"  {m}"
                                                                          for m in msgs])
            raise ApiError(500, "", f"failed to create typed patch object ({_gvk(rk)}): {text}")
    prefix = f'{rk.kind} in version "{rk.version}" cannot be handled as a {rk.kind}: '
    if found.type_errors and not apply:
        raise bad_request(prefix + found.type_errors[0][0])
    if found.malformed:
        raise bad_request(prefix + found.malformed[0])
    if found.unknown and not apply:
        listed = [f'unknown field "{path}"' for path, _ in found.unknown]
        if mode == "Strict":
            raise bad_request(prefix + "strict decoding error: " + ", ".join(listed))
        if mode == "Warn":
            warnings.extend(listed)


def validate(rk: ResourceKind, new: Obj, old: Obj | None, warnings: list[str]) -> None:
    """Canonicalise new in place and raise 422 Invalid if the real server would."""
    if rk.is_custom:
        _validate_custom(rk, new)
        return
    root = root_for(rk.group, rk.version, rk.kind)
    errs = objectmeta.validate(rk.group, rk.kind, new, rk.namespaced)
    if root is not None:
        found = finish(root, new)
        errs += found.errors
        warnings.extend(found.warnings)
    errs += kindrules.on_write(rk.group, rk.kind, new, old)
    if old is not None:
        errs += kindrules.on_update(rk.group, rk.kind, new, old)
    if errs:
        name = (new.get("metadata") or {}).get("name", "")
        raise invalid_status(rk.kind, rk.group, name, errs)


def admit_delete(rk: ResourceKind, name: str) -> None:
    """NamespaceLifecycle: the namespaces a cluster cannot do without are never deleted
    (403 before the object is even looked up)."""
    if rk.kind == "Namespace" and not rk.group and name in IMMORTAL_NAMESPACES:
        raise forbidden(rk.plural, rk.group, name, "this namespace may not be deleted")


def _decode_custom(rk: ResourceKind, body: Obj, mode: str, warnings: list[str]) -> None:
    """Custom resources: unknown fields are pruned (reported per fieldValidation)."""
    if not rk.crd_schema:
        return
    pruned = crschema.decode(rk.crd_schema, copy.deepcopy(body))
    listed = [f'unknown field "{path}"' for path in pruned]
    if listed and mode == "Strict":
        raise bad_request("strict decoding error: " + ", ".join(listed))
    if mode == "Warn":
        warnings.extend(listed)


def _validate_custom(rk: ResourceKind, new: Obj) -> None:
    errs = objectmeta.validate(rk.group, rk.kind, new, rk.namespaced, custom=True)
    if rk.crd_schema:
        crschema.decode(rk.crd_schema, new)  # prune and default the stored object
        errs += crschema.validate(rk.crd_schema, new)
    if errs:
        name = (new.get("metadata") or {}).get("name", "")
        raise invalid_status(rk.kind, rk.group, name, errs)
