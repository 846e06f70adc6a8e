"""Configuration files as volumes: a ConfigMap the Stack declares, or an existing ConfigMap or
Secret (an ExternalSecret's target, a Helm chart's ConfigMap) mounted by name.

Example::

    settings = config_files(stack, "prometheus-config", {"prometheus.yml": PROMETHEUS_YML})
    statefulset(stack, "prometheus", ..., mounts={"/etc/prometheus": settings})
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from homestack.kit._arguments import checked
from homestack.kit._meta import check_name, metadata
from homestack.kit._strict import strict
from homestack.kit.namespace import implied_namespace
from homestack.model import ModelError, RenderContext, Resource, Stack

_MAX_CONFIG_BYTES = 1_000_000  # the API server refuses ConfigMaps above 1 MiB


@dataclass
class ConfigFiles:
    """A ConfigMap of files declared by the Stack; mount it like any kit volume."""

    name: str
    files: dict[str, str] = field(default_factory=dict)
    owned_elsewhere: tuple[str, ...] = ()

    @property
    def volume_name(self) -> str:
        return self.name

    def volume_source(self, context: RenderContext) -> dict[str, Any]:
        return {"configMap": {"name": self.name}}

    def render(self, context: RenderContext) -> Sequence[Resource]:
        body = {"apiVersion": "v1", "kind": "ConfigMap",
                "metadata": metadata(context.stack, self.name),
                "data": dict(sorted(self.files.items()))}
        return [Resource.k8s(body, owned_elsewhere=self.owned_elsewhere)]


@dataclass(frozen=True)
class ConfigMapVolume:
    """An existing ConfigMap, mounted by name (nothing is declared)."""

    name: str

    @property
    def volume_name(self) -> str:
        return f"cm-{self.name}"[:63]

    def volume_source(self, context: RenderContext) -> dict[str, Any]:
        return {"configMap": {"name": self.name}}


@dataclass(frozen=True)
class SecretVolume:
    """An existing Secret (usually an ExternalSecret's target), mounted by name."""

    name: str

    @property
    def volume_name(self) -> str:
        return f"secret-{self.name}"[:63]

    def volume_source(self, context: RenderContext) -> dict[str, Any]:
        return {"secret": {"secretName": self.name}}


@strict
@checked
def config_files(
    stack: Stack, name: str, files: Mapping[str, str], *, owned_elsewhere: Sequence[str] = (),
) -> ConfigFiles:
    """Declare a ConfigMap holding ``files`` (file name → text) and return it as a volume.

    Example: ``config_files(stack, "app-config", {"config.yml": "mode: fast\\n"})``
    """
    check_name(name, "ConfigMap")
    if not files:
        raise ModelError(f"config_files {name!r} has no files")
    for file_name, text in files.items():
        if "/" in file_name or not file_name or not isinstance(text, str):
            raise ModelError(f"config file {file_name!r} of {name!r} is not valid",
                             hint="Use plain file names (no '/') mapped to their text")
    if sum(len(text.encode()) for text in files.values()) > _MAX_CONFIG_BYTES:
        raise ModelError(f"config_files {name!r} is larger than 1 MB",
                         hint="Serve large files from an nfs_volume instead")
    component = ConfigFiles(name=name, files=dict(files), owned_elsewhere=tuple(owned_elsewhere))
    implied_namespace(stack)
    stack.add(component)
    return component


@strict
@checked
def config_map(name: str) -> ConfigMapVolume:
    """An existing ConfigMap as a volume. Example: ``mounts={"/conf": config_map("nginx")}``."""
    check_name(name, "ConfigMap")
    return ConfigMapVolume(name)


@strict
@checked
def secret_files(name: str) -> SecretVolume:
    """An existing Secret as a volume (its keys become files; values never pass the kit).

    Example: ``mounts={"/run/secrets/app": secret_files("app-secrets")}``
    """
    check_name(name, "Secret")
    return SecretVolume(name)
