"""Read rendered Kubernetes manifests: pod templates, containers, images, labels, quantities.

Rules and generators work on plain manifest dicts, so they apply to kit output and raw manifests
alike. Every accessor tolerates missing or malformed fields and returns an empty value instead.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from homestack.model import ModelError, parse_quantity
from homestack.model.image_tags import is_floating

POD_TEMPLATE_PATHS: Mapping[str, tuple[str, ...]] = {
    "Deployment": ("spec", "template"),
    "StatefulSet": ("spec", "template"),
    "DaemonSet": ("spec", "template"),
    "ReplicaSet": ("spec", "template"),
    "Job": ("spec", "template"),
    "CronJob": ("spec", "jobTemplate", "spec", "template"),
    "Pod": (),
}
GPU_RESOURCE = "nvidia.com/gpu"


def as_dict(value: object) -> dict[str, Any]:
    """``value`` when it is a dict, else an empty dict."""
    return value if isinstance(value, dict) else {}


def as_list(value: object) -> list[Any]:
    """``value`` when it is a list, else an empty list."""
    return value if isinstance(value, list) else []


def dig(body: Mapping[str, Any], *path: str) -> Any:
    """The value at ``path`` inside nested dicts, or None."""
    current: Any = body
    for key in path:
        if not isinstance(current, dict):
            return None
        current = current.get(key)
    return current


def kind(body: Mapping[str, Any]) -> str:
    """The manifest's kind."""
    return str(body.get("kind", ""))


def name(body: Mapping[str, Any]) -> str:
    """metadata.name."""
    return str(dig(body, "metadata", "name") or "")


def namespace(body: Mapping[str, Any]) -> str:
    """metadata.namespace ("" when cluster-scoped)."""
    return str(dig(body, "metadata", "namespace") or "")


def labels(body: Mapping[str, Any]) -> dict[str, str]:
    """metadata.labels as strings."""
    return {str(k): str(v) for k, v in as_dict(dig(body, "metadata", "labels")).items()}


def annotations_of(body: Mapping[str, Any]) -> dict[str, str]:
    """metadata.annotations as strings."""
    return {str(k): str(v) for k, v in as_dict(dig(body, "metadata", "annotations")).items()}


def is_true(value: str | None) -> bool:
    """True for the annotation values that mean yes."""
    return (value or "").strip().lower() in {"true", "yes", "1"}


def split_list(value: str | None) -> list[str]:
    """A comma-separated annotation value as a list of trimmed, non-empty items."""
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def pod_template(body: Mapping[str, Any]) -> dict[str, Any] | None:
    """The pod template (metadata + spec) of a workload, the Pod itself, or None."""
    path = POD_TEMPLATE_PATHS.get(kind(body))
    if path is None:
        return None
    template = dig(body, *path) if path else body
    return template if isinstance(template, dict) else None


def pod_spec(body: Mapping[str, Any]) -> dict[str, Any]:
    """The pod spec of a workload ({} when ``body`` is not one)."""
    template = pod_template(body)
    return as_dict(template.get("spec")) if template else {}


def containers(spec: Mapping[str, Any], *, init: bool = True) -> Iterator[dict[str, Any]]:
    """Containers of a pod spec (init containers too unless ``init`` is False)."""
    keys = ("initContainers", "containers") if init else ("containers",)
    for key in keys:
        for container in as_list(spec.get(key)):
            if isinstance(container, dict):
                yield container


def replicas(body: Mapping[str, Any], *, daemon_nodes: int = 1) -> int:
    """How many pods a workload runs in steady state."""
    workload = kind(body)
    if workload == "DaemonSet":
        return daemon_nodes
    if workload in {"Deployment", "StatefulSet", "ReplicaSet"}:
        value = dig(body, "spec", "replicas")
        return value if isinstance(value, int) else 1
    if workload in {"Job", "CronJob"}:
        spec = as_dict(dig(body, "spec", "jobTemplate", "spec")) if workload == "CronJob" else (
            as_dict(body.get("spec")))
        value = spec.get("parallelism")
        return value if isinstance(value, int) else 1
    return 1 if workload == "Pod" else 0


def quantity(value: object) -> Decimal | None:
    """A parsed quantity, or None when missing or malformed."""
    if value is None or isinstance(value, bool):
        return None
    if not isinstance(value, str | int | float):
        return None
    try:
        return parse_quantity(value)
    except ModelError:
        return None


def requests(container: Mapping[str, Any]) -> dict[str, Any]:
    """resources.requests of a container."""
    return as_dict(dig(container, "resources", "requests"))


def limits(container: Mapping[str, Any]) -> dict[str, Any]:
    """resources.limits of a container."""
    return as_dict(dig(container, "resources", "limits"))


def wants_gpu(spec: Mapping[str, Any]) -> bool:
    """True when any container requests or limits ``nvidia.com/gpu``."""
    for container in containers(spec):
        for amounts in (requests(container), limits(container)):
            amount = quantity(amounts.get(GPU_RESOURCE))
            if amount is not None and amount > 0:
                return True
    return False


@dataclass(frozen=True)
class Image:
    """An image reference split into registry, repository, tag and digest."""

    registry: str
    repository: str
    tag: str
    digest: str

    @classmethod
    def parse(cls, reference: str) -> Image:
        """Split ``reference``; no registry host means docker.io (like the container runtime)."""
        rest, _, digest = reference.partition("@")
        first, slash, remainder = rest.partition("/")
        if slash and ("." in first or ":" in first or first == "localhost"):
            registry, path = first, remainder
        else:
            registry, path = "docker.io", rest
        repository, colon, tag = path.rpartition(":")
        if not colon or "/" in tag:
            repository, tag = path, ""
        return cls(registry=registry, repository=repository, tag=tag, digest=digest)

    @property
    def pinned(self) -> bool:
        """A digest, or a tag that is not a floating one (``latest``, ``nightly``...)."""
        return bool(self.digest) or (bool(self.tag) and not is_floating(self.tag))
