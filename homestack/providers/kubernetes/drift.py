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


_SHOWN = 40  # characters of a value shown in a drift summary


@dataclass(frozen=True)
class DriftedField:
    """One declared field whose live value differs: its declared and live values (empty
    when they must not be shown, as in a Secret) and who owns it now."""

    path: str
    managers: tuple[str, ...]
    declared: str = ""
    live: str = ""

    @property
    def changed_elsewhere(self) -> bool:
        """True when a manager other than Homestack owns the field now."""
        return any(m != FIELD_MANAGER for m in self.managers)

    @property
    def ownership(self) -> str:
        """``.spec.replicas (owned by kubectl-edit)``."""
        return f"{self.path} (owned by {', '.join(self.managers) or 'no manager'})"

    def __str__(self) -> str:
        """``.spec.replicas 1 → 3 by kubectl-patch``: declared, live and who changed it."""
        values = f" {self.declared} → {self.live}" if self.declared or self.live else ""
        return f"{self.path}{values} by {', '.join(self.managers) or 'no field manager'}"


def _shown(value: Any) -> str:
    text = "(absent)" if value is _ABSENT else json.dumps(value, sort_keys=True)
    return text if len(text) <= _SHOWN else text[:_SHOWN - 1] + "…"


_ABSENT = object()


def value_at(obj: Any, path: tuple[Segment, ...]) -> Any:
    """The value at ``path``, or ``_ABSENT``."""
    for segment in path:
        if isinstance(segment, str) and isinstance(obj, dict) and segment in obj:
            obj = obj[segment]
        elif isinstance(segment, int) and isinstance(obj, list) and segment < len(obj):
            obj = obj[segment]
        else:
            return _ABSENT
    return obj


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
    """Every declared field that drifted, with its values and current owners (a Secret's
    values are never shown)."""
    comparable = {k: v for k, v in desired.items() if k != "status"}
    secret = live.get("kind") == "Secret"
    return [DriftedField(format_path(p, live), owners(live, p),
                         "" if secret else _shown(value_at(desired, p)),
                         "" if secret else _shown(value_at(live, p)))
            for p in differing(live, comparable)]


def masked(live: Any, shape: Any) -> Any:
    """``live`` cut to what ``shape`` (the declared body) declares, for diffs people read.

    Server defaults and other managers' fields outside the declared ones stay out, as apply
    leaves them alone: a map keeps its declared keys. Items of a list of named objects
    (containers, env, volumes, ports) are matched by name, and a live item that is not
    declared stays in: an env var or a volume another manager added to a declared list shows.
    """
    if isinstance(shape, dict) and isinstance(live, dict):
        return {key: masked(live[key], value) for key, value in shape.items() if key in live}
    if isinstance(shape, list) and isinstance(live, list):
        if shape and all(isinstance(i, dict) and "name" in i for i in (*shape, *live)):
            declared = {item["name"]: item for item in shape}
            return [masked(item, declared[item["name"]]) if item["name"] in declared else item
                    for item in live]
        if len(shape) == len(live):
            return [masked(item, declared_item) for item, declared_item in zip(live, shape,
                                                                                  strict=True)]
    return live


def _named_list(items: Any) -> bool:
    return isinstance(items, list) and bool(items) and all(
        isinstance(item, dict) and "name" in item for item in items)


def foreign_additions(live: dict[str, Any], desired: dict[str, Any],
                      path: tuple[Segment, ...] = ()) -> list[str]:
    """Items another field manager added to a declared list of named objects (an env var, a
    volume, a container): ``.spec...env[DEBUG] added by kubectl-set-env``. Apply keeps them
    (server-side apply only removes what Homestack owned), so they are drift to report, not
    changes to plan."""
    found: list[str] = []

    def walk(live_node: Any, shape: Any, at: tuple[Segment, ...]) -> None:
        if isinstance(shape, dict) and isinstance(live_node, dict):
            for key, value in shape.items():
                if key in live_node and key != "status":
                    walk(live_node[key], value, (*at, key))
        elif _named_list(shape) and isinstance(live_node, list):
            declared = {item["name"]: item for item in shape}
            for index, item in enumerate(live_node):
                if not isinstance(item, dict) or "name" not in item:
                    continue
                if item["name"] in declared:
                    walk(item, declared[item["name"]], (*at, index))
                    continue
                managers = tuple(m for m in owners(live, (*at, index)) if m != FIELD_MANAGER)
                if managers:
                    found.append(f"{format_path((*at, index), live)} added by "
                                 f"{', '.join(managers)}")

    walk(live, desired, path)
    return found
