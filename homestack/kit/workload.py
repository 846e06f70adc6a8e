"""Workload components: the Deployment/StatefulSet/DaemonSet/CronJob/Job, its Service and PDB.

Built by the helpers in ``workloads.py``; this module renders them. Fields other controllers
own are recorded in ``owned_elsewhere``: the DNS config Kyverno injects (ndots), the image when
an updater owns it (``image_owner``), and the replicas when Sablier scales the workload to zero.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from homestack.kit._meta import labels, metadata, selector
from homestack.kit._pod import Security, pod_spec
from homestack.kit.block import BlockVolume
from homestack.kit.probe import Probe
from homestack.kit.secrets import SecretKey
from homestack.kit.volume import Mount, Mountable
from homestack.model import RenderContext, Resource, SecretRef
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


@dataclass(frozen=True)
class Pdb:
    """A PodDisruptionBudget: exactly one of ``min_available`` or ``max_unavailable``."""

    min_available: int | None = None
    max_unavailable: int | None = None


EnvValue = str | int | bool | SecretRef | SecretKey


@dataclass
class Workload:
    """One workload; also the handle ``ingress`` and ``load_balancer`` take as a backend."""

    name: str
    kind: WorkloadKind
    image: str
    memory: str
    cpu: str
    ports: dict[str, tuple[int, str]] = field(default_factory=dict)
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

    @property
    def service(self) -> str:
        """Name of the Service in front of the workload (same as the workload)."""
        return self.name

    @property
    def port(self) -> int | None:
        """The first port, the default backend port of an ingress."""
        return next(iter(self.ports.values()))[0] if self.ports else None

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
        if self.sablier_group:
            owned.append("spec.replicas")
        return tuple(owned)

    def _template(self, context: RenderContext) -> dict[str, Any]:
        return {"metadata": {"labels": labels(context.stack, self.name)},
                "spec": pod_spec(self, context)}

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
        if self.kind is WorkloadKind.DEPLOYMENT and self.needs_recreate:
            spec["strategy"] = {"type": "Recreate"}
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

    def render(self, context: RenderContext) -> Sequence[Resource]:
        stack = context.stack
        meta = metadata(stack, self.name, app=self.name, annotations=self._annotations())
        if self.sablier_group:
            meta["labels"].update({SABLIER_ENABLE: "true", SABLIER_GROUP: self.sablier_group})
        body = {"apiVersion": self.kind.api_version, "kind": self.kind.value,
                "metadata": meta, "spec": self._spec(context)}
        refs = tuple(v if isinstance(v, SecretRef) else v.ref
                     for v in self.env.values() if isinstance(v, SecretRef | SecretKey))
        out = [Resource.k8s(body, owned_elsewhere=self._owned_elsewhere(), secret_refs=refs)]
        if self.ports and self.kind.long_running:
            out.append(Resource.k8s(self._service(context)))
        if self.pdb is not None:
            out.append(Resource.k8s(self._pdb(context)))
        return out

    def _service(self, context: RenderContext) -> dict[str, Any]:
        notes = {ann.BACKEND_KIND: self.backend_kind} if self.backend_kind != "web" else None
        ports = [{"name": name, "port": port, "targetPort": name, "protocol": protocol}
                 for name, (port, protocol) in self.ports.items()]
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
