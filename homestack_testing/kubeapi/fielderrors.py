"""Field errors (``k8s.io/apimachinery/pkg/util/validation/field``) and the 422 Invalid
Status the real server builds from them.

One error renders as ``<field>: <type>: <value>: <detail>``; the Status message is
``<Kind>.<group> "<name>" is invalid: <error>`` (several errors in ``[a, b]``), and
``details.causes`` lists one ``{reason, message, field}`` per error.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import Enum
from typing import Any

from .errors import ApiError


class ErrorType(Enum):
    """field.ErrorType: the cause ``reason`` and the words the message starts with."""

    REQUIRED = ("FieldValueRequired", "Required value")
    INVALID = ("FieldValueInvalid", "Invalid value")
    NOT_SUPPORTED = ("FieldValueNotSupported", "Unsupported value")
    DUPLICATE = ("FieldValueDuplicate", "Duplicate value")
    FORBIDDEN = ("FieldValueForbidden", "Forbidden")
    TOO_LONG = ("FieldValueTooLong", "Too long")
    TYPE_INVALID = ("FieldValueTypeInvalid", "Invalid value")

    @property
    def reason(self) -> str:
        return self.value[0]

    @property
    def words(self) -> str:
        return self.value[1]


NO_VALUE: Any = object()


def go_value(value: Any) -> str:
    """A value the way the real messages print it (%#v for the common JSON shapes)."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if value is None:
        return "null"
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        inner = ", ".join(f"{json.dumps(k)}:{json.dumps(v)}" for k, v in sorted(value.items()))
        return "map[string]string{" + inner + "}"
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "[]string{" + ", ".join(json.dumps(v) for v in value) + "}"
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class FieldError:
    """One validation failure at one field path."""

    type: ErrorType
    field: str
    detail: str = ""
    value: Any = NO_VALUE

    def body(self) -> str:
        """The message without the field: what ``details.causes[].message`` carries."""
        out = self.type.words
        if self.value is not NO_VALUE and self.type in (
            ErrorType.INVALID, ErrorType.NOT_SUPPORTED, ErrorType.DUPLICATE,
            ErrorType.TYPE_INVALID,
        ):
            out += ": " + (self.value if isinstance(self.value, RawValue)
                           else go_value(self.value))
        if self.detail:
            out += ": " + self.detail
        return out

    def __str__(self) -> str:
        return f"{self.field}: {self.body()}"


class RawValue(str):
    """A value already rendered (e.g. ``core.PodTemplateSpec{...}``)."""

    __slots__ = ()


def required(path: str, detail: str = "") -> FieldError:
    return FieldError(ErrorType.REQUIRED, path, detail)


def invalid(path: str, value: Any, detail: str) -> FieldError:
    return FieldError(ErrorType.INVALID, path, detail, value)


def not_supported(path: str, value: Any, supported: list[str]) -> FieldError:
    detail = "supported values: " + ", ".join(json.dumps(s) for s in sorted(supported))
    return FieldError(ErrorType.NOT_SUPPORTED, path, detail, value)


def duplicate(path: str, value: Any) -> FieldError:
    return FieldError(ErrorType.DUPLICATE, path, "", value)


def forbidden(path: str, detail: str) -> FieldError:
    return FieldError(ErrorType.FORBIDDEN, path, detail)


def too_long(path: str, limit: int) -> FieldError:
    """The apiextensions (OpenAPI ``maxLength``) wording."""
    return FieldError(ErrorType.TOO_LONG, path, f"may not be longer than {limit}")


def too_long_bytes(path: str, limit: int) -> FieldError:
    """field.TooLong of the Go validation (annotations, ConfigMap and Secret sizes)."""
    unit = "byte" if limit == 1 else "bytes"
    return FieldError(ErrorType.TOO_LONG, path, f"may not be more than {limit} {unit}")


def invalid_status(kind: str, group: str, name: str, errs: list[FieldError]) -> ApiError:
    """422 Invalid for these errors (kube-apiserver's NewInvalid)."""
    qualified = f"{kind}.{group}" if group else kind
    text = str(errs[0]) if len(errs) == 1 else "[" + ", ".join(str(e) for e in errs) + "]"
    causes = [{"reason": e.type.reason, "message": e.body(), "field": e.field} for e in errs]
    return ApiError(422, "Invalid", f'{qualified} "{name}" is invalid: {text}',
                    causes=causes, kind=kind, group=group, name=name)
