"""Label selectors (``=``, ``==``, ``!=``, ``in``, ``notin``, ``key``, ``!key``) and
field selectors (``metadata.name``, ``metadata.namespace``, plus a few common ones)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .errors import bad_request

Predicate = Callable[[dict[str, Any]], bool]

_SET_RE = re.compile(r"^\s*([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)\s*$")
_CMP_RE = re.compile(r"^\s*([^\s!=]+)\s*(==|=|!=)\s*([^\s]*)\s*$")
_EXISTS_RE = re.compile(r"^\s*(!?)\s*([^\s!=(),]+)\s*$")


def _split(expr: str) -> list[str]:
    """Split on commas that are not inside parentheses."""
    parts, depth, cur = [], 0, ""
    for ch in expr:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur)
    return parts


def _requirement(term: str) -> Callable[[dict[str, str]], bool]:
    m = _SET_RE.match(term)
    if m:
        key, op = m.group(1), m.group(2)
        values = {v.strip() for v in m.group(3).split(",") if v.strip()}
        if op == "in":
            return lambda labels: labels.get(key) in values
        return lambda labels: labels.get(key) not in values
    m = _CMP_RE.match(term)
    if m:
        key, op, value = m.groups()
        if op == "!=":
            return lambda labels: labels.get(key) != value
        return lambda labels: labels.get(key) == value
    m = _EXISTS_RE.match(term)
    if m:
        neg, key = m.groups()
        if neg:
            return lambda labels: key not in labels
        return lambda labels: key in labels
    raise bad_request(f"unable to parse requirement: {term.strip()!r}")


def label_selector(expr: str | None) -> Predicate:
    if not expr:
        return lambda obj: True
    reqs = [_requirement(t) for t in _split(expr)]

    def match(obj: dict[str, Any]) -> bool:
        labels = (obj.get("metadata") or {}).get("labels") or {}
        return all(r(labels) for r in reqs)

    return match


def _field_value(obj: dict[str, Any], path: str) -> str:
    node: Any = obj
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return "" if node is None else str(node)


SUPPORTED_FIELDS = {"metadata.name", "metadata.namespace", "status.phase", "spec.nodeName",
                    "type", "spec.type"}


def field_selector(expr: str | None) -> Predicate:
    if not expr:
        return lambda obj: True
    checks: list[tuple[str, bool, str]] = []
    for term in _split(expr):
        m = _CMP_RE.match(term)
        if not m:
            raise bad_request(f"invalid field selector: {term.strip()!r}")
        key, op, value = m.groups()
        if key not in SUPPORTED_FIELDS:
            raise bad_request(f'field label not supported: {key}')
        checks.append((key, op != "!=", value))

    def match(obj: dict[str, Any]) -> bool:
        return all((_field_value(obj, k) == v) == eq for k, eq, v in checks)

    return match
