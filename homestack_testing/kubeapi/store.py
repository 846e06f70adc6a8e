"""The object store and the write path every verb goes through: identity (uid,
resourceVersion, generation, timestamps), status-vs-spec scoping, defaulting, field
ownership, optimistic concurrency, finalizers, cascading deletion and dry-run."""

from __future__ import annotations

import copy
import itertools
import json
import random
import string
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import yaml

from . import errors, immutable
from .defaults import Defaulter
from .errors import ApiError
from .kinds import Registry, ResourceKind
from .managed import Entry, Ownership, write_entries
from .patches import json_patch, merge_patch, strategic_merge_patch
from .selectors import Predicate

Obj = dict[str, Any]
APPLY = "application/apply-patch+yaml"
MERGE = "application/merge-patch+json"
STRATEGIC = "application/strategic-merge-patch+json"
JSONPATCH = "application/json-patch+json"


@dataclass
class WriteCtx:
    """Per-request options of a write."""

    manager: str = "unknown"
    dry_run: bool = False
    force: bool = False
    subresource: str = ""
    propagation: str = "Background"
    explicit_manager: bool = False


def now_rfc3339() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Store:
    def __init__(self, registry: Registry, clock: Callable[[], str] = now_rfc3339) -> None:
        self.registry = registry
        self.clock = clock
        self.lock = threading.RLock()
        self.defaulter = Defaulter()
        self._rv = itertools.count(1000)
        self.last_rv = "1000"
        self._objs: dict[tuple[str, str], dict[tuple[str, str], Obj]] = {}
        # Called after every committed change: (kind, old, new-or-None).
        self.listeners: list[Callable[[ResourceKind, Obj | None, Obj | None], None]] = []

    # -- reads ------------------------------------------------------------------

    def _bucket(self, rk: ResourceKind) -> dict[tuple[str, str], Obj]:
        return self._objs.setdefault((rk.group, rk.plural), {})

    def peek(self, rk: ResourceKind, ns: str, name: str) -> Obj | None:
        return self._bucket(rk).get((ns if rk.namespaced else "", name))

    def get(self, rk: ResourceKind, ns: str, name: str) -> Obj:
        with self.lock:
            obj = self.peek(rk, ns, name)
            if obj is None:
                raise errors.not_found(rk.plural, rk.group, name)
            return copy.deepcopy(obj)

    def items(self, rk: ResourceKind, ns: str | None = None) -> list[Obj]:
        with self.lock:
            return [o for (ons, _), o in sorted(self._bucket(rk).items())
                    if ns is None or not rk.namespaced or ons == ns]

    def list_kind(
        self, rk: ResourceKind, ns: str | None, labels: Predicate, fields: Predicate
    ) -> Obj:
        with self.lock:
            items = [copy.deepcopy(o) for o in self.items(rk, ns) if labels(o) and fields(o)]
            rv = self.last_rv
        for item in items:
            # List items carry no apiVersion/kind in the real API.
            item.pop("apiVersion", None)
            item.pop("kind", None)
        return {"kind": rk.kind + "List", "apiVersion": rk.api_version,
                "metadata": {"resourceVersion": rv}, "items": items}

    # -- writes -----------------------------------------------------------------

    def create(self, rk: ResourceKind, ns: str, body: Obj, ctx: WriteCtx) -> Obj:
        with self.lock:
            new = self._prepare_create(rk, ns, body)
            entries = Ownership(rk.root, rk.has_status, "", self.clock()).update(
                None, new, self._defaulted(rk, new, None), ctx.manager, rk.api_version)
            return self._commit(rk, None, new, entries, ctx)

    def _prepare_create(self, rk: ResourceKind, ns: str, body: Obj) -> Obj:
        new = copy.deepcopy(body)
        self._check_kind(rk, new)
        meta = new.setdefault("metadata", {})
        if not meta.get("name") and meta.get("generateName"):
            suffix = "".join(random.choices(string.ascii_lowercase + string.digits, k=5))
            meta["name"] = meta["generateName"] + suffix
        name = meta.get("name")
        if not name:
            raise errors.invalid(rk.kind, rk.group, "", "metadata.name",
                                 "Required value: name or generateName is required")
        if rk.namespaced:
            if meta.get("namespace") not in (None, "", ns):
                raise errors.bad_request(
                    "the namespace of the provided object does not match the namespace "
                    "sent on the request")
            meta["namespace"] = ns
            ns_kind = self.registry.get("", "v1", "namespaces")
            if ns_kind is not None and self.peek(ns_kind, "", ns) is None:
                raise errors.not_found("namespaces", "", ns)
        else:
            meta.pop("namespace", None)
        if self.peek(rk, ns, name) is not None:
            raise errors.already_exists(rk.plural, rk.group, name)
        if rk.has_status:
            new.pop("status", None)  # status is the server's to set
        return new

    def _check_kind(self, rk: ResourceKind, body: Obj) -> None:
        if body.get("kind") not in (None, rk.kind) or body.get("apiVersion") not in (
            None, rk.api_version
        ):
            raise errors.bad_request(
                f"the API version in the data ({body.get('apiVersion')}) does not match the "
                f"expected API version ({rk.api_version})")
        body["kind"], body["apiVersion"] = rk.kind, rk.api_version

    def replace(self, rk: ResourceKind, ns: str, name: str, body: Obj, ctx: WriteCtx) -> Obj:
        with self.lock:
            old = self.peek(rk, ns, name)
            if old is None:
                if ctx.subresource:
                    raise errors.not_found(rk.plural, rk.group, name)
                return self.create(rk, ns, body, ctx)
            return self._update(rk, old, copy.deepcopy(body), ctx)

    def patch(
        self, rk: ResourceKind, ns: str, name: str, ptype: str, raw: bytes, ctx: WriteCtx
    ) -> Obj:
        with self.lock:
            old = self.peek(rk, ns, name)
            if ptype == APPLY:
                return self._apply(rk, ns, name, old, _parse_apply(raw), ctx)
            if old is None:
                raise errors.not_found(rk.plural, rk.group, name)
            try:
                body = json.loads(raw or b"null")
            except ValueError as exc:
                raise errors.bad_request(f"invalid JSON patch body: {exc}") from exc
            base = copy.deepcopy(old)
            if ptype == MERGE:
                new = merge_patch(base, body)
            elif ptype == STRATEGIC:
                new = strategic_merge_patch(rk.root, base, body)
            elif ptype == JSONPATCH:
                new = json_patch(base, body)
            else:
                raise ApiError(415, "UnsupportedMediaType",
                               f"the body of the request was in an unknown format: {ptype}")
            return self._update(rk, old, new, ctx)

    def _apply(
        self, rk: ResourceKind, ns: str, name: str, old: Obj | None, cfg: Obj, ctx: WriteCtx
    ) -> Obj:
        if not ctx.explicit_manager:
            raise errors.invalid(rk.kind, rk.group, name, "metadata.managedFields.fieldManager",
                                 "Required value: is required for apply patch")
        self._check_kind(rk, cfg)
        meta = cfg.setdefault("metadata", {})
        if meta.get("name") not in (None, name):
            raise errors.bad_request("the name of the object does not match the name on the URL")
        meta["name"] = name
        if rk.namespaced:
            meta["namespace"] = ns
        own = Ownership(rk.root, rk.has_status, ctx.subresource, self.clock())
        if old is None:
            if ctx.subresource:
                raise errors.not_found(rk.plural, rk.group, name)
            base = self._prepare_create(rk, ns, {"apiVersion": rk.api_version,
                                                 "kind": rk.kind, "metadata": dict(meta)})
            merged, entries = own.apply(None, cfg, ctx.manager, rk.api_version, ctx.force)
            merged["metadata"].update(base["metadata"])
            if rk.has_status:
                merged.pop("status", None)
            return self._commit(rk, None, merged, entries, ctx)
        self._check_precondition(rk, old, cfg)
        merged, entries = own.apply(old, cfg, ctx.manager, rk.api_version, ctx.force)
        return self._commit(rk, old, self._scoped(rk, old, merged, ctx), entries, ctx)

    def _check_precondition(self, rk: ResourceKind, old: Obj, new: Obj) -> None:
        want = (new.get("metadata") or {}).get("resourceVersion")
        if want and want != old["metadata"]["resourceVersion"]:
            raise errors.conflict(
                rk.plural, rk.group, old["metadata"]["name"],
                "the object has been modified; please apply your changes to the latest "
                "version and try again")

    def _scoped(self, rk: ResourceKind, old: Obj, new: Obj, ctx: WriteCtx) -> Obj:
        """Main-resource writes cannot change status; /status writes change only status."""
        if ctx.subresource == "status":
            out = copy.deepcopy(old)
            out["status"] = new.get("status")
            if out["status"] is None:
                out.pop("status")
            out["metadata"]["managedFields"] = (new.get("metadata") or {}).get("managedFields")
            return out
        if rk.has_status:
            if "status" in old:
                new["status"] = copy.deepcopy(old["status"])
            else:
                new.pop("status", None)
        return new

    def _update(self, rk: ResourceKind, old: Obj, raw: Obj, ctx: WriteCtx) -> Obj:
        self._check_kind(rk, raw)
        self._check_precondition(rk, old, raw)
        raw.setdefault("metadata", {})
        for key in ("name", "namespace", "uid", "creationTimestamp"):
            if key in old["metadata"]:
                raw["metadata"][key] = old["metadata"][key]
        raw = self._scoped(rk, old, raw, ctx)
        if raw["metadata"].get("managedFields") is None:
            raw["metadata"].pop("managedFields", None)
        own = Ownership(rk.root, rk.has_status, ctx.subresource, self.clock())
        entries = own.update(old, raw, self._defaulted(rk, raw, old), ctx.manager,
                             rk.api_version)
        return self._commit(rk, old, raw, entries, ctx)

    def _defaulted(self, rk: ResourceKind, obj: Obj, old: Obj | None) -> Obj:
        out = copy.deepcopy(obj)
        out.setdefault("metadata", {})
        self.defaulter.apply(out, old)
        return out

    def _commit(
        self, rk: ResourceKind, old: Obj | None, new: Obj, entries: list[Entry], ctx: WriteCtx
    ) -> Obj:
        new = self._defaulted(rk, new, old)
        meta = new["metadata"]
        write_entries(new, entries)
        if old is None:
            meta["uid"] = str(uuid.uuid4())
            meta["creationTimestamp"] = self.clock()
            meta["generation"] = 1
        else:
            immutable.check(rk.group, rk.kind, old, new)
            for key in ("uid", "creationTimestamp", "deletionTimestamp",
                        "deletionGracePeriodSeconds"):
                if key in old["metadata"]:
                    meta[key] = old["metadata"][key]
            meta["generation"] = old["metadata"].get("generation", 1)
            if _spec_of(new) != _spec_of(old):
                meta["generation"] += 1
            meta["resourceVersion"] = old["metadata"]["resourceVersion"]
            if new == old:
                return copy.deepcopy(old)  # no-op: no new resourceVersion
            if meta.get("deletionTimestamp") and not meta.get("finalizers"):
                if not ctx.dry_run:
                    self._remove(rk, old, ctx)
                return new
        if ctx.dry_run:
            meta.setdefault("resourceVersion", "")
            return new
        meta["resourceVersion"] = self._next_rv()
        self._bucket(rk)[(meta.get("namespace", ""), meta["name"])] = new
        self._notify(rk, old, new)
        return copy.deepcopy(new)

    def _next_rv(self) -> str:
        self.last_rv = str(next(self._rv))
        return self.last_rv

    def _notify(self, rk: ResourceKind, old: Obj | None, new: Obj | None) -> None:
        for fn in self.listeners:
            fn(rk, old, new)

    # -- deletion ---------------------------------------------------------------

    def delete(self, rk: ResourceKind, ns: str, name: str, ctx: WriteCtx) -> Obj:
        with self.lock:
            old = self.peek(rk, ns, name)
            if old is None:
                raise errors.not_found(rk.plural, rk.group, name)
            if old["metadata"].get("finalizers"):
                if old["metadata"].get("deletionTimestamp"):
                    return copy.deepcopy(old)
                new = copy.deepcopy(old)
                new["metadata"]["deletionTimestamp"] = self.clock()
                new["metadata"]["deletionGracePeriodSeconds"] = 0
                if ctx.dry_run:
                    return new
                new["metadata"]["resourceVersion"] = self._next_rv()
                self._bucket(rk)[(new["metadata"].get("namespace", ""), name)] = new
                self._notify(rk, old, new)
                return copy.deepcopy(new)
            if not ctx.dry_run:
                self._remove(rk, old, ctx)
            return copy.deepcopy(old)

    def _remove(self, rk: ResourceKind, obj: Obj, ctx: WriteCtx) -> None:
        meta = obj["metadata"]
        self._bucket(rk).pop((meta.get("namespace", ""), meta["name"]), None)
        self._next_rv()
        self._notify(rk, obj, None)
        if rk.kind == "Namespace" and not rk.group:
            for other in self.registry.all():
                if other.namespaced:
                    for child in self.items(other, meta["name"]):
                        self._force_remove(other, child, ctx)
        if ctx.propagation != "Orphan":
            self._collect_garbage(meta.get("uid", ""), ctx)

    def _force_remove(self, rk: ResourceKind, obj: Obj, ctx: WriteCtx) -> None:
        """Contents of a deleted namespace or CRD go, finalizers or not (the real
        namespace controller waits for them; tests would rather not)."""
        self._remove(rk, obj, ctx)

    def _collect_garbage(self, uid: str, ctx: WriteCtx) -> None:
        if not uid:
            return
        for rk in self.registry.all():
            for obj in self.items(rk):
                refs = obj["metadata"].get("ownerReferences") or []
                if any(r.get("uid") == uid for r in refs):
                    try:
                        self.delete(rk, obj["metadata"].get("namespace", ""),
                                    obj["metadata"]["name"], ctx)
                    except ApiError:
                        pass  # already gone through another owner

    def drop_kind(self, rk: ResourceKind) -> None:
        """Forget every object of a kind (its CRD was deleted)."""
        with self.lock:
            for obj in self.items(rk):
                self._remove(rk, obj, WriteCtx())


def _spec_of(obj: Obj) -> Obj:
    return {k: v for k, v in obj.items() if k not in ("metadata", "status")}


def _parse_apply(raw: bytes) -> Obj:
    try:
        body = yaml.safe_load(raw.decode() if raw else "")
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise errors.bad_request(f"error decoding YAML: {exc}") from exc
    if not isinstance(body, dict):
        raise errors.bad_request("apply patch must be an object")
    return body
