"""The node agent: the parts of a cluster that are not the control plane, in Python.

* **Nodes**: registers the Nodes it is given (capacity, labels, taints) as a kubelet does and
  renews their Leases, so the real node lifecycle controller keeps them Ready.
* **Pods**: binds nothing itself (the real scheduler does); once a Pod is bound to one of its
  Nodes, writes the status a kubelet would (``kubelet.py``) and, when the Pod is deleted,
  removes it as a kubelet does after its containers stopped.
* **Volumes**: a tiny external provisioner, which publishes storage capacity per Node for
  every StorageClass. A claim the PV controller hands to a provisioner
  (``volume.kubernetes.io/storage-provisioner``) gets a PersistentVolume, after the scheduler
  picked a node when its StorageClass waits for the first consumer; the real PV controller
  binds them. Released volumes with reclaim policy ``Delete`` are deleted.
* **Load balancers**: a LoadBalancer Service gets its requested address (``loadBalancerIP``
  or MetalLB's annotations) or the next one of a pool, as MetalLB would.

Everything it does is recorded as an :class:`Action` (``agent.actions()``).
"""

from __future__ import annotations

import ipaddress
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from homestack_testing.controlplane import kubelet, watch
from homestack_testing.controlplane.api import (
    MERGE_PATCH,
    Api,
    ApiError,
    Credentials,
    TransportError,
)

_HEARTBEAT_SECONDS = 5.0
_LB_ANNOTATIONS = ("metallb.io/loadBalancerIPs", "metallb.universe.tf/loadBalancerIPs")
_NO_PROVISIONER = "kubernetes.io/no-provisioner"
_PROVISIONER_ANNOTATIONS = ("volume.kubernetes.io/storage-provisioner",
                            "volume.beta.kubernetes.io/storage-provisioner")
_SELECTED_NODE = "volume.kubernetes.io/selected-node"
_PROVISIONED_BY = "pv.kubernetes.io/provisioned-by"


@dataclass(frozen=True)
class NodeSpec:
    """One Node: its name, capacity, address, labels and taints."""

    name: str
    cpu: str = "4"
    memory: str = "16Gi"
    pods: int = 110
    address: str = "10.0.0.10"
    labels: Mapping[str, str] = field(default_factory=dict)
    taints: tuple[Mapping[str, str], ...] = ()
    extended: Mapping[str, str] = field(default_factory=dict)  # nvidia.com/gpu: "1"


@dataclass(frozen=True)
class Action:
    """One thing the agent did: ``verb`` (registered, started, held, completed, failed,
    removed, provisioned, reclaimed, addressed) and its subject (``pod apps/web-1``)."""

    verb: str
    subject: str
    detail: str = ""


def _micro_time() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime())


def node_object(spec: NodeSpec) -> dict[str, Any]:
    """The Node a kubelet registers for ``spec``."""
    capacity = {"cpu": spec.cpu, "memory": spec.memory, "pods": str(spec.pods),
                "ephemeral-storage": "100Gi", **spec.extended}
    conditions = [{"type": kind, "status": "False", "reason": f"Kubelet Has No {kind}",
                   "lastHeartbeatTime": kubelet.now(), "lastTransitionTime": kubelet.now()}
                  for kind in ("MemoryPressure", "DiskPressure", "PIDPressure")]
    conditions.append({"type": "Ready", "status": "True", "reason": "KubeletReady",
                       "message": "homestack node agent is posting ready status",
                       "lastHeartbeatTime": kubelet.now(),
                       "lastTransitionTime": kubelet.now()})
    labels = {"kubernetes.io/hostname": spec.name, "kubernetes.io/os": "linux",
              "kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux",
              "beta.kubernetes.io/arch": "amd64", **spec.labels}
    return {
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"name": spec.name, "labels": labels},
        "spec": {"taints": [dict(t) for t in spec.taints]} if spec.taints else {},
        "status": {
            "capacity": capacity, "allocatable": capacity, "conditions": conditions,
            "addresses": [{"type": "InternalIP", "address": spec.address},
                          {"type": "Hostname", "address": spec.name}],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {"machineID": "", "systemUUID": "", "bootID": "",
                         "kernelVersion": "6.1.0", "osImage": "Debian GNU/Linux 12",
                         "containerRuntimeVersion": "containerd://1.7.0",
                         "kubeletVersion": "v0.0.0-homestack-agent",
                         "kubeProxyVersion": "", "operatingSystem": "linux",
                         "architecture": "amd64"},
        },
    }


_CSI_DRIVER = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")


