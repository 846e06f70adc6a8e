"""Which declared fields drifted in a live object, and which field manager changed them.

A field Homestack declares but another manager now owns was changed elsewhere (``kubectl edit``,
a controller); a field with a different value that nobody else owns was changed without
server-side apply bookkeeping. Both are drift; the manager name tells the owner where to look.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from homestack.providers.kubernetes.compare import FIELD_MANAGER, contains

Segment = str | int


@dataclass(frozen=True)
class DriftedField:
    """One declared field whose live value differs."""

    path: str
    managers: tuple[str, ...]

    @property
    def changed_elsewhere(self) -> bool:
        """True when a manager other than Homestack owns the field now."""
        return any(m != FIELD_MANAGER for m in self.managers)

    def __str__(self) -> str:
        owners = ", ".join(self.managers) or "no manager"
        return f"{self.path} (owned by {owners})"


def differing(live: Any, desired: Any, path: tuple[Segment, ...] = ()
              ) -> Iterator[tuple[Segment, ...]]:
    """Paths of ``desired`` whose value is missing or different in ``live``."""
    if isinstance(desired, dict) and isinstance(live, dict):
        for key, value in desired.items():
            if key not in live:
                yield (*path, key)
            else:
                yield from differing(live[key], value, (*path, key))
    elif isinstance(desired, list) and isinstance(live, list) and len(desired) == len(live):
        for index, (left, right) in enumerate(zip(live, desired, strict=True)):
            yield from differing(left, right, (*path, index))
    elif not contains(live, desired):
        yield path


def owners(live: dict[str, Any], path: tuple[Segment, ...]) -> tuple[str, ...]:
    """Field managers whose FieldsV1 set covers ``path`` (or the nearest owned parent)."""
    found = []
    for entry in live.get("metadata", {}).get("managedFields") or []:
        if _covers(entry.get("fieldsV1") or {}, live, path):
            found.append(str(entry.get("manager", "")))
    return tuple(sorted(set(found)))


def _covers(fields: dict[str, Any], obj: Any, path: tuple[Segment, ...]) -> bool:
    node = fields
    for segment in path:
        if isinstance(segment, str):
            key = f"f:{segment}"
            if key not in node:
                return False
            node, obj = node[key], obj.get(segment) if isinstance(obj, dict) else None
        else:
            item = obj[segment] if isinstance(obj, list) and segment < len(obj) else None
            item_key = _item_key(node, item, segment)
            if item_key is None:
                return False
            node, obj = node[item_key], item
        if not isinstance(node, dict):
            return True
    return True


def _item_key(node: dict[str, Any], item: Any, index: int) -> str | None:
    for key in node:
        if key.startswith("k:") and isinstance(item, dict):
            wanted = json.loads(key[2:])
            if all(str(item.get(k)) == str(v) for k, v in wanted.items()):
                return key
        elif key.startswith("v:") and json.loads(key[2:]) == item:
            return key
        elif key == f"i:{index}":
            return key
    return None


def format_path(path: tuple[Segment, ...], live: Any) -> str:
    """``.spec.template.spec.containers[web].env[MODE].value`` for a path."""
    text, obj = "", live
    for segment in path:
        if isinstance(segment, str):
            text += f".{segment}"
            obj = obj.get(segment) if isinstance(obj, dict) else None
        else:
            item = obj[segment] if isinstance(obj, list) and segment < len(obj) else None
            label = item.get("name") if isinstance(item, dict) and "name" in item else segment
            text += f"[{label}]"
            obj = item
    return text


def drifted_fields(live: dict[str, Any], desired: dict[str, Any]) -> list[DriftedField]:
    """Every declared field that drifted, with its current owners."""
    comparable = {k: v for k, v in desired.items() if k != "status"}
    return [DriftedField(format_path(p, live), owners(live, p))
            for p in differing(live, comparable)]
