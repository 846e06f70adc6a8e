"""Server-side defaulting of the fields the real API server fills in, so that
re-applying the same manifest is a no-op and clients see realistic objects.

Only a useful subset is covered; see the package README.
"""

from __future__ import annotations

import base64
import itertools
from collections.abc import Callable
from typing import Any

Obj = dict[str, Any]

PROBE_DEFAULTS = {"timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1,
                  "failureThreshold": 3}


def _pull_policy(image: str) -> str:
    last = image.rsplit("/", 1)[-1]
    if "@" in last:
        return "IfNotPresent"
    tag = last.split(":", 1)[1] if ":" in last else "latest"
    return "Always" if tag == "latest" else "IfNotPresent"


def _container(c: Obj) -> None:
    c.setdefault("terminationMessagePath", "/dev/termination-log")
    c.setdefault("terminationMessagePolicy", "File")
    if isinstance(c.get("image"), str):
        c.setdefault("imagePullPolicy", _pull_policy(c["image"]))
    c.setdefault("resources", {})
    for port in c.get("ports") or []:
        if isinstance(port, dict):
            port.setdefault("protocol", "TCP")
    for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
        p = c.get(probe)
        if isinstance(p, dict):
            for k, v in PROBE_DEFAULTS.items():
                p.setdefault(k, v)
            if isinstance(p.get("httpGet"), dict):
                p["httpGet"].setdefault("scheme", "HTTP")


def pod_spec(spec: Obj, restart_policy: str | None = "Always") -> None:
    if restart_policy:
        spec.setdefault("restartPolicy", restart_policy)
    spec.setdefault("dnsPolicy", "ClusterFirst")
    spec.setdefault("schedulerName", "default-scheduler")
    spec.setdefault("securityContext", {})
    spec.setdefault("terminationGracePeriodSeconds", 30)
    for key in ("containers", "initContainers"):
        for c in spec.get(key) or []:
            if isinstance(c, dict):
                _container(c)
    for vol in spec.get("volumes") or []:
        if not isinstance(vol, dict):
            continue
        for src in ("configMap", "secret"):
            if isinstance(vol.get(src), dict):
                vol[src].setdefault("defaultMode", 420)
        if isinstance(vol.get("hostPath"), dict):
            vol["hostPath"].setdefault("type", "")


def _template(spec: Obj, restart_policy: str | None = "Always") -> None:
    tpl = spec.get("template")
    if isinstance(tpl, dict) and isinstance(tpl.get("spec"), dict):
        pod_spec(tpl["spec"], restart_policy)


def _deployment(obj: Obj) -> None:
    spec = obj.setdefault("spec", {})
    spec.setdefault("replicas", 1)
    strategy = spec.setdefault("strategy", {})
    strategy.setdefault("type", "RollingUpdate")
    if strategy["type"] == "RollingUpdate":
        ru = strategy.setdefault("rollingUpdate", {})
        ru.setdefault("maxSurge", "25%")
        ru.setdefault("maxUnavailable", "25%")
    spec.setdefault("revisionHistoryLimit", 10)
    spec.setdefault("progressDeadlineSeconds", 600)
    _template(spec)


def _statefulset(obj: Obj) -> None:
    spec = obj.setdefault("spec", {})
    spec.setdefault("replicas", 1)
    spec.setdefault("podManagementPolicy", "OrderedReady")
    strategy = spec.setdefault("updateStrategy", {})
    strategy.setdefault("type", "RollingUpdate")
    if strategy["type"] == "RollingUpdate":
        strategy.setdefault("rollingUpdate", {}).setdefault("partition", 0)
    spec.setdefault("revisionHistoryLimit", 10)
    spec.setdefault("persistentVolumeClaimRetentionPolicy",
                    {"whenDeleted": "Retain", "whenScaled": "Retain"})
    for tpl in spec.get("volumeClaimTemplates") or []:
        if isinstance(tpl, dict):
            tpl.setdefault("spec", {}).setdefault("volumeMode", "Filesystem")
    _template(spec)


def _daemonset(obj: Obj) -> None:
    spec = obj.setdefault("spec", {})
    strategy = spec.setdefault("updateStrategy", {})
    strategy.setdefault("type", "RollingUpdate")
    if strategy["type"] == "RollingUpdate":
        ru = strategy.setdefault("rollingUpdate", {})
        ru.setdefault("maxSurge", 0)
        ru.setdefault("maxUnavailable", 1)
    spec.setdefault("revisionHistoryLimit", 10)
    _template(spec)


def _job_spec(spec: Obj) -> None:
    spec.setdefault("backoffLimit", 6)
    spec.setdefault("completions", 1)
    spec.setdefault("parallelism", 1)
    spec.setdefault("completionMode", "NonIndexed")
    spec.setdefault("suspend", False)
    spec.setdefault("podReplacementPolicy", "TerminatingOrFailed")
    _template(spec, None)


def _cronjob(obj: Obj) -> None:
    spec = obj.setdefault("spec", {})
    spec.setdefault("concurrencyPolicy", "Allow")
    spec.setdefault("suspend", False)
    spec.setdefault("successfulJobsHistoryLimit", 3)
    spec.setdefault("failedJobsHistoryLimit", 1)
    jt = spec.get("jobTemplate")
    if isinstance(jt, dict) and isinstance(jt.get("spec"), dict):
        _job_spec(jt["spec"])


def _secret(obj: Obj) -> None:
    obj.setdefault("type", "Opaque")
    # The real server folds stringData into data on every write.
    string_data = obj.pop("stringData", None)
    if isinstance(string_data, dict):
        data = obj.setdefault("data", {})
        for k, v in string_data.items():
            data[k] = base64.b64encode(str(v).encode()).decode()


