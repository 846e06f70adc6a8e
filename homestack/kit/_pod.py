"""Pod templates of kit workloads: one container, its env, mounts, probes, GPU and security.

Internal: ``workload.py`` calls ``pod_spec``; the pure data it needs is on the Workload.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from homestack.kit._strict import strict_type
from homestack.kit._url import HostUrl
from homestack.kit.secrets import SecretKey
from homestack.kit.volume import Mount, Mountable
from homestack.model import ModelError, RenderContext, SecretRef
from homestack.model.tier import GPU_PRIORITY_CLASS

if TYPE_CHECKING:
    from homestack.kit._controller import Workload

GPU_RESOURCE = "nvidia.com/gpu"


@dataclass(frozen=True)
class EnvSource:
    """A whole Secret or ConfigMap as environment variables (``envFrom``)."""

    kind: str  # "secret" or "configmap"
    name: str
    prefix: str = ""
    refs: tuple[SecretRef, ...] = ()

    def body(self) -> dict[str, Any]:
        """The ``envFrom`` entry."""
        key = "secretRef" if self.kind == "secret" else "configMapRef"
        entry: dict[str, Any] = {key: {"name": self.name}}
        if self.prefix:
            entry["prefix"] = self.prefix
        return entry


@strict_type
@dataclass(frozen=True)
class Security:
    """Explicit security settings; the kit adds none on its own."""

    run_as_user: int | None = None
    run_as_group: int | None = None
    fs_group: int | None = None
    run_as_non_root: bool | None = None
    read_only_root_filesystem: bool | None = None
    privileged: bool = False
    capabilities: tuple[str, ...] = ()
    host_network: bool = False


def _env(workload: Workload, context: RenderContext) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for key, value in workload.env.items():
        if isinstance(value, HostUrl):
            out.append({"name": key, "value": value.resolve(context.site)})
        elif isinstance(value, SecretKey):
            ref = {"name": value.secret, "key": value.key}
            out.append({"name": key, "valueFrom": {"secretKeyRef": ref}})
        elif isinstance(value, SecretRef):
            ref = {"name": workload.secret_names[key], "key": value.key}
            out.append({"name": key, "valueFrom": {"secretKeyRef": ref}})
        elif isinstance(value, bool):
            out.append({"name": key, "value": "true" if value else "false"})
        else:
            out.append({"name": key, "value": str(value)})
    return out


def _volumes(
    workload: Workload, context: RenderContext
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    volumes: dict[str, dict[str, Any]] = {}
    mounts: list[dict[str, Any]] = []
    for path, target in workload.mounts.items():
        volume: Mountable = target.volume if isinstance(target, Mount) else target
        volumes.setdefault(volume.volume_name, {"name": volume.volume_name,
                                                **volume.volume_source(context)})
        entry: dict[str, Any] = {"name": volume.volume_name, "mountPath": path}
        if isinstance(target, Mount):
            if target.sub_path:
                entry["subPath"] = target.sub_path
            if target.read_only:
                entry["readOnly"] = True
        mounts.append(entry)
    return list(volumes.values()), mounts


def _security(security: Security) -> tuple[dict[str, Any], dict[str, Any]]:
    pod: dict[str, Any] = {}
    container: dict[str, Any] = {}
    for attr, key in (("run_as_user", "runAsUser"), ("run_as_group", "runAsGroup"),
                      ("run_as_non_root", "runAsNonRoot")):
        value = getattr(security, attr)
        if value is not None:
            pod[key] = value
    if security.fs_group is not None:
        pod["fsGroup"] = security.fs_group
    if security.read_only_root_filesystem is not None:
        container["readOnlyRootFilesystem"] = security.read_only_root_filesystem
    if security.privileged:
        container["privileged"] = True
    if security.capabilities:
        container["capabilities"] = {"add": list(security.capabilities)}
    return pod, container


def _gpu(context: RenderContext, name: str) -> dict[str, Any]:
    nodes = context.site.gpu_nodes()
    if not nodes or nodes[0].k8s is None:
        raise ModelError(
            f"workload {name!r} asks for a GPU but the Site has no GPU node",
            hint="Give a VM pci_passthrough and k8s settings in site.py, or drop gpu=",
        )
    node = nodes[0].k8s
    spec: dict[str, Any] = {"priorityClassName": GPU_PRIORITY_CLASS}
    if node.labels:
        spec["nodeSelector"] = dict(sorted(node.labels.items()))
    tolerations = []
    for taint in node.taints:
        toleration = {"key": taint.key, "operator": "Equal", "value": taint.value,
                      "effect": taint.effect}
        if not taint.value:
            toleration = {"key": taint.key, "operator": "Exists", "effect": taint.effect}
        tolerations.append(toleration)
    if tolerations:
        spec["tolerations"] = tolerations
    return spec


def container(workload: Workload, context: RenderContext) -> tuple[dict[str, Any], list[Any]]:
    """The workload's container and its pod volumes."""
    limits: dict[str, Any] = {"memory": workload.memory}
    if workload.gpu:
        limits[GPU_RESOURCE] = workload.gpu
    body: dict[str, Any] = {"name": workload.name, "image": workload.image}
    if workload.command:
        body["command"] = list(workload.command)
    if workload.args:
        body["args"] = list(workload.args)
    if workload.ports:
        body["ports"] = [{"name": name, "containerPort": port.number, "protocol": port.protocol}
                         for name, port in workload.ports.items()]
    env = _env(workload, context)
    if env:
        body["env"] = env
    if workload.env_from:
        body["envFrom"] = [source.body() for source in workload.env_from]
    requested = workload.memory_request or workload.memory
    body["resources"] = {"requests": {"cpu": workload.cpu, "memory": requested},
                         "limits": limits}
    volumes, mounts = _volumes(workload, context)
    if mounts:
        body["volumeMounts"] = mounts
    default_port: int | str = next(iter(workload.ports), 0)
    for probe in workload.probes:
        for role in probe.roles:
            body[f"{role}Probe"] = probe.body(default_port)
    return body, volumes


def pod_spec(workload: Workload, context: RenderContext) -> dict[str, Any]:
    """The pod spec of ``workload``."""
    main, volumes = container(workload, context)
    spec: dict[str, Any] = {}
    if workload.security is not None:
        pod_security, container_security = _security(workload.security)
        if pod_security:
            spec["securityContext"] = pod_security
        if container_security:
            main["securityContext"] = container_security
        if workload.security.host_network:
            spec["hostNetwork"] = True
    if workload.gpu:
        spec.update(_gpu(context, workload.name))
    if workload.restart_policy:
        spec["restartPolicy"] = workload.restart_policy
    if workload.service_account:
        spec["serviceAccountName"] = workload.service_account
    spec["containers"] = [main]
    if volumes:
        spec["volumes"] = volumes
    return spec
