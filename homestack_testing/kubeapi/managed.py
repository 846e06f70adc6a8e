"""Field ownership (``metadata.managedFields``) for apply and update operations,
following the structured-merge-diff algorithm the real API server uses.

* Apply: merge the configuration into the live object, drop fields the applier
  declared last time but not now (unless another applier owns them), then check that
  no field owned by another manager changes value (else 409, unless forced, which
  moves the fields to the applier).
* Update (create/PUT/merge patches): the manager owns what it changed; other managers
  lose the fields it changed or removed. Never a conflict.

Defaults are owned by the updater whose request they completed; appliers never own
what they did not declare. Values the registry allocates (cluster IPs, node ports) and
finalizers added by admission are owned by nobody.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from .errors import ApiError
from .fieldset import (
    Path,
    PathSet,
    from_fields_v1,
    path_string,
    sort_key,
    to_fields_v1,
    trie,
)
from .schema import TypeNode
from .typed import MISSING, all_nodes, compare, merge, remove, to_set

# Fields the server sets itself; the real field manager strips them from every set.
STRIPPED: frozenset[Path] = frozenset(
    {("f:apiVersion",), ("f:kind",), ("f:metadata",)}
    | {
        ("f:metadata", "f:" + name)
        for name in (
            "name", "namespace", "creationTimestamp", "selfLink", "uid", "generation",
            "managedFields", "resourceVersion", "deletionTimestamp",
            "deletionGracePeriodSeconds",
        )
    }
)


@dataclass
class Entry:
    manager: str
    operation: str
    api_version: str
    time: str
    paths: PathSet = field(default_factory=set)
    subresource: str = ""

    @property
    def ident(self) -> tuple[str, str, str]:
        return (self.manager, self.operation, self.subresource)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "manager": self.manager,
            "operation": self.operation,
            "apiVersion": self.api_version,
            "time": self.time,
            "fieldsType": "FieldsV1",
            "fieldsV1": to_fields_v1(self.paths),
        }
        if self.subresource:
            out["subresource"] = self.subresource
        return out


def read_entries(obj: dict[str, Any] | None) -> list[Entry]:
    if not obj:
        return []
    out = []
    for raw in (obj.get("metadata") or {}).get("managedFields") or []:
        if not raw or (not raw.get("manager") and not raw.get("fieldsV1")):
            continue
        out.append(Entry(
            manager=raw.get("manager", ""),
            operation=raw.get("operation", "Update"),
            api_version=raw.get("apiVersion", ""),
            time=raw.get("time", ""),
            paths=from_fields_v1(raw.get("fieldsV1") or {}),
            subresource=raw.get("subresource", ""),
        ))
    return out


def write_entries(obj: dict[str, Any], entries: list[Entry]) -> None:
    meta = obj.setdefault("metadata", {})
    if entries:
        meta["managedFields"] = [e.to_json() for e in entries]
    else:
        meta.pop("managedFields", None)


def _scope(paths: PathSet, subresource: str, has_status: bool) -> PathSet:
    """Drop server-set fields, and status (main resource) or all but status (/status);
    a /scale write touches only .spec.replicas."""
    out = {p for p in paths if p and p not in STRIPPED}
    if subresource == "status":
        return {p for p in out if p[0] == "f:status"}
    if subresource == "scale":
        return {p for p in out if p[:2] == ("f:spec", "f:replicas")}
    if has_status:
        return {p for p in out if p[0] != "f:status"}
    return out


def _describe(entry: Entry) -> str:
    who = f'"{entry.manager}"'
    if entry.subresource:
        who += f' with subresource "{entry.subresource}"'
    if entry.operation == "Update":
        who += f" using {entry.api_version}"
    return who


def conflict_error(conflicts: list[tuple[Entry, Path]]) -> ApiError:
    conflicts.sort(key=lambda c: (c[0].manager, sort_key(c[1])))
    causes = [
        {"reason": "FieldManagerConflict", "message": f"conflict with {_describe(e)}",
         "field": path_string(p)}
        for e, p in conflicts
    ]
    if len(conflicts) == 1:
        entry, path = conflicts[0]
        msg = f"Apply failed with 1 conflict: conflict with {_describe(entry)}: {path_string(path)}"
    else:
        lines: list[str] = []
        for who in sorted({_describe(e) for e, _ in conflicts}):
            lines.append(f"conflicts with {who}:")
            lines.extend(f"- {path_string(p)}" for e, p in conflicts if _describe(e) == who)
        msg = f"Apply failed with {len(conflicts)} conflicts: " + "\n".join(lines)
    return ApiError(409, "Conflict", msg, causes=causes)


class Ownership:
    """Ownership bookkeeping for one write to one object."""

    def __init__(self, root: TypeNode, has_status: bool, subresource: str, now: str) -> None:
        self.root = root
        self.has_status = has_status
        self.subresource = subresource
        self.now = now

    def _settle(
        self, entries: list[Entry], me: tuple[str, str, str], live: Any, new: Any,
        force: bool, exclude: PathSet,
    ) -> list[Entry]:
        """Take changed fields away from other managers; 409 if not forced."""
        cmp = compare(self.root, live, new)
        changed = _scope(cmp.changed(), self.subresource, self.has_status) - exclude
        removed = cmp.removed
        conflicts = [
            (e, p) for e in entries if e.ident != me for p in e.paths & changed
        ]
        if conflicts and not force:
            raise conflict_error(conflicts)
        out = []
        for e in entries:
            if e.ident != me:
                kept = e.paths - changed - removed
                if kept != e.paths:
                    e = Entry(e.manager, e.operation, e.api_version, self.now, kept,
                              e.subresource)
            if e.paths:
                out.append(e)
        return out

    def apply(
        self, live: dict[str, Any] | None, config: dict[str, Any], manager: str,
        api_version: str, force: bool,
    ) -> tuple[dict[str, Any], list[Entry]]:
        """Merge config into live; returns the new object (not yet defaulted) and entries."""
        base: dict[str, Any] = copy.deepcopy(live) if live else {}
        entries = read_entries(base)
        base.get("metadata", {}).pop("managedFields", None)
        cfg = copy.deepcopy(config)
        cfg.get("metadata", {}).pop("managedFields", None)
        me = (manager, "Apply", self.subresource)
        merged = merge(self.root, base, cfg)
        new_set = _scope(to_set(self.root, cfg), self.subresource, self.has_status)
        last = next((e for e in entries if e.ident == me), None)
        if last is not None:
            # Fields this applier stops declaring go, unless another manager (applier or
            # updater) owns them too: SMD prunes, then adds back what others own.
            kept = set(new_set)
            for e in entries:
                if e.ident != me:
                    kept |= e.paths
            stale = (to_set(self.root, merged) & last.paths) - kept
            if stale:
                merged = remove(self.root, merged, trie(stale))
        time = self.now if last is None or last.paths != new_set else last.time
        mine = Entry(manager, "Apply", api_version, time, new_set, self.subresource)
        others = [e for e in entries if e.ident != me]
        settled = self._settle(others, me, base or MISSING, merged, force, set())
        if last is not None:
            idx = entries.index(last)
            settled.insert(min(idx, len(settled)), mine)
        else:
            settled.append(mine)
        return merged, [e for e in settled if e.paths]

    def update(
        self, live: dict[str, Any] | None, raw_new: dict[str, Any],
        defaulted_new: dict[str, Any], manager: str, api_version: str,
    ) -> list[Entry]:
        """Entries after a non-apply write; raw_new is the request before defaulting."""
        entries = read_entries(live)
        sent = (raw_new.get("metadata") or {}).get("managedFields")
        live_sent = ((live or {}).get("metadata") or {}).get("managedFields")
        if sent is not None and sent != live_sent:
            # Clients may overwrite managedFields; `[{}]` resets them.
            entries = read_entries(raw_new)
        base = _strip_mf(live) if live else _skeleton(defaulted_new)
        new = _strip_mf(defaulted_new)
        # Defaults belong to the updater whose request they completed (the real server
        # defaults while decoding, before it diffs); values the registry allocates later
        # (cluster IPs, node ports) belong to nobody.
        added = all_nodes(self.root, new) - all_nodes(self.root, _strip_mf(raw_new))
        defaulted = {p for p in added if _allocated(p)}
        me = (manager, "Update", self.subresource)
        settled = self._settle(entries, me, base, new, True, defaulted)
        cmp = compare(self.root, base, new)
        changed = _scope(cmp.changed(), self.subresource, self.has_status) - defaulted
        prev = next((e for e in settled if e.ident == me), None)
        paths = ((prev.paths if prev else set()) | changed) - cmp.removed
        if prev is None:
            if paths:
                settled.append(Entry(manager, "Update", api_version, self.now, paths,
                                     self.subresource))
            return settled
        out = []
        for e in settled:
            if e is prev:
                time = e.time if paths == e.paths and api_version == e.api_version else self.now
                e = Entry(manager, "Update", api_version, time, paths, self.subresource)
            if e.paths:
                out.append(e)
        return out


ALLOCATED = frozenset({"f:clusterIP", "f:clusterIPs", "f:ipFamilies", "f:ipFamilyPolicy",
                       "f:nodePort", "f:finalizers", "f:status"})


def _allocated(path: Path) -> bool:
    """Set by the registry or admission after the field manager ran: owned by nobody."""
    return any(pe in ALLOCATED for pe in path)


def _strip_mf(obj: dict[str, Any]) -> dict[str, Any]:
    out = dict(obj)
    meta = dict(out.get("metadata") or {})
    meta.pop("managedFields", None)
    out["metadata"] = meta
    return out


def _skeleton(new: dict[str, Any]) -> dict[str, Any]:
    """What a freshly created object is diffed against: its top-level structs exist, as
    in the zero value the real server starts from, so they are not owned as such."""
    return {k: {} for k in ("metadata", "spec", "status") if isinstance(new.get(k), dict)}
