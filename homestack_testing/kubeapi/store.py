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
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import yaml

from . import admission, errors, names, pagination, scale
from .defaults import Defaulter
from .errors import ApiError
from .fielderrors import invalid_status, required
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
    field_validation: str = "Warn"
    # Warning headers for the answer (unknown fields dropped, duplicate env names, ...).
    warnings: list[str] = field(default_factory=list)


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
        # uids of removed objects whose dependents the garbage collector still has to visit.
        self.removed_owners: list[str] = []
        # Called after every committed change: (kind, old, new-or-None).
        self.listeners: list[Callable[[ResourceKind, Obj | None, Obj | None], None]] = []
        # Mutating admission plugins (plugins.py), called on every create with the
        # defaulted object, after field ownership was computed; they may refuse (403).
        self.mutating_admission: list[Callable[[ResourceKind, Obj], None]] = []

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
        self, rk: ResourceKind, ns: str | None, labels: Predicate, fields: Predicate,
        limit: int = 0, token: str | None = None,
    ) -> Obj:
        with self.lock:
            keyed = [(key, o) for key, o in sorted(self._bucket(rk).items())
                     if (ns is None or not rk.namespaced or key[0] == ns)
                     and labels(o) and fields(o)]
            chosen, meta = pagination.page(keyed, limit, token, self.last_rv)
            items = [copy.deepcopy(o) for o in chosen]
        for item in items:
            # List items carry no apiVersion/kind in the real API.
            item.pop("apiVersion", None)
            item.pop("kind", None)
        return {"kind": rk.kind + "List", "apiVersion": rk.api_version,
                "metadata": meta, "items": items}

    # -- writes -----------------------------------------------------------------

    def create(self, rk: ResourceKind, ns: str, body: Obj, ctx: WriteCtx) -> Obj:
        with self.lock:
            body = copy.deepcopy(body)
            admission.decode_body(rk, body, ctx.field_validation, False, ctx.warnings)
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
            ns_obj = self.peek(ns_kind, "", ns) if ns_kind is not None else {}
            if ns_obj is None:
                raise errors.not_found("namespaces", "", ns)
            if (ns_obj.get("metadata") or {}).get("deletionTimestamp"):
                raise errors.namespace_terminating(rk.plural, rk.group, name, ns)
        else:
            meta.pop("namespace", None)
        if rk.is_custom:
            self._check_crd_alive(rk)
        if self.peek(rk, ns, name) is not None:
            raise errors.already_exists(rk.plural, rk.group, name)
        if rk.has_status:
            new.pop("status", None)  # status is the server's to set
        return new

    def _check_crd_alive(self, rk: ResourceKind) -> None:
        crd_kind = self.registry.get("apiextensions.k8s.io", "v1", "customresourcedefinitions")
        crd = self.peek(crd_kind, "", f"{rk.plural}.{rk.group}") if crd_kind else None
        if crd is not None and crd["metadata"].get("deletionTimestamp"):
            raise errors.method_not_allowed(
                "create is not allowed while custom resource definition is terminating")

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
                if ctx.subresource or not rk.create_on_update:
                    raise errors.not_found(rk.plural, rk.group, name)
                return self.create(rk, ns, body, ctx)
            return self._update(rk, old, copy.deepcopy(body), ctx)

    def patch(
        self, rk: ResourceKind, ns: str, name: str, ptype: str, raw: bytes, ctx: WriteCtx
    ) -> Obj:
        with self.lock:
            old = self.peek(rk, ns, name)
            if ptype == APPLY:
                return self._apply(rk, ns, name, old, parse_apply(raw), ctx)
            if old is None:
                raise errors.not_found(rk.plural, rk.group, name)
            new = patched(rk, old, ptype, raw)
            check_name(new, name, ns)
            return self._update(rk, old, new, ctx)

    def _apply(
        self, rk: ResourceKind, ns: str, name: str, old: Obj | None, cfg: Obj, ctx: WriteCtx
    ) -> Obj:
        if not ctx.explicit_manager:  # the handler's PatchOptions check, for direct callers
            raise invalid_status("PatchOptions", "meta.k8s.io", "", [
                required("fieldManager", "is required for apply patch")])
        self._check_kind(rk, cfg)
        admission.decode_body(rk, cfg, ctx.field_validation, True, ctx.warnings)
        meta = cfg.setdefault("metadata", {})
        if meta.get("name") is not None:
            check_name(cfg, name, ns)
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
        if ctx.subresource != "status":
            admission.decode_body(rk, raw, ctx.field_validation, False, ctx.warnings)
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

    def _defaulted(self, rk: ResourceKind, obj: Obj, old: Obj | None,
                   subresource: str = "") -> Obj:
        out = copy.deepcopy(obj)
        out.setdefault("metadata", {})
        self.defaulter.apply(out, old, subresource)
        return out

    def _commit(
        self, rk: ResourceKind, old: Obj | None, new: Obj, entries: list[Entry], ctx: WriteCtx
    ) -> Obj:
        new = self._defaulted(rk, new, old, ctx.subresource)
        if old is None:
            for admit in self.mutating_admission:
                admit(rk, new)
        if ctx.subresource != "status":
            admission.validate(rk, new, old, ctx.warnings)
            names.validate(rk, new)  # ports and container names the schema pass leaves out
        meta = new["metadata"]
        write_entries(new, entries)
        if old is None:
            meta["uid"] = str(uuid.uuid4())
            meta["creationTimestamp"] = self.clock()
            meta["generation"] = 1
        else:
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
            if meta.get("deletionTimestamp") and not meta.get("finalizers") and not (
                    rk.kind == "Namespace" and (new.get("spec") or {}).get("finalizers")):
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

    def delete(self, rk: ResourceKind, ns: str, name: str, ctx: WriteCtx,
               uid: str | None = None, resource_version: str | None = None) -> Obj:
        """Remove at once, or mark terminating when finalizers (or a namespace's content,
        or foreground/orphan propagation) must be dealt with first. ``uid`` and
        ``resource_version`` are the DeleteOptions preconditions (409 when they differ)."""
        with self.lock:
            old = self.peek(rk, ns, name)
            if old is None:
                raise errors.not_found(rk.plural, rk.group, name)
            _check_delete_preconditions(rk, old, uid, resource_version)
            is_ns = rk.kind == "Namespace" and not rk.group
            if old["metadata"].get("deletionTimestamp"):
                if is_ns:
                    raise errors.conflict("namespaces", "", name, NAMESPACE_TERMINATING)
                return copy.deepcopy(old)
            new = copy.deepcopy(old)
            meta = new["metadata"]
            extra = {"Foreground": "foregroundDeletion", "Orphan": "orphan"}.get(
                ctx.propagation)
            if extra and extra not in (meta.get("finalizers") or []):
                meta["finalizers"] = [*(meta.get("finalizers") or []), extra]
            if not meta.get("finalizers") and not is_ns:
                if not ctx.dry_run:
                    self._remove(rk, old, ctx)
                return copy.deepcopy(old)
            meta["deletionTimestamp"] = self.clock()
            meta["deletionGracePeriodSeconds"] = 0
            if is_ns:
                new.setdefault("status", {})["phase"] = "Terminating"
            if ctx.dry_run:
                return new
            meta["resourceVersion"] = self._next_rv()
            self._bucket(rk)[(meta.get("namespace", ""), name)] = new
            self._notify(rk, old, new)
            return copy.deepcopy(new)

    def finalize(self, rk: ResourceKind, name: str, body: Obj, ctx: WriteCtx) -> Obj:
        """PUT of a namespace's ``/finalize``: only ``spec.finalizers`` changes (a
        terminating namespace left with no finalizers goes at once)."""
        with self.lock:
            old = self.peek(rk, "", name)
            if old is None:
                raise errors.not_found(rk.plural, rk.group, name)
            self._check_kind(rk, body)
            self._check_precondition(rk, old, body)
            new = copy.deepcopy(old)
            new["metadata"].pop("managedFields", None)
            finalizers = (body.get("spec") or {}).get("finalizers")
            new.setdefault("spec", {}).pop("finalizers", None)
            if finalizers:
                new["spec"]["finalizers"] = list(finalizers)
            own = Ownership(rk.root, rk.has_status, "finalize", self.clock())
            entries = own.update(old, new, self._defaulted(rk, new, old, "finalize"),
                                 ctx.manager, rk.api_version)
            return self._commit(rk, old, new, entries, ctx)

    def delete_collection(self, rk: ResourceKind, ns: str | None, labels: Predicate,
                          fields: Predicate, ctx: WriteCtx) -> Obj:
        """DELETE of a collection: every selected object deleted as by its own DELETE;
        the answer lists them as those deletes returned them."""
        with self.lock:
            chosen = [o for o in self.items(rk, ns) if labels(o) and fields(o)]
            items = []
            for obj in chosen:
                meta = obj["metadata"]
                item = self.delete(rk, meta.get("namespace", ""), meta["name"], ctx)
                item.pop("apiVersion", None)
                item.pop("kind", None)
                items.append(item)
            return {"kind": rk.kind + "List", "apiVersion": rk.api_version,
                    "metadata": {"resourceVersion": self.last_rv}, "items": items}

    def scale(self, rk: ResourceKind, ns: str, name: str, body: Obj, ctx: WriteCtx,
              apply: bool = False) -> Obj:
        """A write through ``/scale``: the workload's ``spec.replicas`` takes the Scale's,
        owned by the writer as a ``scale`` subresource manager (an applier conflicts with
        other owners of ``.spec.replicas`` unless forced)."""
        with self.lock:
            old = self.peek(rk, ns, name)
            if old is None:
                raise errors.not_found(rk.plural, rk.group, name)
            if (body.get("metadata") or {}).get("name") is not None or not apply:
                check_name(body, name, ns)
            replicas = scale.replicas_of(body, name)
            self._check_precondition(rk, old, body)
            own = Ownership(rk.root, rk.has_status, "scale", self.clock())
            if apply:
                cfg = {"apiVersion": rk.api_version, "kind": rk.kind,
                       "metadata": {"name": name}, "spec": {"replicas": replicas}}
                merged, entries = own.apply(old, cfg, ctx.manager, rk.api_version, ctx.force)
                return self._commit(rk, old, self._scoped(rk, old, merged, ctx), entries, ctx)
            new = copy.deepcopy(old)
            new.setdefault("spec", {})["replicas"] = replicas
            entries = own.update(old, new, self._defaulted(rk, new, old), ctx.manager,
                                 rk.api_version)
            return self._commit(rk, old, new, entries, ctx)

    def strip_managed_fields(self, rk: ResourceKind, ns: str, name: str) -> None:
        """Forget who owns an object's fields (as if written before managedFields)."""
        with self.lock:
            obj = self.peek(rk, ns, name)
            if obj is not None:
                obj["metadata"].pop("managedFields", None)

    def purge(self, rk: ResourceKind, obj: Obj, ctx: WriteCtx | None = None) -> None:
        """Remove an object now (the controllers' last step; no finalizer check)."""
        with self.lock:
            if self.peek(rk, obj["metadata"].get("namespace", ""),
                         obj["metadata"]["name"]) is not None:
                self._remove(rk, obj, ctx or WriteCtx())

    def _remove(self, rk: ResourceKind, obj: Obj, ctx: WriteCtx) -> None:
        meta = obj["metadata"]
        self._bucket(rk).pop((meta.get("namespace", ""), meta["name"]), None)
        self._next_rv()
        self._notify(rk, obj, None)
        if ctx.propagation != "Orphan" and meta.get("uid"):
            # The garbage collector deletes dependents afterwards, in the background.
            self.removed_owners.append(meta["uid"])

    def drop_kind(self, rk: ResourceKind) -> None:
        """Forget every object of a kind (its CRD was deleted)."""
        with self.lock:
            for obj in self.items(rk):
                self._remove(rk, obj, WriteCtx())