def _volume_source(provisioner: str, uid: str) -> dict[str, Any]:
    """A CSI volume of the provisioner's driver; a host path for a provisioner whose name is
    not a driver's (``rancher.io/local-path`` makes host-path volumes too)."""
    if _CSI_DRIVER.fullmatch(provisioner):
        return {"csi": {"driver": provisioner, "volumeHandle": f"homestack-test/{uid}"}}
    return {"hostPath": {"path": f"/var/lib/homestack-test/{uid}", "type": "DirectoryOrCreate"}}


class NodeAgent:
    """Runs in threads of the test process; ``start()``, ``register(spec)``, ``stop()``."""

    def __init__(self, credentials: Credentials, *,
                 lb_pool: str = "10.10.0.100-10.10.0.199") -> None:
        self._credentials = credentials
        self._nodes: dict[str, NodeSpec] = {}
        self._lock = threading.Lock()
        self._actions: list[Action] = []
        self._pod_ips: dict[str, str] = {}
        self._held: dict[str, tuple[str, tuple[str, ...]]] = {}  # uid -> (ns/name, missing)
        self._lb_ips: dict[str, str] = {}
        first, last = (ipaddress.ip_address(p) for p in lb_pool.split("-"))
        self._lb_free = [str(ipaddress.ip_address(n)) for n in range(int(first), int(last) + 1)]
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._api = Api(credentials)

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> NodeAgent:
        loops: list[tuple[str, Callable[[], None]]] = [
            ("heartbeat", self._heartbeat_loop), ("held-pods", self._held_loop),
            *((name, self._watching(path, handle)) for name, path, handle in (
                ("pods", "/api/v1/pods", self._on_pod),
                ("claims", "/api/v1/persistentvolumeclaims", self._on_claim),
                ("volumes", "/api/v1/persistentvolumes", self._on_volume),
                ("services", "/api/v1/services", self._on_service),
                ("classes", "/apis/storage.k8s.io/v1/storageclasses", self._on_class))),
        ]
        for name, loop in loops:
            thread = threading.Thread(target=loop, name=f"node-agent-{name}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        """Stop at the next event; watches end when the API server stops."""
        self._stopping.set()

    def join(self, timeout: float = 5.0) -> None:
        for thread in self._threads:
            thread.join(timeout)
        self._api.close()

    def _watching(self, path: str, handle: watch.Handler) -> Callable[[], None]:
        return lambda: watch.run(self._credentials, path, handle, self._stopping, self.record)

    def register(self, spec: NodeSpec) -> None:
        """Create the Node (or keep the one that exists) and renew its Lease from now on."""
        try:
            self._api.request("POST", "/api/v1/nodes", node_object(spec))
        except ApiError as error:
            if error.status != 409:
                raise
        with self._lock:
            self._nodes[spec.name] = spec
        self._renew(self._api, spec)
        self.record("registered", f"node {spec.name}", f"{spec.cpu} cpu, {spec.memory}")
        for klass in self._api.request("GET", "/apis/storage.k8s.io/v1/storageclasses")["items"]:
            self._publish_capacity(self._api, klass, [spec])

    def forget(self, name: str) -> None:
        """Stop renewing ``name`` (its Node was deleted)."""
        with self._lock:
            self._nodes.pop(name, None)

    def nodes(self) -> list[NodeSpec]:
        with self._lock:
            return list(self._nodes.values())

    def actions(self) -> list[Action]:
        with self._lock:
            return list(self._actions)

    def record(self, verb: str, subject: str, detail: str = "") -> None:
        """Add to what the agent did (helpers beside it report here too)."""
        with self._lock:
            self._actions.append(Action(verb, subject, detail))

    # -- loops ----------------------------------------------------------------------------

    def _heartbeat_loop(self) -> None:
        api = Api(self._credentials)
        try:
            while not self._stopping.wait(_HEARTBEAT_SECONDS):
                for spec in self.nodes():
                    try:
                        self._renew(api, spec)
                    except (ApiError, OSError, TransportError):
                        continue  # the next beat tries again, as a kubelet does
        finally:
            api.close()

    def _renew(self, api: Api, spec: NodeSpec) -> None:
        path = f"/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/{spec.name}"
        lease = {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                 "metadata": {"name": spec.name, "namespace": "kube-node-lease"},
                 "spec": {"holderIdentity": spec.name, "leaseDurationSeconds": 40,
                          "renewTime": _micro_time()}}
        try:
            api.request("PATCH", path, {"spec": lease["spec"]}, content_type=MERGE_PATCH)
        except ApiError as error:
            if error.status != 404:
                raise
            api.request("POST", path.rsplit("/", 1)[0], lease)

    def _held_loop(self) -> None:
        """Look again at Pods waiting for a ConfigMap or Secret, as a kubelet retries."""
        api = Api(self._credentials)
        try:
            while not self._stopping.wait(0.5):
                with self._lock:
                    held = [key for key, _ in self._held.values()]
                for key in held:
                    namespace, name = key.split("/")
                    try:
                        pod = api.get(f"/api/v1/namespaces/{namespace}/pods/{name}")
                    except (ApiError, OSError, TransportError):
                        continue
                    if pod is not None:
                        watch.handle_one(api, self._on_pod, pod, self.record)
        finally:
            api.close()

    # -- pods -----------------------------------------------------------------------------

    def _on_pod(self, api: Api, pod: dict[str, Any]) -> None:
        meta, spec = pod["metadata"], pod.get("spec") or {}
        node = self._node(spec.get("nodeName"))
        key, uid = f"{meta['namespace']}/{meta['name']}", meta["uid"]
        if node is None:
            return
        path = f"/api/v1/namespaces/{meta['namespace']}/pods/{meta['name']}"
        if meta.get("deletionTimestamp"):
            with self._lock:
                self._held.pop(uid, None)
            api.request("DELETE", path, {"kind": "DeleteOptions", "apiVersion": "v1",
                                         "gracePeriodSeconds": 0,
                                         "preconditions": {"uid": uid}})
            self.record("removed", f"pod {key}", f"on {node.name}")
            return
        status = pod.get("status") or {}
        with self._lock:
            waiting_for = self._held.get(uid)
        if status.get("phase") in ("Succeeded", "Failed") or \
                (status.get("podIP") and waiting_for is None):
            return  # already reported; nothing a kubelet would look at again
        missing = kubelet.missing_references(
            pod, lambda kind, name: self._exists(api, meta["namespace"], kind, name))
        if waiting_for is not None and waiting_for[1] == tuple(missing):
            return
        ip = node.address if spec.get("hostNetwork") else self._pod_ip(uid)
        new = kubelet.pod_status(pod, host_ip=node.address, pod_ip=ip, missing=missing)
        body = {"metadata": {"resourceVersion": meta["resourceVersion"]}, "status": new}
        api.request("PATCH", path + "/status", body, content_type=MERGE_PATCH)
        with self._lock:
            if missing:
                self._held[uid] = (key, tuple(missing))
            else:
                self._held.pop(uid, None)
        verb = {"Succeeded": "completed", "Failed": "failed"}.get(new["phase"], "started")
        self.record("held" if missing else verb, f"pod {key}",
                     ", ".join(missing) if missing else f"on {node.name}")

    def _node(self, name: str | None) -> NodeSpec | None:
        with self._lock:
            return self._nodes.get(name or "")

    def _exists(self, api: Api, namespace: str, kind: str, name: str) -> bool:
        plural = {"ConfigMap": "configmaps", "Secret": "secrets"}[kind]
        return api.get(f"/api/v1/namespaces/{namespace}/{plural}/{name}") is not None

    def _pod_ip(self, uid: str) -> str:
        with self._lock:
            if uid not in self._pod_ips:
                n = len(self._pod_ips) + 2
                self._pod_ips[uid] = f"10.244.{n // 250}.{n % 250 + 2}"
            return self._pod_ips[uid]

    # -- volumes --------------------------------------------------------------------------

    def _on_claim(self, api: Api, claim: dict[str, Any]) -> None:
        meta, spec = claim["metadata"], claim.get("spec") or {}
        annotations = meta.get("annotations") or {}
        provisioner = next((annotations[a] for a in _PROVISIONER_ANNOTATIONS
                            if a in annotations), None)
        if (claim.get("status") or {}).get("phase") != "Pending" or spec.get("volumeName") \
                or provisioner in (None, _NO_PROVISIONER) or meta.get("deletionTimestamp"):
            return
        klass = api.get(f"/apis/storage.k8s.io/v1/storageclasses/{spec['storageClassName']}")
        if klass is None:
            return
        node = annotations.get(_SELECTED_NODE)
        if klass.get("volumeBindingMode") == "WaitForFirstConsumer" and not node:
            return  # the scheduler names a node once a Pod uses the claim
        volume: dict[str, Any] = {
            "apiVersion": "v1", "kind": "PersistentVolume",
            "metadata": {"name": f"pvc-{meta['uid']}",
                         "annotations": {_PROVISIONED_BY: provisioner}},
            "spec": {
                "capacity": {"storage": spec["resources"]["requests"]["storage"]},
                "accessModes": spec.get("accessModes") or ["ReadWriteOnce"],
                "volumeMode": spec.get("volumeMode", "Filesystem"),
                "storageClassName": spec["storageClassName"],
                "persistentVolumeReclaimPolicy": klass.get("reclaimPolicy", "Delete"),
                "mountOptions": klass.get("mountOptions") or [],
                "claimRef": {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                             "namespace": meta["namespace"], "name": meta["name"],
                             "uid": meta["uid"]},
                **_volume_source(provisioner, meta["uid"]),
            },
        }
        if node:
            volume["spec"]["nodeAffinity"] = {"required": {"nodeSelectorTerms": [
                {"matchExpressions": [{"key": "kubernetes.io/hostname", "operator": "In",
                                       "values": [node]}]}]}}
        try:
            api.request("POST", "/api/v1/persistentvolumes", volume)
        except ApiError as error:
            if error.status == 409:
                return  # provisioned already, on an earlier event
            raise
        self.record("provisioned", f"claim {meta['namespace']}/{meta['name']}",
                     f"{volume['metadata']['name']} by {provisioner}")

    def _on_class(self, api: Api, klass: dict[str, Any]) -> None:
        self._publish_capacity(api, klass, self.nodes())

    def _publish_capacity(self, api: Api, klass: dict[str, Any], nodes: list[NodeSpec]) -> None:
        """Storage capacity per Node for the class, as a CSI driver's provisioner publishes it
        (the scheduler checks it when the CSIDriver says ``storageCapacity: true``)."""
        name = klass["metadata"]["name"]
        for node in nodes:
            capacity = {
                "apiVersion": "storage.k8s.io/v1", "kind": "CSIStorageCapacity",
                "metadata": {"name": f"homestack-{name}-{node.name}"[:253],
                             "namespace": "kube-system"},
                "storageClassName": name, "capacity": "4Ti", "maximumVolumeSize": "4Ti",
                "nodeTopology": {"matchLabels": {"kubernetes.io/hostname": node.name}}}
            try:
                api.request("POST", "/apis/storage.k8s.io/v1/namespaces/kube-system/"
                                    "csistoragecapacities", capacity)
            except ApiError as error:
                if error.status != 409:
                    raise

    def _on_volume(self, api: Api, volume: dict[str, Any]) -> None:
        meta, spec = volume["metadata"], volume.get("spec") or {}
        if (volume.get("status") or {}).get("phase") != "Released" or \
                spec.get("persistentVolumeReclaimPolicy") != "Delete" or \
                _PROVISIONED_BY not in (meta.get("annotations") or {}) or \
                meta.get("deletionTimestamp"):
            return
        api.request("DELETE", f"/api/v1/persistentvolumes/{meta['name']}")
        self.record("reclaimed", f"volume {meta['name']}")

    # -- load balancers -------------------------------------------------------------------

    def _on_service(self, api: Api, service: dict[str, Any]) -> None:
        meta, spec = service["metadata"], service.get("spec") or {}
        if spec.get("type") != "LoadBalancer" or \
                ((service.get("status") or {}).get("loadBalancer") or {}).get("ingress"):
            return
        ip = self._lb_address(f"{meta['namespace']}/{meta['name']}", spec,
                              meta.get("annotations") or {})
        if ip is None:
            return  # the pool is exhausted: the Service stays pending, as with MetalLB
        path = f"/api/v1/namespaces/{meta['namespace']}/services/{meta['name']}/status"
        api.request("PATCH", path, {"status": {"loadBalancer": {"ingress": [
            {"ip": ip, "ipMode": "VIP"}]}}}, content_type=MERGE_PATCH)
        self.record("addressed", f"service {meta['namespace']}/{meta['name']}", ip)

    def _lb_address(self, key: str, spec: dict[str, Any], annotations: dict[str, str]
                    ) -> str | None:
        requested = spec.get("loadBalancerIP") or next(
            (annotations[a].split(",")[0].strip() for a in _LB_ANNOTATIONS if a in annotations),
            None)
        with self._lock:
            if requested:
                self._lb_ips[key] = requested
            elif key not in self._lb_ips:
                taken = set(self._lb_ips.values())
                free = [ip for ip in self._lb_free if ip not in taken]
                if not free:
                    return None
                self._lb_ips[key] = free[0]
            return self._lb_ips[key]
