"""Readable diffs between two object bodies, with Secret values masked.

A Secret's ``data``/``stringData`` never appear: the diff says ``<secret: N bytes changed>``.
"""

from __future__ import annotations

import difflib
from typing import Any

from homestack.model import yamlio

SECRET_FIELDS = ("data", "stringData")


def masked(body: dict[str, Any] | None) -> dict[str, Any] | None:
    """A copy of ``body`` where a Secret's values are replaced by their sizes."""
    if body is None or body.get("kind") != "Secret":
        return body
    copy = dict(body)
    for field in SECRET_FIELDS:
        values = body.get(field)
        if isinstance(values, dict):
            copy[field] = {key: f"<secret: {len(str(v))} bytes>" for key, v in values.items()}
    return copy


def _lines(body: dict[str, Any] | None) -> list[str]:
    if body is None:
        return []
    text = yamlio.dump(body)
    return text.splitlines(keepends=True)


def unified(address: str, before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    """Unified YAML diff of ``before`` → ``after`` (either may be None), secrets masked."""
    old, new = masked(before), masked(after)
    if before is not None and after is not None and before.get("kind") == "Secret":
        changed = sum(
            1 for f in SECRET_FIELDS for key in set(before.get(f) or {}) | set(after.get(f) or {})
            if (before.get(f) or {}).get(key) != (after.get(f) or {}).get(key)
        )
        if changed and old == new:
            return f"<secret: {changed} values changed>\n"
    lines = difflib.unified_diff(_lines(old), _lines(new), f"{address} (live)",
                                 f"{address} (desired)", n=3)
    return "".join(lines)
