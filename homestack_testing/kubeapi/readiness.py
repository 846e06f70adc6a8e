"""A stand-in for the controllers: after ``ready_after`` seconds from an object's last
spec change, workloads report ready replicas, Jobs complete, PVCs bind and
LoadBalancer Services get an address. Status is written through the /status
subresource (no generation bump, owned by ``kube-controller-manager``).

The simulator runs lazily at the start of each request, so a client polling the
server sees the change as soon as it is due, with no background thread racing tests.
Objects annotated ``kubeapi.homestack.test/never-ready: "true"`` never become ready.
"""

from __future__ import annotations

import copy
import ipaddress
import time
from collections.abc import Callable
from typing import Any

from . import binding
from .kinds import ResourceKind
from .lifecycle import POD_TEMPLATE_KINDS, claims_of
from .store import Obj, Store, WriteCtx

NEVER_READY = "kubeapi.homestack.test/never-ready"
LB_ANNOTATIONS = ("metallb.universe.tf/loadBalancerIPs", "metallb.io/loadBalancerIPs")
MANAGER = "kube-controller-manager"


def _cond(kind: str, ok: bool, reason: str, message: str, now: str) -> dict[str, Any]:
    return {"type": kind, "status": "True" if ok else "False", "reason": reason,
            "message": message, "lastUpdateTime": now, "lastTransitionTime": now}


def _nonzero(status: dict[str, Any]) -> dict[str, Any]:
    # The real status structs omit zero counts.
    return {k: v for k, v in status.items() if v not in (0, None)}


def deployment_status(obj: Obj, ready: bool, now: str) -> dict[str, Any]:
    name = obj["metadata"]["name"]
    want = (obj.get("spec") or {}).get("replicas", 1)
    have = want if ready else 0
    return _nonzero({
        "observedGeneration": obj["metadata"].get("generation", 1),
        "replicas": want, "updatedReplicas": want, "readyReplicas": have,
        "availableReplicas": have, "unavailableReplicas": want - have,
        "conditions": [
            _cond("Available", ready, "MinimumReplicasAvailable" if ready
                  else "MinimumReplicasUnavailable",
                  "Deployment has minimum availability." if ready
                  else "Deployment does not have minimum availability.", now),
            _cond("Progressing", True, "NewReplicaSetAvailable" if ready
                  else "ReplicaSetUpdated",
                  f'ReplicaSet "{name}-5d4f8c7b9" has successfully progressed.' if ready
                  else f'ReplicaSet "{name}-5d4f8c7b9" is progressing.', now),
        ],
    })


def statefulset_status(obj: Obj, ready: bool, now: str) -> dict[str, Any]:
    want = (obj.get("spec") or {}).get("replicas", 1)
    have = want if ready else 0
    rev = f"{obj['metadata']['name']}-6c9b5f7d8"
    return _nonzero({
        "observedGeneration": obj["metadata"].get("generation", 1), "replicas": want,
        "readyReplicas": have, "currentReplicas": want, "updatedReplicas": want,
        "availableReplicas": have, "currentRevision": rev, "updateRevision": rev,
        "collisionCount": 0,
    })


def daemonset_status(obj: Obj, ready: bool, now: str) -> dict[str, Any]:
    have = 1 if ready else 0
    return {
        "observedGeneration": obj["metadata"].get("generation", 1),
        "currentNumberScheduled": 1, "desiredNumberScheduled": 1, "numberMisscheduled": 0,
        "numberReady": have, "numberAvailable": have, "updatedNumberScheduled": 1,
        **({} if ready else {"numberUnavailable": 1}),
    }


