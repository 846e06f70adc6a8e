"""Does a live object already hold what Homestack declares? Decided from the live object alone.

Two checks, no request:

1. every declared value is present in the live object (maps by key; lists item by item, or any
   live item that contains the declared one, since other managers may add items), compared
   on canonical values as the API server stores them: quantities by amount (``0.5`` is
   ``500m``), an empty map or list the same as none;
2. every field the ``homestack`` manager owns (its ``managedFields`` FieldsV1 set) is still
   declared; otherwise the next apply removes it, which is a change.

Objects that fail either check are confirmed by a server-side dry-run before they are reported,
so the heuristic can only cost a request, never a wrong plan.
"""

from __future__ import annotations

import json
from typing import Any

from homestack.model.annotations import FIELD_MANAGER as FIELD_MANAGER
from homestack.model.volatile import without_volatile
from homestack.providers.kubernetes.quantity import canonical


def contains(live: Any, desired: Any, owned: dict[str, Any] | None = None) -> bool:
    """True when every value of ``desired`` is present in ``live``.

    ``owned`` is the FieldsV1 set Homestack owns at this level, when known: a zero value it
    applied (``false``, ``0``, ``""``) is absent from ``live`` when the field is ``omitempty``,
    as a PriorityClass's ``globalDefault: false`` is, and still counts as present.
    """
    if isinstance(desired, dict):
        if not isinstance(live, dict):
            return False
        return all(_holds(live, key, value, owned) for key, value in desired.items())
    if isinstance(desired, list):
        if not isinstance(live, list):
            return False
        if len(live) == len(desired) and all(
                contains(a, b, _owned_item(owned, b)) for a, b in zip(live, desired,
                                                                      strict=True)):
            return True
        return all(any(contains(item, wanted, _owned_item(owned, wanted)) for item in live)
                   for wanted in desired)
    return bool(live == desired) or _same_number(live, desired)


def _holds(live: dict[str, Any], key: str, value: Any, owned: dict[str, Any] | None) -> bool:
    child = None if owned is None else owned.get(f"f:{key}")
    if key in live:
        return contains(live[key], value, child)
    # An empty map or list is not stored at all (``omitempty``), nor a zero value we applied.
    return value in ({}, []) or (child is not None and _zero(value))


def _zero(value: Any) -> bool:
    return value is False or value == "" or (type(value) is int and value == 0)


def _owned_item(owned: dict[str, Any] | None, item: Any) -> dict[str, Any] | None:
    """The owned subtree of a list item, found by its keys (``k:{"name":"web"}``)."""
    if not owned or not isinstance(item, dict):
        return None
    for key, child in owned.items():
        if key.startswith("k:") and isinstance(child, dict) and all(
                _same(item.get(k), v) for k, v in json.loads(key[2:]).items()):
            return child
    return None


def _same_number(live: Any, desired: Any) -> bool:
    # The API server answers "1" for a declared 1 in some int-or-string fields and vice versa.
    return str(live) == str(desired) and isinstance(live, int | str) \
        and isinstance(desired, int | str)


def owned_fields(live: dict[str, Any], manager: str = FIELD_MANAGER) -> dict[str, Any]:
    """The FieldsV1 set that ``manager`` owns through Apply, merged over its entries."""
    owned: dict[str, Any] = {}
    for entry in live.get("metadata", {}).get("managedFields") or []:
        if entry.get("manager") == manager and entry.get("operation") == "Apply":
            _merge(owned, entry.get("fieldsV1") or {})
    return owned


def _merge(into: dict[str, Any], other: dict[str, Any]) -> None:
    for key, value in other.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


def declares_all_owned(desired: Any, fields: dict[str, Any]) -> bool:
    """True when every field in the FieldsV1 set ``fields`` is still present in ``desired``."""
    for key, child in fields.items():
        if key == ".":
            continue
        kind, _, name = key.partition(":")
        if kind == "f":
            if not isinstance(desired, dict) or name not in desired:
                return False
            if child and not declares_all_owned(desired[name], child):
                return False
        elif kind == "k":
            match = _keyed_item(desired, json.loads(name))
            if match is None or (child and not declares_all_owned(match, child)):
                return False
        elif kind == "v":
            if not isinstance(desired, list) or json.loads(name) not in desired:
                return False
        elif kind == "i":
            index = int(name)
            if not isinstance(desired, list) or index >= len(desired):
                return False
    return True


def _keyed_item(items: Any, keys: dict[str, Any]) -> Any:
    if not isinstance(items, list):
        return None
    for item in items:
        if isinstance(item, dict) and all(_same(item.get(k), v) for k, v in keys.items()):
            return item
    return None


def _same(left: Any, right: Any) -> bool:
    return bool(left == right) or (left is None and right in ("TCP",)) or _same_number(left,
                                                                                       right)


def in_sync(live: dict[str, Any], desired: dict[str, Any]) -> bool:
    """True when applying ``desired`` would leave ``live`` as it is (see module docstring)."""
    owned = owned_fields(live)
    if not contains(canonical(without_volatile(live)), canonical(without_volatile(desired)),
                    owned):
        return False
    return declares_all_owned(desired, owned)


def same_after_dry_run(live: dict[str, Any], dry: dict[str, Any]) -> bool:
    """True when a dry-run apply result equals the live object (volatile fields aside)."""
    return without_volatile(live) == without_volatile(dry)
