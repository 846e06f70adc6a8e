"""CustomResourceDefinitions: a created CRD becomes served (and Established) after a
short delay, like the real apiextensions server; deleting it removes its objects."""

from __future__ import annotations

import copy
import time
from typing import Any

from .kinds import ResourceKind
from .store import Obj, Store, WriteCtx

CRD_GROUP = "apiextensions.k8s.io"


class CrdController:
    def __init__(self, store: Store, delay_s: float = 0.05) -> None:
        self.store = store
        self.delay_s = delay_s
        self._due: dict[str, float] = {}
        store.listeners.append(self._changed)

    def _crd_kind(self) -> ResourceKind:
        rk = self.store.registry.get(CRD_GROUP, "v1", "customresourcedefinitions")
        assert rk is not None
        return rk

    def _changed(self, rk: ResourceKind, old: Obj | None, new: Obj | None) -> None:
        if rk.group != CRD_GROUP or rk.plural != "customresourcedefinitions":
            return
        if new is None:
            self._unregister(old or {})
            return
        if old is None or old.get("spec") != new.get("spec"):
            self._due[new["metadata"]["name"]] = time.monotonic() + self.delay_s

    def tick(self) -> None:
        if not self._due:
            return
        now = time.monotonic()
        with self.store.lock:
            for name, due in list(self._due.items()):
                if due > now:
                    continue
                del self._due[name]
                crd = self.store.peek(self._crd_kind(), "", name)
                if crd is not None:
                    self._establish(crd)

    def _establish(self, crd: Obj) -> None:
        spec = crd.get("spec") or {}
        names = spec.get("names") or {}
        group = spec.get("group", "")
        for old in self.store.registry.all():
            if old.is_custom and old.group == group and old.plural == names.get("plural"):
                self.store.registry.drop(group, old.plural)
        for version in spec.get("versions") or []:
            if not version.get("served", True):
                continue
            subresources = version.get("subresources") or {}
            schema = (version.get("schema") or {}).get("openAPIV3Schema")
            self.store.registry.add(ResourceKind(
                group=group, version=version["name"], kind=names.get("kind", ""),
                plural=names.get("plural", ""),
                namespaced=spec.get("scope", "Namespaced") == "Namespaced",
                short_names=tuple(names.get("shortNames") or ()),
                has_status="status" in subresources, crd_schema=schema, is_custom=True,
                categories=tuple(names.get("categories") or ()),
            ))
        self._write_status(crd, names)

    def _write_status(self, crd: Obj, names: dict[str, Any]) -> None:
        now = self.store.clock()
        new = copy.deepcopy(crd)
        accepted = {k: v for k, v in names.items() if k != "categories" or v}
        accepted.setdefault("singular", names.get("kind", "").lower())
        accepted.setdefault("listKind", names.get("kind", "") + "List")
        storage = [v["name"] for v in crd["spec"].get("versions") or [] if v.get("storage")]
        new["status"] = {
            "acceptedNames": accepted,
            "conditions": [
                {"type": "NamesAccepted", "status": "True", "reason": "NoConflicts",
                 "message": "no conflicts found", "lastTransitionTime": now},
                {"type": "Established", "status": "True", "reason": "InitialNamesAccepted",
                 "message": "the initial names have been accepted", "lastTransitionTime": now},
            ],
            "storedVersions": storage,
        }
        ctx = WriteCtx(manager="kube-apiserver", subresource="status", explicit_manager=True)
        self.store.replace(self._crd_kind(), "", crd["metadata"]["name"], new, ctx)

    def _unregister(self, crd: Obj) -> None:
        self._due.pop((crd.get("metadata") or {}).get("name", ""), None)
        spec = crd.get("spec") or {}
        group, plural = spec.get("group", ""), (spec.get("names") or {}).get("plural", "")
        kinds = [rk for rk in self.store.registry.all()
                 if rk.is_custom and rk.group == group and rk.plural == plural]
        if kinds:
            # All versions share one storage: dropping through one kind is enough.
            self.store.drop_kind(kinds[0])
        self.store.registry.drop(group, plural)
