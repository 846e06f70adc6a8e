"""Checks of the workload helpers' options: env, env_from, mounts, PDB, probes, strategy, memory.

Each returns the checked value in the form the ``Workload`` component keeps, or raises a
``ModelError`` naming the workload; the catalog adds the stack line of the call.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from homestack.kit._controller import AUTOSCALERS, STRATEGIES, EnvValue, Pdb
from homestack.kit._meta import check_memory, check_name
from homestack.kit._pod import EnvSource
from homestack.kit._url import HostUrl
from homestack.kit.config import ConfigFiles, ConfigMapVolume, SecretVolume
from homestack.kit.probe import Probe
from homestack.kit.rbac import ServiceAccount
from homestack.kit.secrets import ExternalSecret, SecretKey, sync
from homestack.kit.volume import Mount, Mountable
from homestack.model import ModelError, SecretRef, Stack, parse_quantity

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
EnvFromValue = ExternalSecret | SecretVolume | ConfigMapVolume | ConfigFiles


def env(
    stack: Stack, given: Mapping[str, EnvValue | HostUrl], subject: str
) -> tuple[dict[str, EnvValue | HostUrl], dict[str, str]]:
    """The env mapping and, per SecretRef key, the Secret that will hold it."""
    values = dict(given)
    names: dict[str, str] = {}
    for key, value in values.items():
        if not _ENV_NAME.fullmatch(key):
            raise ModelError(f"env name {key!r} is not valid", subject=subject)
        if isinstance(value, SecretRef):
            names[key] = sync(stack, value)
        elif not isinstance(value, str | int | bool | SecretKey | HostUrl):
            raise ModelError(
                f"env {key} has a {type(value).__name__}",
                subject=subject,
                hint="Use a string or number, or a SecretRef for secrets (never the value)",
            )
    return values, names


def env_from(
    sources: Sequence[EnvFromValue | tuple[EnvFromValue, str]], subject: str
) -> tuple[EnvSource, ...]:
    """Whole Secrets and ConfigMaps as env; a ``(source, "PREFIX_")`` pair adds a prefix."""
    out: list[EnvSource] = []
    for item in sources:
        source, prefix = item if isinstance(item, tuple) else (item, "")
        if isinstance(source, ExternalSecret):
            refs = tuple(source.data[key] for key in sorted(source.data))
            out.append(EnvSource("secret", source.name, prefix, refs))
        elif isinstance(source, SecretVolume):
            out.append(EnvSource("secret", source.name, prefix))
        elif isinstance(source, ConfigMapVolume | ConfigFiles):
            out.append(EnvSource("configmap", source.name, prefix))
        else:
            raise ModelError(
                f"env_from takes Secrets and ConfigMaps, not a {type(source).__name__}",
                subject=subject,
                hint="Use external_secret(...), secret_files('name'), config_map('name') or "
                "config_files(...)",
            )
    return tuple(out)


def mounts(given: Mapping[str, Mountable | Mount], subject: str) -> dict[str, Mountable | Mount]:
    """Absolute paths mapped to volume handles."""
    chosen = dict(given)
    for path, target in chosen.items():
        if not path.startswith("/"):
            raise ModelError(f"mount path {path!r} is not absolute", subject=subject)
        if not isinstance(target, Mount | Mountable):
            raise ModelError(
                f"mount {path} is a {type(target).__name__}, not a volume",
                subject=subject,
                hint="Mount handles from nfs_volume, block_volume, claim, empty_dir or "
                "external_secret",
            )
    return chosen


def pdb(value: Pdb | None, replicas: int, subject: str) -> Pdb | None:
    """A PDB that lets a node drain."""
    if value is None:
        return None
    if (value.min_available is None) == (value.max_unavailable is None):
        raise ModelError("a PDB takes exactly one of min_available or max_unavailable",
                         subject=subject)
    if value.max_unavailable is not None and value.max_unavailable < 1:
        raise ModelError(
            f"PDB max_unavailable={value.max_unavailable} blocks node drains",
            subject=subject, hint="Allow at least one pod to be evicted: max_unavailable=1",
        )
    if value.min_available is not None and value.min_available >= replicas:
        raise ModelError(
            f"PDB min_available={value.min_available} with {replicas} replicas blocks node "
            "drains",
            subject=subject,
            hint=f"Use min_available={max(replicas - 1, 0)} or more replicas",
        )
    return value


def account(value: str | ServiceAccount | None) -> str | None:
    """The ServiceAccount name (``"default"`` included)."""
    if value is None or isinstance(value, ServiceAccount):
        return value.name if value is not None else None
    return check_name(value, "ServiceAccount")


def probes(value: Probe | Sequence[Probe], has_ports: bool, subject: str) -> tuple[Probe, ...]:
    """Probes, each with a port or a workload port to default to."""
    chosen = (value,) if isinstance(value, Probe) else tuple(value)
    for probe in chosen:
        if not isinstance(probe, Probe):
            raise ModelError("probes take http_probe(...) or tcp_probe(...)", subject=subject)
        if probe.port is None and not has_ports:
            raise ModelError("a probe without port needs a workload port", subject=subject,
                             hint="Give the workload port=..., or the probe port=...")
    return chosen


def strategy(value: str | None, deployment: bool, needs_recreate: bool, subject: str) -> str | None:
    """A Deployment strategy; RollingUpdate is refused where two pods cannot share a volume."""
    if value is None:
        return None
    if not deployment:
        raise ModelError("strategy applies to Deployments only", subject=subject)
    if value not in STRATEGIES:
        raise ModelError(f"strategy {value!r} is unknown", subject=subject,
                         hint=f"Use one of {', '.join(STRATEGIES)}")
    if value == "RollingUpdate" and needs_recreate:
        raise ModelError("strategy RollingUpdate with a block volume or GPU would start a "
                         "second pod that cannot get them", subject=subject,
                         hint="Leave strategy out: the kit uses Recreate")
    return value


def memory_request(value: str | None, memory: str, subject: str) -> str | None:
    """A memory request at most the limit (``memory``)."""
    if value is None:
        return None
    check_memory(value, subject)
    if parse_quantity(value) > parse_quantity(memory):
        raise ModelError(f"memory_request {value} is above the limit memory={memory}",
                         subject=subject, hint="The request must not exceed the limit")
    return None if parse_quantity(value) == parse_quantity(memory) else value


def autoscaler(value: str | None, subject: str) -> str | None:
    """``"hpa"`` or ``"keda"``: the controller that owns ``spec.replicas``."""
    if value is not None and value not in AUTOSCALERS:
        raise ModelError(f"autoscaler {value!r} is unknown", subject=subject,
                         hint=f"Use one of {', '.join(AUTOSCALERS)}")
    return value


def string_map(value: Mapping[str, str], what: str, subject: str) -> dict[str, str]:
    """Annotations or labels: string keys to string values."""
    out = dict(value)
    for key, text in out.items():
        if not isinstance(key, str) or not key or not isinstance(text, str):
            raise ModelError(f"{what} {key!r}: {text!r} is not a string pair", subject=subject,
                             hint="Quote values: {'diun.enable': 'true'}")
    return out
