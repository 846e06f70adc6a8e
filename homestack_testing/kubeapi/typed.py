"""Schema-aware operations on JSON values, modelled on structured-merge-diff:
field sets of a value, apply-merge of two values, removal of a set of fields, and the
comparison (added / modified / removed) that decides ownership on updates.
"""

from __future__ import annotations

import copy
from typing import Any

from .fieldset import (
    MEMBER,
    Path,
    PathSet,
    Trie,
    field,
    index_element,
    key_element,
    value_element,
)
from .schema import KEY_DEFAULTS, SCALAR, TypeNode

MISSING: Any = object()


def _shape(node: TypeNode, value: Any) -> TypeNode:
    """Deduced nodes take their shape from the value: maps granular, lists atomic."""
    if node.kind != "any":
        return node
    if isinstance(value, dict):
        return ANY_MAP
    return SCALAR


ANY_MAP = TypeNode("map")  # children resolve to ANY


def _is_leaf(node: TypeNode, value: Any) -> bool:
    if value is None or value is MISSING:
        return True
    if node.kind == "map":
        return node.atomic or not isinstance(value, dict)
    if node.kind == "list":
        return node.list_type == "atomic" or not isinstance(value, list)
    return True


def item_element(node: TypeNode, item: Any, index: int) -> str:
    if node.list_type == "map" and isinstance(item, dict):
        keys = {}
        for k in node.keys:
            if k in item:
                keys[k] = item[k]
            elif k in KEY_DEFAULTS:
                keys[k] = KEY_DEFAULTS[k]
        return key_element(keys)
    if node.list_type == "set":
        return value_element(item)
    return index_element(index)


def _index(node: TypeNode, items: list[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for i, item in enumerate(items):
        out.setdefault(item_element(node, item, i), item)
    return out


# -- field set ------------------------------------------------------------------


def to_set(node: TypeNode, value: Any, path: Path = ()) -> PathSet:
    """The set a configuration claims: leaves, list items and non-struct map keys."""
    out: PathSet = set()
    _to_set(node, value, path, out)
    return out


def _to_set(node: TypeNode, value: Any, path: Path, out: PathSet) -> None:
    node = _shape(node, value)
    if _is_leaf(node, value):
        out.add(path)
        return
    if node.kind == "map":
        for key, sub in value.items():
            p = (*path, field(key))
            _to_set(node.child(key), sub, p, out)
            if sub is None or sub == {} or not node.has_field(key):
                out.add(p)
        return
    item = node.item()
    for pe, sub in _index(node, value).items():
        p = (*path, pe)
        _to_set(item, sub, p, out)
        out.add(p)


def all_nodes(node: TypeNode, value: Any, path: Path = ()) -> PathSet:
    """Every node path of a value, structs included (used to spot defaulted fields)."""
    out: PathSet = {path}
    node = _shape(node, value)
    if _is_leaf(node, value):
        return out
    if node.kind == "map":
        for key, sub in value.items():
            out |= all_nodes(node.child(key), sub, (*path, field(key)))
    else:
        item = node.item()
        for pe, sub in _index(node, value).items():
            out |= all_nodes(item, sub, (*path, pe))
    return out


# -- merge ----------------------------------------------------------------------


def merge(node: TypeNode, lhs: Any, rhs: Any) -> Any:
    """Apply-merge rhs (a configuration) onto lhs (the live value)."""
    if lhs is MISSING or lhs is None:
        return copy.deepcopy(rhs)
    node = _shape(node, rhs)
    if _is_leaf(node, rhs) or type(lhs) is not type(rhs):
        return copy.deepcopy(rhs)
    if node.kind == "map":
        out = dict(lhs)
        for key, sub in rhs.items():
            out[key] = merge(node.child(key), lhs.get(key, MISSING), sub)
        return out
    item = node.item()
    left, right = _index(node, lhs), _index(node, rhs)
    merged = {pe: merge(item, left.get(pe, MISSING), sub) for pe, sub in right.items()}
    return _ordered(list(left), list(right), left, merged)


def _ordered(
    lorder: list[str], rorder: list[str], left: dict[str, Any], merged: dict[str, Any]
) -> list[Any]:
    """Configuration order for applied items; live-only items stay where they were."""
    out: list[Any] = []
    done: set[str] = set()
    queue = list(rorder)
    for pe in lorder:
        if pe not in merged:
            out.append(left[pe])
            continue
        while queue:
            nxt = queue.pop(0)
            if nxt not in done:
                out.append(merged[nxt])
                done.add(nxt)
            if nxt == pe:
                break
    out.extend(merged[pe] for pe in queue if pe not in done)
    return out


# -- removal --------------------------------------------------------------------


def remove(node: TypeNode, value: Any, paths: Trie) -> Any:
    """A copy of value without the member paths of the trie (whole subtrees)."""
    node = _shape(node, value)
    if _is_leaf(node, value):
        return value
    if node.kind == "map":
        out: dict[str, Any] = {}
        for key, sub in value.items():
            branch = paths.get(field(key))
            if branch is None:
                out[key] = sub
            elif branch.get(MEMBER):
                continue
            else:
                kept = remove(node.child(key), sub, branch)
                if kept not in ({}, []) or sub in ({}, []):
                    out[key] = kept
        return out
    item = node.item()
    items: list[Any] = []
    for i, sub in enumerate(value):
        branch = paths.get(item_element(node, sub, i))
        if branch is None:
            items.append(sub)
        elif not branch.get(MEMBER):
            items.append(remove(item, sub, branch))
    return items


# -- comparison -----------------------------------------------------------------


class Comparison:
    def __init__(self) -> None:
        self.added: PathSet = set()
        self.modified: PathSet = set()
        self.removed: PathSet = set()

    def changed(self) -> PathSet:
        return self.added | self.modified


def compare(node: TypeNode, lhs: Any, rhs: Any) -> Comparison:
    out = Comparison()
    _compare(node, lhs, rhs, (), out)
    return out


def _rule(lhs: Any, rhs: Any, path: Path, out: Comparison) -> None:
    if lhs is MISSING:
        out.added.add(path)
    elif rhs is MISSING:
        out.removed.add(path)
    elif lhs != rhs:
        out.modified.add(path)


def _compare(node: TypeNode, lhs: Any, rhs: Any, path: Path, out: Comparison) -> None:
    node = _shape(node, rhs if rhs is not MISSING else lhs)
    empty = lhs in (MISSING, None, {}, []) and rhs in (MISSING, None, {}, [])
    if (
        empty
        or (lhs is not MISSING and _is_leaf(node, lhs))
        or (rhs is not MISSING and _is_leaf(node, rhs))
        or (lhs is not MISSING and rhs is not MISSING and type(lhs) is not type(rhs))
    ):
        _rule(lhs, rhs, path, out)
        return
    if node.kind == "map":
        left = lhs if lhs is not MISSING else {}
        right = rhs if rhs is not MISSING else {}
        for key in {*left, *right}:
            _compare(
                node.child(key), left.get(key, MISSING), right.get(key, MISSING),
                (*path, field(key)), out,
            )
    else:
        item = node.item()
        left = _index(node, lhs if lhs is not MISSING else [])
        right = _index(node, rhs if rhs is not MISSING else [])
        for pe in {*left, *right}:
            _compare(item, left.get(pe, MISSING), right.get(pe, MISSING), (*path, pe), out)
    if lhs is MISSING:
        out.added.add(path)
    elif rhs is MISSING:
        out.removed.add(path)
