"""Workload components: the Deployment/StatefulSet/DaemonSet/CronJob/Job, its Service and PDB.

Built by the helpers in ``workload.py``; this module renders them. Fields other controllers
own are recorded in ``owned_elsewhere``: the image when an updater owns it (``image_owner``),
the replicas when Sablier or an autoscaler (HPA, KEDA) scales the workload, and whatever the
author lists in ``owned_elsewhere=``.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from homestack.kit._meta import labels, metadata, selector
from homestack.kit._pod import EnvSource, Security, pod_spec
from homestack.kit._ports import Port
from homestack.kit._strict import strict_type
from homestack.kit._url import HostUrl
from homestack.kit.block import BlockVolume
from homestack.kit.probe import Probe
from homestack.kit.secrets import SecretKey
from homestack.kit.volume import Mount, Mountable
from homestack.model import ModelError, RenderContext, Resource, SecretRef
from homestack.model import annotations as ann

RELOADER = "reloader.stakater.com/auto"
SABLIER_ENABLE = "sablier.enable"
SABLIER_GROUP = "sablier.group"
KEEL_ANNOTATIONS = {"keel.sh/policy": "force", "keel.sh/match-tag": "true",
                    "keel.sh/trigger": "poll", "keel.sh/pollSchedule": "@every 6h"}


class WorkloadKind(enum.Enum):
    """The Kubernetes kind a workload renders to, with its apiVersion."""

    DEPLOYMENT = "Deployment"
    STATEFULSET = "StatefulSet"
    DAEMONSET = "DaemonSet"
    CRONJOB = "CronJob"
    JOB = "Job"

    @property
    def api_version(self) -> str:
        """apps/v1 or batch/v1."""
        return "batch/v1" if self in (WorkloadKind.CRONJOB, WorkloadKind.JOB) else "apps/v1"

    @property
    def pod_path(self) -> str:
        """Dotted path of the pod spec inside the object."""
        if self is WorkloadKind.CRONJOB:
            return "spec.jobTemplate.spec.template.spec"
        return "spec.template.spec"

    @property
    def long_running(self) -> bool:
        """True for kinds that serve (may have a Service, PDB, Reloader)."""
        return self not in (WorkloadKind.CRONJOB, WorkloadKind.JOB)


@strict_type
@dataclass(frozen=True)
class Pdb:
    """A PodDisruptionBudget: exactly one of ``min_available`` or ``max_unavailable``."""

    min_available: int | None = None
    max_unavailable: int | None = None


EnvValue = str | int | bool | SecretRef | SecretKey | HostUrl
STRATEGIES = ("RollingUpdate", "Recreate")
AUTOSCALERS = ("hpa", "keda")


def service_url(service: str, namespace: str, port: int | None, scheme: str) -> str:
    """``scheme://service.namespace.svc.cluster.local[:port]`` (no port when it is the default)."""
    host = f"{service}.{namespace}.svc.cluster.local"
    default = {"http": 80, "https": 443}.get(scheme)
    return f"{scheme}://{host}" if port in (None, default) else f"{scheme}://{host}:{port}"


