"""API errors, rendered as the ``Status`` objects the real server returns."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A failed request: HTTP code, Status reason, message and optional details."""

    def __init__(
        self,
        code: int,
        reason: str,
        message: str,
        *,
        causes: list[dict[str, Any]] | None = None,
        kind: str = "",
        group: str = "",
        name: str = "",
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.message = message
        self.causes = causes or []
        self.kind = kind
        self.group = group
        self.name = name
        self.headers = headers or {}

    def status(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
            "code": self.code,
        }
        if not self.reason:
            del out["reason"]  # StatusReasonUnknown: errors that are not API statuses
        details: dict[str, Any] = {}
        if self.name:
            details["name"] = self.name
        if self.group:
            details["group"] = self.group
        if self.kind:
            details["kind"] = self.kind
        if self.causes:
            details["causes"] = self.causes
        if details:
            out["details"] = details
        return out


class PageNotFound(ApiError):
    """A path no API serves (an unknown group or version, a typo): the real server's
    request mux answers a plain-text ``404 page not found``, not a Status."""

    def __init__(self) -> None:
        super().__init__(404, "", "404 page not found")


def _qualified(plural: str, group: str) -> str:
    return f"{plural}.{group}" if group else plural


def not_found(plural: str, group: str, name: str) -> ApiError:
    return ApiError(404, "NotFound", f'{_qualified(plural, group)} "{name}" not found',
                    kind=plural, group=group, name=name)


def already_exists(plural: str, group: str, name: str) -> ApiError:
    return ApiError(409, "AlreadyExists", f'{_qualified(plural, group)} "{name}" already exists',
                    kind=plural, group=group, name=name)


def conflict(plural: str, group: str, name: str, why: str) -> ApiError:
    return ApiError(
        409, "Conflict",
        f'Operation cannot be fulfilled on {_qualified(plural, group)} "{name}": {why}',
        kind=plural, group=group, name=name,
    )


def invalid(kind: str, group: str, name: str, field: str, why: str) -> ApiError:
    return ApiError(
        422, "Invalid", f'{_qualified(kind, group)} "{name}" is invalid: {field}: {why}',
        kind=kind, group=group, name=name,
        causes=[{"type": "FieldValueInvalid", "message": why, "field": field}],
    )


def forbidden(plural: str, group: str, name: str, why: str) -> ApiError:
    """403 Forbidden from admission (errors.NewForbidden)."""
    return ApiError(403, "Forbidden", f'{_qualified(plural, group)} "{name}" is forbidden: {why}',
                    kind=plural, group=group, name=name)


def bad_request(message: str) -> ApiError:
    return ApiError(400, "BadRequest", message)


def method_not_allowed(message: str) -> ApiError:
    return ApiError(405, "MethodNotAllowed", message)


def namespace_terminating(plural: str, group: str, name: str, ns: str) -> ApiError:
    """403: creating content in a namespace that is being deleted."""
    return ApiError(
        403, "Forbidden",
        f'{_qualified(plural, group)} "{name}" is forbidden: unable to create new content in '
        f"namespace {ns} because it is being terminated",
        kind=plural, group=group, name=name,
        causes=[{"reason": "NamespaceTerminating",
                 "message": f"namespace {ns} is being terminated",
                 "field": "metadata.namespace"}],
    )