NAMESPACE_TERMINATING = (
    "The system is ensuring all content is removed from this namespace.  Upon completion, "
    "this namespace will automatically be purged by the system.")


def check_name(obj: Obj, name: str, ns: str) -> None:
    """The name (and namespace) of a PUT body or a patched object must be the URL's."""
    meta: Obj = obj["metadata"] if isinstance(obj.get("metadata"), dict) else {}
    got = str(meta.get("name") or "")
    if got != name:
        raise errors.bad_request(
            f"the name of the object ({got}) does not match the name on the URL ({name})")
    if ns and meta.get("namespace") not in (None, "", ns):
        raise errors.bad_request(
            f"the namespace of the object ({meta['namespace']}) does not match the "
            f"namespace on the request ({ns})")


def _check_delete_preconditions(rk: ResourceKind, old: Obj, uid: str | None,
                                rv: str | None) -> None:
    """DeleteOptions.preconditions, checked as rest.BeforeDelete does (by kind)."""
    meta = old["metadata"]
    if uid is not None and uid != meta.get("uid"):
        raise errors.conflict(
            rk.kind, rk.group, meta["name"],
            f"the UID in the precondition ({uid}) does not match the UID in record "
            f"({meta.get('uid')}). The object might have been deleted and then recreated")
    if rv is not None and rv != meta.get("resourceVersion"):
        raise errors.conflict(
            rk.kind, rk.group, meta["name"],
            f"the ResourceVersion in the precondition ({rv}) does not match the "
            f"ResourceVersion in record ({meta.get('resourceVersion')}). The object might "
            "have been modified")


