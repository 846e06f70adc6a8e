"""Fields other controllers own after creation: declared on create, never afterwards.

Paths are dotted, with quoted map keys and list items selected by name:
``spec.replicas``, ``metadata.annotations["keel.sh/policy"]``,
``spec.template.spec.containers[app].image``.
"""

from __future__ import annotations

import re
from typing import Any

from homestack.model import copy_json

_TOKEN = re.compile(r'\["([^"]+)"\]|\[([^\]]+)\]|([^.\[\]]+)')


def parse_path(path: str) -> list[tuple[str, str]]:
    """``a.b["c"][x]`` → [("key","a"), ("key","b"), ("key","c"), ("item","x")]."""
    parts = []
    for quoted, item, plain in _TOKEN.findall(path):
        if quoted:
            parts.append(("key", quoted))
        elif item:
            parts.append(("item", item))
        else:
            parts.append(("key", plain))
    return parts


def without(body: dict[str, Any], paths: tuple[str, ...]) -> dict[str, Any]:
    """A copy of ``body`` without the fields at ``paths`` (missing paths are fine)."""
    if not paths:
        return body
    result = copy_json(body)
    for path in paths:
        _drop(result, parse_path(path))
    return result


def _drop(node: Any, parts: list[tuple[str, str]]) -> None:
    for index, (kind, name) in enumerate(parts):
        last = index == len(parts) - 1
        if kind == "key":
            if not isinstance(node, dict) or name not in node:
                return
            if last:
                del node[name]
                return
            node = node[name]
        else:
            if not isinstance(node, list):
                return
            match = next((i for i in node if isinstance(i, dict) and i.get("name") == name), None)
            if match is None:
                return
            if last:
                node.remove(match)
                return
            node = match


def live_segments(live: Any, path: str) -> tuple[str | int, ...] | None:
    """``path`` as keys and list indexes into ``live``; None when the field is absent."""
    segments: list[str | int] = []
    node = live
    for kind, name in parse_path(path):
        if kind == "key":
            if not isinstance(node, dict) or name not in node:
                return None
            segments.append(name)
            node = node[name]
        else:
            if not isinstance(node, list):
                return None
            index = next((i for i, item in enumerate(node)
                          if isinstance(item, dict) and item.get("name") == name), None)
            if index is None:
                return None
            segments.append(index)
            node = node[index]
    return tuple(segments)
