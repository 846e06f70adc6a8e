"""Kubernetes failures classified from the API's ``Status`` (code, reason, details.causes).

Rules are data: the table maps (code, reason) to an error class. The only text looked at is
the marker the API server puts on a server-side apply whose object does not fit its schema
(a 500 whose message starts "failed to create typed patch object"): that is an invalid object,
not a server fault, so it must never be retried.
"""

from __future__ import annotations

import re
from typing import Any

from homestack.providers.errors import (
    AlreadyExistsError,
    ConflictError,
    ForbiddenError,
    ImmutableFieldError,
    InvalidError,
    NotFoundError,
    ProviderError,
    TransientError,
    error_class,
)

TYPED_PATCH_FAILURE = "failed to create typed patch object"
IMMUTABLE_CAUSE = "field is immutable"

_BY_REASON: dict[tuple[int, str], type[ProviderError]] = {
    (409, "Conflict"): ConflictError,
    (409, "AlreadyExists"): AlreadyExistsError,
    (422, "Invalid"): InvalidError,
    (403, "Forbidden"): ForbiddenError,
    (404, "NotFound"): NotFoundError,
}
_MANAGER = re.compile(r'conflict with "([^"]+)"')


def causes(status: dict[str, Any]) -> list[dict[str, Any]]:
    """``details.causes`` of a Status (each with ``reason``, ``message``, ``field``)."""
    details = status.get("details") or {}
    return [c for c in details.get("causes") or [] if isinstance(c, dict)]


def is_transient(status: dict[str, Any]) -> bool:
    """True when retrying the same request may succeed."""
    code = int(status.get("code") or 0)
    return error_class(code) is TransientError and not _typed_patch_failure(status)


def _typed_patch_failure(status: dict[str, Any]) -> bool:
    return int(status.get("code") or 0) == 500 and \
        str(status.get("message", "")).startswith(TYPED_PATCH_FAILURE)


def _typed_fields(status: dict[str, Any]) -> tuple[str, ...]:
    """The fields a typed-patch failure names (``.spec.replica: field not declared ...``, one
    per line after ``errors:`` when several), without the leading dot."""
    if not _typed_patch_failure(status):
        return ()
    text = str(status.get("message", "")).partition("): ")[2]
    return tuple(line.strip()[1:].partition(": ")[0] for line in text.splitlines()
                 if line.strip().startswith(".") and ": " in line)


def classify(status: dict[str, Any], subject: str) -> ProviderError:
    """The error a Status stands for, with the fields and managers its causes name."""
    code = int(status.get("code") or 0)
    reason = str(status.get("reason") or "")
    message = str(status.get("message") or reason or f"HTTP {code}")
    found = causes(status)
    fields = tuple(str(c["field"]) for c in found if c.get("field")) or _typed_fields(status)
    managers = tuple(sorted({m for c in found for m in _MANAGER.findall(str(c.get("message")))}))
    if _typed_patch_failure(status):
        cls: type[ProviderError] = InvalidError
    else:
        # The reason tells a field-manager conflict from an existing object; the rest is
        # the HTTP status every client reads alike.
        cls = _BY_REASON.get((code, reason)) or error_class(code)
    if cls is InvalidError and any(IMMUTABLE_CAUSE in str(c.get("message")) for c in found):
        cls = ImmutableFieldError
    return cls(f"API answered {code} {reason}: {message}".rstrip(), subject=subject,
               hint=_HINTS.get(cls), managers=managers, fields=fields)


_HINTS: dict[type[ProviderError], str] = {
    ConflictError: "Another field manager owns these fields: remove them from the Stack, mark "
                   "them owned_elsewhere, or take them back with force",
    InvalidError: "Fix the field named in the Stack; retrying cannot help",
    ImmutableFieldError: "The field cannot change in place: the object must be replaced",
    ForbiddenError: "The credentials in use may not do this; check the kubeconfig's RBAC",
    TransientError: "The API kept failing after every retry; try again later",
}