def _spec_of(obj: Obj) -> Obj:
    return {k: v for k, v in obj.items() if k not in ("metadata", "status")}


def patched(rk: ResourceKind, old: Obj, ptype: str, raw: bytes) -> Obj:
    """``old`` with a merge, strategic merge or JSON patch applied (a copy)."""
    try:
        body = json.loads(raw or b"null")
    except ValueError as exc:
        raise errors.bad_request(f"invalid JSON patch body: {exc}") from exc
    base = copy.deepcopy(old)
    new: Obj
    if ptype == MERGE:
        new = merge_patch(base, body)
    elif ptype == STRATEGIC:
        new = strategic_merge_patch(rk.root, base, body)
    elif ptype == JSONPATCH:
        new = json_patch(base, body)
    else:
        raise ApiError(415, "UnsupportedMediaType",
                       f"the body of the request was in an unknown format: {ptype}")
    if not isinstance(new, dict):
        raise errors.bad_request("json: cannot unmarshal the patched document into an "
                                 "object: it is not a JSON object")
    return new


def parse_apply(raw: bytes) -> Obj:
    try:
        body = yaml.safe_load(raw.decode() if raw else "")
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise errors.bad_request(f"error decoding YAML: {exc}") from exc
    if not isinstance(body, dict):
        raise errors.bad_request("apply patch must be an object")
    return body