def job_status(obj: Obj, ready: bool, now: str) -> dict[str, Any]:
    start = obj["metadata"].get("creationTimestamp", now)
    if not ready:
        return {"active": 1, "startTime": start, "ready": 0}
    completions = (obj.get("spec") or {}).get("completions", 1)
    return {
        "startTime": start, "completionTime": now, "succeeded": completions, "ready": 0,
        "terminating": 0, "uncountedTerminatedPods": {},
        "conditions": [
            {"type": "SuccessCriteriaMet", "status": "True", "reason": "CompletionsReached",
             "message": "Reached expected number of succeeded pods",
             "lastProbeTime": now, "lastTransitionTime": now},
            {"type": "Complete", "status": "True", "reason": "CompletionsReached",
             "message": "Reached expected number of succeeded pods",
             "lastProbeTime": now, "lastTransitionTime": now},
        ],
    }


def pvc_status(obj: Obj, ready: bool, now: str) -> dict[str, Any]:
    if not ready:
        return {"phase": "Pending"}
    spec = obj.get("spec") or {}
    storage = ((spec.get("resources") or {}).get("requests") or {}).get("storage")
    out: dict[str, Any] = {"phase": "Bound", "accessModes": spec.get("accessModes") or []}
    if storage:
        out["capacity"] = {"storage": storage}
    return out


# A claim waiting for a class, a volume or its first consumer is looked at again when one
# of these changes.
BINDING_TRIGGERS = {("storage.k8s.io", "StorageClass"), ("", "PersistentVolume"),
                    *POD_TEMPLATE_KINDS}

StatusFn = Callable[[Obj, bool, str], dict[str, Any]]
WORKLOADS: dict[tuple[str, str], StatusFn] = {
    ("apps", "Deployment"): deployment_status,
    ("apps", "StatefulSet"): statefulset_status,
    ("apps", "DaemonSet"): daemonset_status,
    ("batch", "Job"): job_status,
    ("", "PersistentVolumeClaim"): pvc_status,
}


