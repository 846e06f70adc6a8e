"""A stand-in for the controllers that finish deletions, run like the readiness
simulator at the start of each request (so every step is visible to a poller, and
none happens inside the DELETE that started it):

* garbage collector: dependents (``ownerReferences``) of removed objects are deleted;
  ``foregroundDeletion`` waits for the dependents before the owner goes; ``orphan``
  strips the owner references first;
* namespace controller: a Terminating namespace's content is deleted (finalizers
  honoured), then the namespace itself is purged;
* CRD finalizer: a terminating CRD's custom resources are deleted, then the CRD;
* ``kubernetes.io/pvc-protection``: a deleted claim stays while a pod template mounts it.

Each terminating object waits ``delay_s`` after its deletionTimestamp before its
controller acts.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Iterator
from typing import Any

from .errors import ApiError
from .kinds import ResourceKind
from .store import Obj, Store, WriteCtx

MANAGER = "kube-controller-manager"
FOREGROUND = "foregroundDeletion"
ORPHAN = "orphan"
PVC_PROTECTION = "kubernetes.io/pvc-protection"
CRD_CLEANUP = "customresourcecleanup.apiextensions.k8s.io"
CRD_GROUP = "apiextensions.k8s.io"
POD_TEMPLATE_KINDS = {("apps", "Deployment"), ("apps", "StatefulSet"), ("apps", "DaemonSet"),
                      ("apps", "ReplicaSet"), ("batch", "Job"), ("batch", "CronJob"),
                      ("", "Pod")}

Key = tuple[str, str, str, str]  # group, plural, namespace, name


class DeletionController:
    def __init__(self, store: Store, delay_s: float = 0.0) -> None:
        self.store = store
        self.delay_s = delay_s
        self._terminating: dict[Key, tuple[ResourceKind, float]] = {}
        store.listeners.append(self._changed)

    def _changed(self, rk: ResourceKind, old: Obj | None, new: Obj | None) -> None:
        obj = new if new is not None else old
        if obj is None:
            return
        meta = obj["metadata"]
        key = (rk.group, rk.plural, meta.get("namespace", ""), meta["name"])
        if new is None:
            self._terminating.pop(key, None)
        elif new["metadata"].get("deletionTimestamp") and key not in self._terminating:
            self._terminating[key] = (rk, time.monotonic())

    def tick(self) -> None:
        if not self._terminating and not self.store.removed_owners:
            return
        with self.store.lock:
            self._collect_garbage()
            now = time.monotonic()
            for key, (rk, since) in list(self._terminating.items()):
                if now - since < self.delay_s:
                    continue
                obj = self.store.peek(rk, key[2], key[3])
                if obj is None:
                    self._terminating.pop(key, None)
                    continue
                self._step(rk, obj)

    # -- one step for one terminating object -----------------------------------------

    def _step(self, rk: ResourceKind, obj: Obj) -> None:
        meta = obj["metadata"]
        finalizers = list(meta.get("finalizers") or [])
        if rk.kind == "Namespace" and not rk.group and not {FOREGROUND, ORPHAN} & set(
                finalizers):
            self._namespace(rk, obj)
        elif FOREGROUND in finalizers:
            dependents = list(self._dependents(meta["uid"]))
            for drk, dep in dependents:
                self._delete(drk, dep)
            if not dependents:
                self._drop_finalizer(rk, obj, FOREGROUND)
        elif ORPHAN in finalizers:
            for drk, dep in list(self._dependents(meta["uid"])):
                self._orphan(drk, dep, meta["uid"])
            self._drop_finalizer(rk, obj, ORPHAN)
        elif CRD_CLEANUP in finalizers and rk.group == CRD_GROUP:
            crs = self._custom_resources(obj)
            for crk, cr in crs:
                self._delete(crk, cr)
            if not crs:
                self._drop_finalizer(rk, obj, CRD_CLEANUP)
        elif PVC_PROTECTION in finalizers and rk.kind == "PersistentVolumeClaim":
            if not claim_in_use(self.store, meta.get("namespace", ""), meta["name"]):
                self._drop_finalizer(rk, obj, PVC_PROTECTION)

    def _namespace(self, rk: ResourceKind, ns: Obj) -> None:
        name = ns["metadata"]["name"]
        content = [(crk, o) for crk in self.store.registry.all() if crk.namespaced
                   for o in self.store.items(crk, name)]
        for crk, obj in content:
            if not obj["metadata"].get("deletionTimestamp"):
                self._delete(crk, obj)
        if not content and not ns["metadata"].get("finalizers"):
            # The namespace controller's /finalize (spec.finalizers emptied), and the
            # namespace goes: nothing else holds it.
            self.store.purge(rk, ns)

    # -- helpers -------------------------------------------------------------------

    def _collect_garbage(self) -> None:
        while self.store.removed_owners:
            uid = self.store.removed_owners.pop(0)
            for rk, obj in list(self._dependents(uid)):
                self._delete(rk, obj)

    def _dependents(self, uid: str) -> Iterator[tuple[ResourceKind, Obj]]:
        seen: set[tuple[str, str]] = set()
        for rk in self.store.registry.all():
            if (rk.group, rk.plural) in seen:
                continue  # several served versions share one storage
            seen.add((rk.group, rk.plural))
            for obj in self.store.items(rk):
                refs = obj["metadata"].get("ownerReferences") or []
                if any(r.get("uid") == uid for r in refs):
                    yield rk, obj

    def _custom_resources(self, crd: Obj) -> list[tuple[ResourceKind, Obj]]:
        spec = crd.get("spec") or {}
        plural = (spec.get("names") or {}).get("plural", "")
        for rk in self.store.registry.all():
            if rk.is_custom and rk.group == spec.get("group") and rk.plural == plural:
                return [(rk, o) for o in self.store.items(rk)]
        return []

    def _delete(self, rk: ResourceKind, obj: Obj) -> None:
        meta = obj["metadata"]
        try:
            self.store.delete(rk, meta.get("namespace", ""), meta["name"],
                              WriteCtx(manager=MANAGER))
        except ApiError:
            pass  # already gone, or a namespace already terminating

    def _update(self, rk: ResourceKind, new: Obj) -> None:
        meta = new["metadata"]
        ctx = WriteCtx(manager=MANAGER, explicit_manager=True)
        self.store.replace(rk, meta.get("namespace", ""), meta["name"], new, ctx)

    def _drop_finalizer(self, rk: ResourceKind, obj: Obj, finalizer: str) -> None:
        new = copy.deepcopy(obj)
        new["metadata"]["finalizers"] = [f for f in new["metadata"].get("finalizers") or []
                                         if f != finalizer]
        self._update(rk, new)

    def _orphan(self, rk: ResourceKind, obj: Obj, uid: str) -> None:
        new = copy.deepcopy(obj)
        refs = [r for r in new["metadata"].get("ownerReferences") or [] if r.get("uid") != uid]
        new["metadata"]["ownerReferences"] = refs
        if not refs:
            del new["metadata"]["ownerReferences"]
        self._update(rk, new)


def claim_in_use(store: Store, namespace: str, claim: str) -> bool:
    """Whether a pod (template) in the namespace mounts the claim."""
    for rk in store.registry.all():
        if (rk.group, rk.kind) not in POD_TEMPLATE_KINDS:
            continue
        for obj in store.items(rk, namespace):
            if claim in claims_of(obj):
                return True
    return False


def claims_of(obj: Obj) -> set[str]:
    """The claim names an object's pod spec (or pod template) mounts."""
    spec: Any = obj.get("spec") or {}
    if obj.get("kind") == "CronJob":
        spec = (spec.get("jobTemplate") or {}).get("spec") or {}
    pod = spec if obj.get("kind") == "Pod" else (spec.get("template") or {}).get("spec") or {}
    out = set()
    for vol in pod.get("volumes") or []:
        pvc = (vol or {}).get("persistentVolumeClaim") or {}
        if pvc.get("claimName"):
            out.add(pvc["claimName"])
    return out
