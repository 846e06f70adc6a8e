"""Request options (``CreateOptions``, ``UpdateOptions``, ``PatchOptions``,
``DeleteOptions``) as the real handlers decode and validate them, before they look at
the body or the stored object: a bad value is 422 Invalid on the options kind (group
``meta.k8s.io``, no name) with the query parameter as the cause field, e.g.
``CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Server"}:
supported values: "All"``.

DeleteOptions come from the body when there is one (the query is then ignored), else
from the query, as in the real delete handler.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .errors import bad_request
from .fielderrors import (
    FieldError,
    forbidden,
    invalid,
    invalid_status,
    not_supported,
    required,
    too_long_bytes,
)

Query = dict[str, list[str]]
META_GROUP = "meta.k8s.io"
DRY_RUN = ("All",)
FIELD_VALIDATION = ("", "Ignore", "Strict", "Warn")
PROPAGATION = ("Background", "Foreground", "Orphan")
FIELD_MANAGER_MAX = 128
APPLY = "application/apply-patch+yaml"
# The options kind each write verb decodes.
OPTIONS_KIND = {"create": "CreateOptions", "update": "UpdateOptions", "patch": "PatchOptions"}


def _last(query: Query, key: str) -> str | None:
    values = query.get(key)
    return values[-1] if values else None


def _dry_run(values: list[str]) -> list[FieldError]:
    if all(v in DRY_RUN for v in values):
        return []
    return [not_supported("dryRun", values, list(DRY_RUN))]


def _field_manager(manager: str) -> list[FieldError]:
    out = []
    if len(manager) > FIELD_MANAGER_MAX:
        out.append(too_long_bytes("fieldManager", FIELD_MANAGER_MAX))
    for i, char in enumerate(manager):
        if not char.isprintable():
            out.append(invalid("fieldManager", manager,
                               f"invalid character U+{ord(char):04X} (at position {i})"))
    return out


def check_write(verb: str, query: Query, patch_type: str = "") -> None:
    """Validate the options of a create, update or patch (422 on the options kind)."""
    kind = OPTIONS_KIND.get(verb)
    if kind is None:
        return
    errs: list[FieldError] = []
    manager = _last(query, "fieldManager") or ""
    if verb == "patch":
        if patch_type == APPLY:
            if not manager:
                errs.append(required("fieldManager", "is required for apply patch"))
        elif "force" in query:
            errs.append(forbidden("force", "may not be specified for non-apply patch"))
    errs += _field_manager(manager)
    errs += _dry_run(query.get("dryRun") or [])
    mode = _last(query, "fieldValidation") or ""
    if mode not in FIELD_VALIDATION:
        errs.append(not_supported("fieldValidation", mode, list(FIELD_VALIDATION)))
    if errs:
        raise invalid_status(kind, META_GROUP, "", errs)


def field_validation(query: Query) -> str:
    """The fieldValidation mode of a request whose options passed ``check_write``."""
    return _last(query, "fieldValidation") or "Warn"


def dry_run(query: Query) -> bool:
    return "All" in (query.get("dryRun") or [])


@dataclass
class DeleteOptions:
    """What a DELETE asked for."""

    propagation: str = "Background"
    dry_run: bool = False
    uid: str | None = None
    resource_version: str | None = None


def delete_options(body: bytes, query: Query) -> DeleteOptions:
    """The DeleteOptions of a request (body first, else query), validated."""
    raw: dict[str, Any]
    if body.strip():
        try:
            raw = json.loads(body)
        except ValueError as exc:
            raise bad_request(f"invalid DeleteOptions body: {exc}") from exc
        if not isinstance(raw, dict):
            raise bad_request("decoded object cannot be converted to DeleteOptions")
    else:
        raw = {k: v for k, v in ((k, _last(query, k)) for k in
                                 ("propagationPolicy", "orphanDependents")) if v is not None}
        if query.get("dryRun"):
            raw["dryRun"] = query["dryRun"]
    errs: list[FieldError] = []
    policy = raw.get("propagationPolicy")
    if raw.get("orphanDependents") is not None and policy is not None:
        errs.append(invalid("propagationPolicy", policy,
                            "orphanDependents and deletionPropagation cannot be both set"))
    if policy is not None and policy not in PROPAGATION:
        errs.append(not_supported("propagationPolicy", policy, [*PROPAGATION, "nil"]))
    dry = [str(v) for v in raw.get("dryRun") or []]
    errs += _dry_run(dry)
    if errs:
        raise invalid_status("DeleteOptions", META_GROUP, "", errs)
    orphan = raw.get("orphanDependents") in (True, "true")
    pre = raw.get("preconditions") or {}
    return DeleteOptions(
        propagation=policy or ("Orphan" if orphan else "Background"),
        dry_run="All" in dry,
        uid=pre.get("uid") if isinstance(pre, dict) else None,
        resource_version=pre.get("resourceVersion") if isinstance(pre, dict) else None,
    )