def _namespace(obj: Obj, old: Obj | None, finalize: bool) -> None:
    name = obj.get("metadata", {}).get("name", "")
    obj["metadata"].setdefault("labels", {})["kubernetes.io/metadata.name"] = name
    # Only the /finalize subresource changes spec.finalizers after create.
    finalizers = ((old or {}).get("spec") or {}).get("finalizers") if old else ["kubernetes"]
    if finalize:
        finalizers = (obj.get("spec") or {}).get("finalizers")
    spec = obj.setdefault("spec", {})
    spec.pop("finalizers", None)
    if finalizers:
        spec["finalizers"] = list(finalizers)
    obj.setdefault("status", {}).setdefault("phase", "Active")


CREATE_FINALIZERS = {
    "PersistentVolumeClaim": "kubernetes.io/pvc-protection",
    "CustomResourceDefinition": "customresourcecleanup.apiextensions.k8s.io",
}


class Defaulter:
    """Applies defaults; owns the ClusterIP and NodePort allocators."""

    def __init__(self) -> None:
        self._ips = (f"10.96.{i // 250}.{i % 250 + 1}" for i in itertools.count(1))
        self._node_ports = itertools.count(30000)
        self._by_kind: dict[str, Callable[[Obj], None]] = {
            "Deployment": _deployment,
            "StatefulSet": _statefulset,
            "DaemonSet": _daemonset,
            "ReplicaSet": lambda o: _template(o.setdefault("spec", {})),
            "Job": lambda o: _job_spec(o.setdefault("spec", {})),
            "CronJob": _cronjob,
            "Pod": lambda o: pod_spec(o.setdefault("spec", {})),
            "Secret": _secret,
            "PersistentVolumeClaim": self._pvc,
            "PersistentVolume": self._pv,
            "StorageClass": self._storage_class,
            "PriorityClass": lambda o: o.setdefault("preemptionPolicy", "PreemptLowerPriority"),
            "NetworkPolicy": self._netpol,
        }

    def apply(self, obj: Obj, old: Obj | None, subresource: str = "") -> None:
        kind = obj.get("kind", "")
        finalizer = CREATE_FINALIZERS.get(kind)
        if finalizer and old is None:
            # Added on create (admission, or the CRD controller), so deletion waits.
            finalizers = obj.setdefault("metadata", {}).setdefault("finalizers", [])
            if finalizer not in finalizers:
                finalizers.append(finalizer)
        if kind == "Service":
            self._service(obj, old)
        elif kind == "Namespace":
            _namespace(obj, old, subresource == "finalize")
        fn = self._by_kind.get(kind)
        if fn is not None:
            fn(obj)

    def _service(self, obj: Obj, old: Obj | None) -> None:
        spec = obj.setdefault("spec", {})
        old_spec = (old or {}).get("spec") or {}
        spec.setdefault("type", "ClusterIP")
        spec.setdefault("sessionAffinity", "None")
        if spec["type"] != "ExternalName":
            # Allocated values survive updates that do not mention them.
            ip = spec.get("clusterIP") or old_spec.get("clusterIP") or next(self._ips)
            spec["clusterIP"] = ip
            spec.setdefault("clusterIPs", old_spec.get("clusterIPs") or [ip])
            spec.setdefault("ipFamilies", ["IPv4"])
            spec.setdefault("ipFamilyPolicy", "SingleStack")
            spec.setdefault("internalTrafficPolicy", "Cluster")
        old_ports = {p.get("port"): p for p in old_spec.get("ports") or [] if isinstance(p, dict)}
        external = spec["type"] in ("NodePort", "LoadBalancer")
        for port in spec.get("ports") or []:
            if not isinstance(port, dict):
                continue
            port.setdefault("protocol", "TCP")
            port.setdefault("targetPort", port.get("port"))
            if external and "nodePort" not in port:
                prev = old_ports.get(port.get("port"), {}).get("nodePort")
                port["nodePort"] = prev or next(self._node_ports)
        if external:
            spec.setdefault("externalTrafficPolicy", "Cluster")
        if spec["type"] == "LoadBalancer":
            spec.setdefault("allocateLoadBalancerNodePorts", True)
        obj.setdefault("status", {}).setdefault("loadBalancer", {})

    @staticmethod
    def _pvc(obj: Obj) -> None:
        obj.setdefault("spec", {}).setdefault("volumeMode", "Filesystem")
        obj.setdefault("status", {}).setdefault("phase", "Pending")

    @staticmethod
    def _pv(obj: Obj) -> None:
        spec = obj.setdefault("spec", {})
        spec.setdefault("persistentVolumeReclaimPolicy", "Retain")
        spec.setdefault("volumeMode", "Filesystem")
        obj.setdefault("status", {}).setdefault("phase", "Available")

    @staticmethod
    def _storage_class(obj: Obj) -> None:
        obj.setdefault("reclaimPolicy", "Delete")
        obj.setdefault("volumeBindingMode", "Immediate")

    @staticmethod
    def _netpol(obj: Obj) -> None:
        spec = obj.setdefault("spec", {})
        if "policyTypes" not in spec:
            spec["policyTypes"] = ["Ingress"] + (["Egress"] if spec.get("egress") else [])
        for rule in (spec.get("ingress") or []) + (spec.get("egress") or []):
            for port in (rule or {}).get("ports") or []:
                if isinstance(port, dict):
                    port.setdefault("protocol", "TCP")