@dataclass
class Workload:
    """One workload; also the handle ``ingress`` and ``load_balancer`` take as a backend."""

    name: str
    kind: WorkloadKind
    image: str
    memory: str
    cpu: str
    namespace: str = ""
    memory_request: str | None = None
    ports: dict[str, Port] = field(default_factory=dict)
    env: dict[str, EnvValue] = field(default_factory=dict)
    secret_names: dict[str, str] = field(default_factory=dict)
    mounts: dict[str, Mountable | Mount] = field(default_factory=dict)
    probes: tuple[Probe, ...] = ()
    gpu: int = 0
    replicas: int = 1
    pdb: Pdb | None = None
    args: tuple[str, ...] = ()
    command: tuple[str, ...] = ()
    security: Security | None = None
    image_owner: str | None = None
    reload_on_secret_change: bool = False
    schedule: str = ""
    backend_kind: str = "web"
    critical: bool = False
    annotations: dict[str, str] = field(default_factory=dict)
    sablier_group: str | None = None
    service_account: str | None = None
    strategy: str | None = None
    pod_annotations: dict[str, str] = field(default_factory=dict)
    pod_labels: dict[str, str] = field(default_factory=dict)
    env_from: tuple[EnvSource, ...] = ()
    autoscaler: str | None = None
    owned_elsewhere: tuple[str, ...] = ()

    @property
    def service(self) -> str:
        """Name of the Service in front of the workload (same as the workload)."""
        return self.name

    @property
    def port(self) -> int | None:
        """The first Service port, the default backend port of an ingress."""
        cluster = [p for p in self.ports.values() if p.cluster]
        return cluster[0].service_port if cluster else None

    @property
    def host(self) -> str:
        """In-cluster DNS name of the workload's Service."""
        return f"{self.service}.{self.namespace}.svc.cluster.local"

    @property
    def url(self) -> str:
        """``http://<service>.<namespace>.svc.cluster.local[:port]``, for other workloads' env."""
        return service_url(self.service, self.namespace, self.port, "http")

    @property
    def restart_policy(self) -> str | None:
        """OnFailure for jobs; the default for serving kinds."""
        return None if self.kind.long_running else "OnFailure"

    def _annotations(self) -> dict[str, str]:
        notes = dict(self.annotations)
        if self.image_owner:
            notes[ann.IMAGE_OWNER] = self.image_owner
            if self.image_owner == "keel":
                notes.update(KEEL_ANNOTATIONS)
        if self.reload_on_secret_change and self.kind.long_running:
            notes[RELOADER] = "true"
        if self.backend_kind != "web":
            notes[ann.BACKEND_KIND] = self.backend_kind
        if self.critical:
            notes[ann.CRITICAL] = "true"
        return notes

    def _owned_elsewhere(self) -> tuple[str, ...]:
        # dnsConfig (ndots) is set by the policy govern step, which Homestack owns too, so it is
        # not listed here: stripping it after creation would make SSA remove it.
        owned: list[str] = []
        if self.image_owner:
            owned.append(f"{self.kind.pod_path}.containers[{self.name}].image")
        if self.sablier_group or self.autoscaler:
            owned.append("spec.replicas")
        owned += [path for path in self.owned_elsewhere if path not in owned]
        return tuple(owned)

    def _template(self, context: RenderContext) -> dict[str, Any]:
        meta: dict[str, Any] = {"labels": {**self.pod_labels, **labels(context.stack, self.name)}}
        if self.pod_annotations:
            meta["annotations"] = dict(sorted(self.pod_annotations.items()))
        return {"metadata": meta, "spec": pod_spec(self, context)}

    def _spec(self, context: RenderContext) -> dict[str, Any]:
        stack = context.stack
        template = self._template(context)
        if self.kind is WorkloadKind.CRONJOB:
            return {"schedule": self.schedule, "concurrencyPolicy": "Forbid",
                    "successfulJobsHistoryLimit": 1, "failedJobsHistoryLimit": 3,
                    "jobTemplate": {"spec": {"backoffLimit": 2, "template": template}}}
        if self.kind is WorkloadKind.JOB:
            return {"backoffLimit": 3, "template": template}
        spec: dict[str, Any] = {}
        if self.kind is not WorkloadKind.DAEMONSET:
            spec["replicas"] = self.replicas
        spec["selector"] = {"matchLabels": selector(stack, self.name)}
        if self.kind is WorkloadKind.STATEFULSET:
            spec["serviceName"] = self.service
        if self.kind is WorkloadKind.DEPLOYMENT and (self.strategy or self.needs_recreate):
            spec["strategy"] = {"type": self.strategy or "Recreate"}
        spec["template"] = template
        return spec

    @property
    def needs_recreate(self) -> bool:
        """A block volume (ReadWriteOnce) or a GPU cannot be held by two pods during a roll."""
        blocks = any(
            isinstance(t.volume if isinstance(t, Mount) else t, BlockVolume)
            for t in self.mounts.values()
        )
        return blocks or self.gpu > 0

    def _check_qos(self, context: RenderContext) -> None:
        tier = context.stack.tier
        if self.memory_request is None or tier is None:
            return
        try:
            guaranteed = context.site.tier(tier).guaranteed_qos
        except KeyError:
            return
        if guaranteed:
            raise ModelError(
                f"workload {self.name!r}: memory_request={self.memory_request} below "
                f"memory={self.memory} in tier {tier.value}, which runs Guaranteed QoS",
                hint="Drop memory_request (request = limit), or use a Burstable tier "
                "(3-edge, 4-aux)",
            )

    def render(self, context: RenderContext) -> Sequence[Resource]:
        self._check_qos(context)
        stack = context.stack
        meta = metadata(stack, self.name, app=self.name, annotations=self._annotations())
        if self.sablier_group:
            meta["labels"].update({SABLIER_ENABLE: "true", SABLIER_GROUP: self.sablier_group})
        body = {"apiVersion": self.kind.api_version, "kind": self.kind.value,
                "metadata": meta, "spec": self._spec(context)}
        refs = tuple(ref for ref in (v if isinstance(v, SecretRef) else v.ref
                                     for v in self.env.values()
                                     if isinstance(v, SecretRef | SecretKey)) if ref is not None)
        refs += tuple(ref for source in self.env_from for ref in source.refs)
        out = [Resource.k8s(body, owned_elsewhere=self._owned_elsewhere(), secret_refs=refs)]
        if self.port is not None and self.kind.long_running:
            out.append(Resource.k8s(self._service(context)))
        if self.pdb is not None:
            out.append(Resource.k8s(self._pdb(context)))
        return out

    def _service(self, context: RenderContext) -> dict[str, Any]:
        notes = {ann.BACKEND_KIND: self.backend_kind} if self.backend_kind != "web" else None
        ports = [{"name": name, "port": port.service_port, "targetPort": name,
                  "protocol": port.protocol}
                 for name, port in self.ports.items() if port.cluster]
        return {"apiVersion": "v1", "kind": "Service",
                "metadata": metadata(context.stack, self.service, app=self.name,
                                     annotations=notes),
                "spec": {"type": "ClusterIP",
                         "selector": selector(context.stack, self.name), "ports": ports}}

    def _pdb(self, context: RenderContext) -> dict[str, Any]:
        assert self.pdb is not None
        spec: dict[str, Any] = {"selector": {"matchLabels": selector(context.stack, self.name)}}
        if self.pdb.min_available is not None:
            spec["minAvailable"] = self.pdb.min_available
        if self.pdb.max_unavailable is not None:
            spec["maxUnavailable"] = self.pdb.max_unavailable
        return {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
                "metadata": metadata(context.stack, self.name, app=self.name), "spec": spec}
