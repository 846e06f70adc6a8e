"""The JSON type name of a decoded value, as the API server's errors name it."""

from __future__ import annotations

from typing import Any


def json_type(value: Any) -> str:
    """``boolean``, ``integer``, ``number``, ``string``, ``object``, ``array`` or ``null``."""
    if isinstance(value, bool):  # before int: a bool is an int in Python
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    return "null"
