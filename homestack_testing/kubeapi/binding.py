"""Volume binding as the PV controller and the external provisioners do it:

* a claim with ``spec.volumeName`` binds when that PersistentVolume exists;
* otherwise it needs a StorageClass: the named one, or the default class
  (``storageclass.kubernetes.io/is-default-class: "true"``) when it names none;
  ``storageClassName: ""`` asks for no dynamic provisioning and stays Pending;
* a missing class leaves it Pending, with a ``ProvisioningFailed`` Warning Event;
* ``WaitForFirstConsumer`` binds only once a pod (template) mounts the claim, with a
  ``WaitForFirstConsumer`` Normal Event meanwhile; ``Immediate`` binds at once.

The Events are real ``v1`` Event objects in the claim's namespace (what
``kubectl describe`` shows), one per claim and reason, their count bumped on repeats.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from .lifecycle import claim_in_use
from .store import Obj, Store, WriteCtx

DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class"
MANAGER = "persistentvolume-controller"


@dataclass(frozen=True)
class Verdict:
    """Whether a claim can bind now, and the Event that says why not."""

    bound: bool
    event_type: str = ""
    reason: str = ""
    message: str = ""


def storage_class(store: Store, name: str) -> Obj | None:
    rk = store.registry.get("storage.k8s.io", "v1", "storageclasses")
    return store.peek(rk, "", name) if rk is not None else None


def default_class(store: Store) -> Obj | None:
    rk = store.registry.get("storage.k8s.io", "v1", "storageclasses")
    if rk is None:
        return None
    for sc in store.items(rk):
        if (sc["metadata"].get("annotations") or {}).get(DEFAULT_CLASS) == "true":
            return sc
    return None


def verdict(store: Store, claim: Obj) -> Verdict:
    """Can this claim bind now?"""
    spec = claim.get("spec") or {}
    meta = claim["metadata"]
    if spec.get("volumeName"):
        pv_kind = store.registry.get("", "v1", "persistentvolumes")
        if pv_kind is not None and store.peek(pv_kind, "", spec["volumeName"]) is not None:
            return Verdict(True)
        return Verdict(False, "Warning", "FailedBinding",
                       f'volume "{spec["volumeName"]}" not found')
    wanted = spec.get("storageClassName")
    if wanted == "":
        return Verdict(False, "Normal", "FailedBinding",
                       "no persistent volumes available for this claim and no storage class "
                       "is set")
    sc = storage_class(store, wanted) if wanted else default_class(store)
    if sc is None:
        if not wanted:
            return Verdict(False, "Normal", "FailedBinding",
                           "no persistent volumes available for this claim and no storage "
                           "class is set")
        return Verdict(False, "Warning", "ProvisioningFailed",
                       f'storageclass.storage.k8s.io "{wanted}" not found')
    if sc.get("volumeBindingMode") == "WaitForFirstConsumer" and not claim_in_use(
            store, meta.get("namespace", ""), meta["name"]):
        return Verdict(False, "Normal", "WaitForFirstConsumer",
                       "waiting for first consumer to be created before binding")
    return Verdict(True)


def record_event(store: Store, claim: Obj, why: Verdict) -> None:
    """Create (or bump) the Event that explains why the claim is still Pending."""
    rk = store.registry.get("", "v1", "events")
    if rk is None:
        return
    meta = claim["metadata"]
    ns, now = meta.get("namespace", ""), store.clock()
    digest = hashlib.sha1(f"{meta['uid']}/{why.reason}".encode()).hexdigest()[:16]
    name = f"{meta['name']}.{digest}"
    old = store.peek(rk, ns, name)
    ctx = WriteCtx(manager=MANAGER, explicit_manager=True)
    if old is not None:
        new: dict[str, Any] = {**old, "count": int(old.get("count") or 1) + 1,
                               "lastTimestamp": now, "message": why.message}
        store.replace(rk, ns, name, new, ctx)
        return
    event = {
        "apiVersion": "v1", "kind": "Event",
        "metadata": {"name": name, "namespace": ns},
        "involvedObject": {"kind": "PersistentVolumeClaim", "namespace": ns,
                           "name": meta["name"], "uid": meta["uid"], "apiVersion": "v1",
                           "resourceVersion": meta.get("resourceVersion", "")},
        "reason": why.reason, "message": why.message, "type": why.event_type,
        "source": {"component": MANAGER}, "firstTimestamp": now, "lastTimestamp": now,
        "count": 1, "reportingComponent": MANAGER, "reportingInstance": "",
    }
    store.create(rk, ns, event, ctx)
