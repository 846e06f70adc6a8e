"""Field paths and field sets in the FieldsV1 wire format of ``managedFields``.

A path is a tuple of path elements already spelled the way FieldsV1 spells them:
``f:name`` (struct field or map key), ``k:{"name":"app"}`` (associative-list item,
keys sorted), ``v:"x"`` (set-list item) and ``i:3`` (index, for completeness). A set
of paths is a plain Python ``set``; membership of a path means "this node is owned".
"""

from __future__ import annotations

import json
from typing import Any

Path = tuple[str, ...]
PathSet = set[Path]
Trie = dict[str, Any]

MEMBER = "."


def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def field(name: str) -> str:
    return "f:" + name


def key_element(keys: dict[str, Any]) -> str:
    return "k:" + _json(keys)


def value_element(value: Any) -> str:
    return "v:" + _json(value)


def index_element(index: int) -> str:
    return f"i:{index}"


def to_fields_v1(paths: PathSet) -> dict[str, Any]:
    """Serialise a set: members that also have children carry a ``".": {}`` marker."""
    root: dict[str, Any] = {}
    for path in paths:
        node = root
        for pe in path:
            node = node.setdefault(pe, {})
        if path:
            node[MEMBER] = True
    return _render(root)


def _render(node: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    children = sorted(k for k in node if k != MEMBER)
    if node.get(MEMBER) and children:
        out[MEMBER] = {}
    for key in children:
        out[key] = _render(node[key])
    return out


def from_fields_v1(doc: dict[str, Any], prefix: Path = ()) -> PathSet:
    out: PathSet = set()
    for key, sub in doc.items():
        if key == MEMBER:
            out.add(prefix)
            continue
        path = (*prefix, key)
        if not sub:
            out.add(path)
        else:
            out |= from_fields_v1(sub, path)
    return out


def trie(paths: PathSet) -> Trie:
    """Nested-dict index of a set, for walking it alongside a value."""
    root: Trie = {}
    for path in paths:
        node = root
        for pe in path:
            node = node.setdefault(pe, {})
        node[MEMBER] = True
    return root


def element_string(pe: str) -> str:
    """One element as structured-merge-diff prints it in conflict messages."""
    kind, _, rest = pe.partition(":")
    if kind == "f":
        return "." + rest
    if kind == "k":
        keys = json.loads(rest)
        return "[" + ",".join(f"{k}={_json(v)}" for k, v in sorted(keys.items())) + "]"
    if kind == "v":
        return "[=" + rest + "]"
    return "[" + rest + "]"


def path_string(path: Path) -> str:
    return "".join(element_string(pe) for pe in path)


def sort_key(path: Path) -> str:
    return path_string(path)