class ReadinessSimulator:
    def __init__(self, store: Store, ready_after_s: float = 0.0,
                 lb_range: str = "10.10.0.100-10.10.0.199") -> None:
        self.store = store
        self.ready_after_s = ready_after_s
        first, _, last = lb_range.partition("-")
        lo, hi = ipaddress.IPv4Address(first), ipaddress.IPv4Address(last or first)
        self._pool = [str(ipaddress.IPv4Address(i)) for i in range(int(lo), int(hi) + 1)]
        self._lb_ips: dict[str, str] = {}
        self._changed_at: dict[str, float] = {}
        self._pending: dict[str, tuple[ResourceKind, str, str]] = {}
        # Claims that could not bind yet, re-examined when what they wait for changes.
        self._unbound: dict[str, tuple[ResourceKind, str, str]] = {}
        self._told: dict[str, str] = {}  # claim uid -> reason of the last Event written
        store.listeners.append(self._changed)

    def _changed(self, rk: ResourceKind, old: Obj | None, new: Obj | None) -> None:
        if (rk.group, rk.kind) in BINDING_TRIGGERS and self._unbound:
            self._requeue_claims(rk, new if new is not None else old)
        if new is None:
            uid = (old or {}).get("metadata", {}).get("uid", "")
            self._changed_at.pop(uid, None)
            self._pending.pop(uid, None)
            self._unbound.pop(uid, None)
            return
        meta = new["metadata"]
        gen = meta.get("generation")
        if old is None or old["metadata"].get("generation") != gen:
            self._changed_at[meta["uid"]] = time.monotonic()
        if old is None or old.get("spec") != new.get("spec") \
                or old["metadata"].get("annotations") != meta.get("annotations"):
            # Only objects whose desired state moved need a controller's attention: the
            # simulator visits these instead of every object on every request.
            self._pending[meta["uid"]] = (rk, meta.get("namespace", ""), meta["name"])

    def _requeue_claims(self, rk: ResourceKind, obj: Obj | None) -> None:
        """Claims waiting for what changed: all of them for a class or a volume; for a
        pod template, only the claims it mounts."""
        if (rk.group, rk.kind) in POD_TEMPLATE_KINDS and obj is not None:
            ns, mounted = obj["metadata"].get("namespace", ""), claims_of(obj)
            for uid, where in self._unbound.items():
                if where[1] == ns and where[2] in mounted:
                    self._pending[uid] = where
            return
        self._pending.update(self._unbound)

    def _due(self, obj: Obj) -> bool:
        since = self._changed_at.get(obj["metadata"]["uid"], 0.0)
        return time.monotonic() - since >= self.ready_after_s

    def tick(self) -> None:
        with self.store.lock:
            for uid, (rk, namespace, name) in list(self._pending.items()):
                fn = WORKLOADS.get((rk.group, rk.kind))
                if rk.is_custom or (fn is None and not (rk.kind == "Service" and not rk.group)):
                    del self._pending[uid]
                    continue
                obj = self.store.peek(rk, namespace, name)
                if obj is None or obj["metadata"].get("uid") != uid:
                    del self._pending[uid]
                    continue
                # A never-ready object reports "not ready" at once, like a
                # controller that observed it but whose pods never come up.
                if self._due(obj) or _never_ready(obj):
                    self._settle(rk, obj, fn)
                    del self._pending[uid]

    def _settle(self, rk: ResourceKind, obj: Obj, fn: StatusFn | None) -> None:
        ready = not _never_ready(obj)
        if rk.kind == "PersistentVolumeClaim" and ready \
                and (obj.get("status") or {}).get("phase") != "Bound":
            why = binding.verdict(self.store, obj)
            meta = obj["metadata"]
            if not why.bound:
                self._unbound[meta["uid"]] = (rk, meta.get("namespace", ""), meta["name"])
                if self._told.get(meta["uid"]) != why.reason:
                    binding.record_event(self.store, obj, why)
                    self._told[meta["uid"]] = why.reason
                return
            self._unbound.pop(meta["uid"], None)
            self._told.pop(meta["uid"], None)
        if fn is None:
            status = self._service_status(obj, ready)
            if status is None:
                return
        else:
            status = fn(obj, ready, self.store.clock())
            old = obj.get("status") or {}
            # Keep timestamps stable when nothing else changed, so polling is a no-op.
            if _without_times(old) == _without_times(status):
                return
        new = copy.deepcopy(obj)
        new["status"] = status
        ctx = WriteCtx(manager=MANAGER, subresource="status", explicit_manager=True)
        meta = obj["metadata"]
        self.store.replace(rk, meta.get("namespace", ""), meta["name"], new, ctx)

    def _service_status(self, obj: Obj, ready: bool) -> dict[str, Any] | None:
        if (obj.get("spec") or {}).get("type") != "LoadBalancer":
            return None
        uid = obj["metadata"]["uid"]
        ip = self._lb_ips.get(uid)
        wanted = _requested_ip(obj)
        if wanted:
            ip = wanted
        elif ip is None:
            used = set(self._lb_ips.values())
            ip = next((a for a in self._pool if a not in used), None)
        if ip is None or not ready:
            return None
        self._lb_ips[uid] = ip
        status = {"loadBalancer": {"ingress": [{"ip": ip, "ipMode": "VIP"}]}}
        return None if obj.get("status") == status else status


def _never_ready(obj: Obj) -> bool:
    return (obj["metadata"].get("annotations") or {}).get(NEVER_READY) == "true"


def _requested_ip(obj: Obj) -> str | None:
    annotations = obj["metadata"].get("annotations") or {}
    for key in LB_ANNOTATIONS:
        if annotations.get(key):
            return str(annotations[key]).split(",")[0].strip()
    ip = (obj.get("spec") or {}).get("loadBalancerIP")
    return str(ip) if ip else None


def _without_times(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_times(v) for k, v in value.items()
                if k not in ("lastUpdateTime", "lastTransitionTime", "lastProbeTime",
                             "completionTime")}
    if isinstance(value, list):
        return [_without_times(v) for v in value]
    return value
