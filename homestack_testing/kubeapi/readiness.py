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

from . import binding, rollout
from .kinds import ResourceKind
from .lifecycle import POD_TEMPLATE_KINDS, claims_of
from .rollout import Stage
from .store import Obj, Store, WriteCtx

NEVER_READY = "kubeapi.homestack.test/never-ready"
FAIL = "kubeapi.homestack.test/fail"
LB_ANNOTATIONS = ("metallb.universe.tf/loadBalancerIPs", "metallb.io/loadBalancerIPs")
MANAGER = "kube-controller-manager"


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

StatusFn = Callable[[Obj, dict[str, Any], Stage, str], dict[str, Any]]
WORKLOADS: dict[tuple[str, str], StatusFn] = {
    ("apps", "Deployment"): rollout.deployment_status,
    ("apps", "StatefulSet"): rollout.statefulset_status,
    ("apps", "DaemonSet"): rollout.daemonset_status,
    ("batch", "Job"): rollout.job_status,
}
PVC = ("", "PersistentVolumeClaim")
QUOTA = ("", "ResourceQuota")


class ReadinessSimulator:
    def __init__(self, store: Store, ready_after_s: float = 0.0,
                 lb_range: str = "10.10.0.100-10.10.0.199",
                 deadline_scale: float = 0.001) -> None:
        self.store = store
        self.ready_after_s = ready_after_s
        # Real seconds per second of a progress deadline (600 s pass in 0.6 s by default).
        self.deadline_scale = deadline_scale
        first, _, last = lb_range.partition("-")
        lo, hi = ipaddress.IPv4Address(first), ipaddress.IPv4Address(last or first)
        self._pool = [str(ipaddress.IPv4Address(i)) for i in range(int(lo), int(hi) + 1)]
        self._lb_ips: dict[str, str] = {}
        self._changed_at: dict[str, float] = {}
        self._pending: dict[str, tuple[ResourceKind, str, str]] = {}
        # Claims that could not bind yet, re-examined when what they wait for changes.
        self._unbound: dict[str, tuple[ResourceKind, str, str]] = {}
        self._told: dict[str, str] = {}  # claim uid -> reason of the last Event written
        self._handed: set[str] = set()  # claims handed to a provisioner, not yet bound
        store.listeners.append(self._changed)

    def _changed(self, rk: ResourceKind, old: Obj | None, new: Obj | None) -> None:
        if (rk.group, rk.kind) in BINDING_TRIGGERS and self._unbound:
            self._requeue_claims(rk, new if new is not None else old)
        if new is None:
            uid = (old or {}).get("metadata", {}).get("uid", "")
            self._changed_at.pop(uid, None)
            self._pending.pop(uid, None)
            self._unbound.pop(uid, None)
            self._handed.discard(uid)
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

    def _since(self, obj: Obj) -> float:
        return time.monotonic() - self._changed_at.get(obj["metadata"]["uid"], 0.0)

    def _due(self, obj: Obj) -> bool:
        return self._since(obj) >= self.ready_after_s

    def tick(self) -> None:
        with self.store.lock:
            for uid, (rk, namespace, name) in list(self._pending.items()):
                key = (rk.group, rk.kind)
                service = rk.kind == "Service" and not rk.group
                obj = self.store.peek(rk, namespace, name)
                if rk.is_custom or not (key in WORKLOADS or key in (PVC, QUOTA) or service) \
                        or obj is None or obj["metadata"].get("uid") != uid:
                    del self._pending[uid]
                    continue
                if key == QUOTA:
                    # The quota controller counts usage (nothing is counted here: the fake
                    # admits without quotas) and reports the limits it enforces.
                    hard = dict((obj.get("spec") or {}).get("hard") or {})
                    self._write(rk, obj, {"hard": hard, "used": dict.fromkeys(hard, "0")})
                    del self._pending[uid]
                elif key in WORKLOADS:
                    if self._roll(rk, obj, WORKLOADS[key]):
                        del self._pending[uid]
                elif key == PVC:
                    if self._settle_claim(rk, obj):
                        del self._pending[uid]
                elif self._due(obj) or _never_ready(obj):
                    # A never-ready object reports "not ready" at once, like a
                    # controller that observed it but whose pods never come up.
                    self._write(rk, obj, self._service_status(obj, not _never_ready(obj)))
                    del self._pending[uid]

    def _roll(self, rk: ResourceKind, obj: Obj, fn: StatusFn) -> bool:
        """Move a workload one stage on; True when it has reached its last stage."""
        old = obj.get("status") or {}
        now = self.store.clock()
        if _never_ready(obj):
            self._write(rk, obj, fn(obj, old, Stage.UNREADY, now))
            return True
        if not _observed(rk, obj, old):
            self._write(rk, obj, fn(obj, old, Stage.OBSERVED, now))
            return False
        if _failing(obj):
            if rk.kind == "Deployment":
                deadline = (obj.get("spec") or {}).get("progressDeadlineSeconds", 600)
                if self._since(obj) < deadline * self.deadline_scale:
                    return False
            elif rk.kind != "Job":
                return True  # stays observed, never done
            if rk.kind == "Job" and not self._due(obj):
                return False
            self._write(rk, obj, fn(obj, old, Stage.STUCK, now))
            return True
        if not self._due(obj):
            return False
        self._write(rk, obj, fn(obj, old, Stage.DONE, now))
        return True

    def _settle_claim(self, rk: ResourceKind, obj: Obj) -> bool:
        """One step of a claim; True when it needs no further visit (bound, or waiting in
        ``_unbound`` for what it lacks). A claim that can bind is first handed to its
        provisioner (one request), then bound once due: as on a real cluster, where the
        PV controller, a provisioner and the PV controller again take turns, a claim is
        never Bound at the request right after its creation."""
        meta = obj["metadata"]
        uid = meta["uid"]
        if _never_ready(obj):
            self._write(rk, obj, {"phase": "Pending"})
            return True
        if (obj.get("status") or {}).get("phase") != "Bound":
            why = binding.verdict(self.store, obj)
            if not why.bound:
                self._unbound[uid] = (rk, meta.get("namespace", ""), meta["name"])
                if self._told.get(uid) != why.reason:
                    binding.record_event(self.store, obj, why)
                    self._told[uid] = why.reason
                return True
            self._unbound.pop(uid, None)
            self._told.pop(uid, None)
            if uid not in self._handed:
                self._handed.add(uid)
                return False
        if not self._due(obj):
            return False
        self._handed.discard(uid)
        self._write(rk, obj, pvc_status(obj, True, self.store.clock()))
        return True

    def _write(self, rk: ResourceKind, obj: Obj, status: dict[str, Any] | None) -> None:
        if status is None:
            return
        # Keep timestamps stable when nothing else changed, so polling is a no-op.
        if _without_times(obj.get("status") or {}) == _without_times(status):
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


def _observed(rk: ResourceKind, obj: Obj, status: dict[str, Any]) -> bool:
    """Has the controller seen this generation (a Job: has it started)?"""
    if rk.kind == "Job":
        return "startTime" in status
    return bool(status.get("observedGeneration") == obj["metadata"].get("generation"))


def _failing(obj: Obj) -> bool:
    return (obj["metadata"].get("annotations") or {}).get(FAIL) == "true"


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
