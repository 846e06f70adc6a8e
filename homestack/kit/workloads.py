"""Workload helpers: ``deployment``, ``statefulset``, ``daemonset``, ``cronjob``, ``job``.

Each requires ``memory`` (request = limit) and a ``cpu`` request and sets no cpu limit; images
carry a tag or digest (``:latest`` only with an ``image_owner`` such as ``"keel"``). A workload
with a port gets a Service of the same name; the returned handle (``.name``, ``.service``,
``.port``) is what ``ingress`` and ``load_balancer`` take. Env values that are ``SecretRef``
come from the Stack's ExternalSecret (see ``secrets.py``); such workloads get the Reloader
annotation unless ``reload_on_secret_change=False``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TypedDict, Unpack

from homestack.kit._arguments import checked
from homestack.kit._meta import check_cpu, check_image, check_int, check_memory, check_name
from homestack.kit._pod import Security
from homestack.kit.probe import Probe
from homestack.kit.rbac import ServiceAccount
from homestack.kit.secrets import SecretKey, sync
from homestack.kit.volume import Mount, Mountable
from homestack.kit.workload import EnvValue, Pdb, Workload, WorkloadKind
from homestack.model import ModelError, SecretRef, Stack

BACKEND_KINDS = ("web", "git", "webdav", "caldav", "api")
_PORT_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


class WorkloadOptions(TypedDict, total=False):
    """Options every workload helper takes (all keyword-only, all optional)."""

    port: int
    ports: Mapping[str, int | str]
    env: Mapping[str, EnvValue]
    mounts: Mapping[str, Mountable | Mount]
    probes: Probe | Sequence[Probe]
    gpu: int
    pdb: Pdb
    args: Sequence[str]
    command: Sequence[str]
    security: Security
    image_owner: str
    reload_on_secret_change: bool
    backend_kind: str
    critical: bool
    annotations: Mapping[str, str]
    service_account: str | ServiceAccount


def _ports(options: WorkloadOptions, subject: str) -> dict[str, tuple[int, str]]:
    if "port" in options and "ports" in options:
        raise ModelError("give port or ports, not both", subject=subject)
    raw: Mapping[str, int | str] = (
        {"http": options["port"]} if "port" in options else options.get("ports", {})
    )
    out: dict[str, tuple[int, str]] = {}
    for name, value in raw.items():
        number_text, _, protocol = str(value).partition("/")
        protocol = (protocol or "tcp").upper()
        if not _PORT_NAME.match(name) or not number_text.isdigit() or protocol not in (
            "TCP", "UDP"
        ) or not 0 < int(number_text) < 65536:
            raise ModelError(
                f"port {name}={value!r} is not valid",
                subject=subject,
                hint="Name ports with up to 15 lowercase letters/digits/'-' and give 1-65535, "
                "optionally '/udp'",
            )
        out[name] = (int(number_text), protocol)
    return out


def _env(
    stack: Stack, options: WorkloadOptions, subject: str
) -> tuple[dict[str, EnvValue], dict[str, str]]:
    env = dict(options.get("env", {}))
    names: dict[str, str] = {}
    for key, value in env.items():
        if not _ENV_NAME.match(key):
            raise ModelError(f"env name {key!r} is not valid", subject=subject)
        if isinstance(value, SecretRef):
            names[key] = sync(stack, value)
        elif not isinstance(value, str | int | bool | SecretKey):
            raise ModelError(
                f"env {key} has a {type(value).__name__}",
                subject=subject,
                hint="Use a string or number, or a SecretRef for secrets (never the value)",
            )
    return env, names


def _mounts(options: WorkloadOptions, subject: str) -> dict[str, Mountable | Mount]:
    mounts = dict(options.get("mounts", {}))
    for path, target in mounts.items():
        if not path.startswith("/"):
            raise ModelError(f"mount path {path!r} is not absolute", subject=subject)
        if not isinstance(target, Mount | Mountable):
            raise ModelError(
                f"mount {path} is a {type(target).__name__}, not a volume",
                subject=subject,
                hint="Mount handles from nfs_volume, block_volume, empty_dir or external_secret",
            )
    return mounts


def _pdb(pdb: Pdb | None, replicas: int, subject: str) -> Pdb | None:
    if pdb is None:
        return None
    if (pdb.min_available is None) == (pdb.max_unavailable is None):
        raise ModelError("a PDB takes exactly one of min_available or max_unavailable",
                         subject=subject)
    if pdb.max_unavailable is not None and pdb.max_unavailable < 1:
        raise ModelError(
            f"PDB max_unavailable={pdb.max_unavailable} blocks node drains",
            subject=subject, hint="Allow at least one pod to be evicted: max_unavailable=1",
        )
    if pdb.min_available is not None and pdb.min_available >= replicas:
        raise ModelError(
            f"PDB min_available={pdb.min_available} with {replicas} replicas blocks node drains",
            subject=subject,
            hint=f"Use min_available={max(replicas - 1, 0)} or more replicas",
        )
    return pdb


def _account(value: str | ServiceAccount | None) -> str | None:
    if value is None or isinstance(value, ServiceAccount):
        return value.name if value is not None else None
    return check_name(value, "ServiceAccount")


def _probes(options: WorkloadOptions, has_ports: bool, subject: str) -> tuple[Probe, ...]:
    value = options.get("probes", ())
    probes = (value,) if isinstance(value, Probe) else tuple(value)
    for probe in probes:
        if not isinstance(probe, Probe):
            raise ModelError("probes take http_probe(...) or tcp_probe(...)", subject=subject)
        if probe.port is None and not has_ports:
            raise ModelError("a probe without port needs a workload port", subject=subject,
                             hint="Give the workload port=..., or the probe port=...")
    return probes


def _declare(
    stack: Stack,
    kind: WorkloadKind,
    name: str,
    image: str,
    memory: str,
    cpu: str,
    replicas: int,
    schedule: str,
    options: WorkloadOptions,
) -> Workload:
    subject = f"{kind.value.lower()} {name}"
    check_name(name, kind.value)
    owner = options.get("image_owner")
    check_image(image, owner, subject)
    check_memory(memory, subject)
    check_cpu(cpu, subject)
    if check_int(replicas, "replicas", subject) < 1:
        raise ModelError(f"replicas={replicas} must be at least 1", subject=subject)
    gpu = check_int(options.get("gpu", 0), "gpu", subject)
    if gpu < 0:
        raise ModelError(f"gpu={gpu} must not be negative", subject=subject)
    backend_kind = options.get("backend_kind", "web")
    if backend_kind not in BACKEND_KINDS:
        raise ModelError(f"backend_kind {backend_kind!r} is unknown", subject=subject,
                         hint=f"Use one of {', '.join(BACKEND_KINDS)}")
    ports = _ports(options, subject)
    env, secret_names = _env(stack, options, subject)
    uses_secrets = any(isinstance(v, SecretRef | SecretKey) for v in env.values())
    workload = Workload(
        name=name, kind=kind, image=image, memory=memory, cpu=cpu, ports=ports, env=env,
        secret_names=secret_names, mounts=_mounts(options, subject),
        probes=_probes(options, bool(ports), subject), gpu=gpu, replicas=replicas,
        pdb=_pdb(options.get("pdb"), replicas, subject),
        args=tuple(options.get("args", ())), command=tuple(options.get("command", ())),
        security=options.get("security"), image_owner=owner,
        reload_on_secret_change=options.get("reload_on_secret_change", uses_secrets),
        schedule=schedule, backend_kind=backend_kind, critical=options.get("critical", False),
        annotations=dict(options.get("annotations", {})),
        service_account=_account(options.get("service_account")),
    )
    stack.add(workload)
    return workload


@checked
def deployment(
    stack: Stack, name: str, *, image: str, memory: str, cpu: str, replicas: int = 1,
    **options: Unpack[WorkloadOptions],
) -> Workload:
    """Declare a Deployment (and its Service when it has a port).

    Example::

        server = deployment(stack, "server", image="ghcr.io/immich-app/immich-server:v1.120.0",
                            port=2283, memory="2Gi", cpu="500m",
                            env={"DB_PASSWORD": db.password}, mounts={"/data": library})
    """
    return _declare(stack, WorkloadKind.DEPLOYMENT, name, image, memory, cpu, replicas, "",
                    options)


@checked
def statefulset(
    stack: Stack, name: str, *, image: str, memory: str, cpu: str, replicas: int = 1,
    **options: Unpack[WorkloadOptions],
) -> Workload:
    """Declare a StatefulSet (its Service, same name, is also its governing Service).

    Example: ``statefulset(stack, "redis", image="docker.io/library/redis:7.4.1", port=6379,
    memory="256Mi", cpu="50m", mounts={"/data": block_volume(stack, "redis", size="2Gi")})``
    """
    return _declare(stack, WorkloadKind.STATEFULSET, name, image, memory, cpu, replicas, "",
                    options)


@checked
def daemonset(
    stack: Stack, name: str, *, image: str, memory: str, cpu: str,
    **options: Unpack[WorkloadOptions],
) -> Workload:
    """Declare a DaemonSet (one pod per node).

    Example: ``daemonset(stack, "node-exporter", image="quay.io/prometheus/node-exporter:v1.8.2",
    port=9100, memory="64Mi", cpu="20m")``
    """
    return _declare(stack, WorkloadKind.DAEMONSET, name, image, memory, cpu, 1, "", options)


@checked
def cronjob(
    stack: Stack, name: str, *, schedule: str, image: str, memory: str, cpu: str,
    **options: Unpack[WorkloadOptions],
) -> Workload:
    """Declare a CronJob (concurrency Forbid, restart OnFailure).

    Example: ``cronjob(stack, "sync", schedule="0 * * * *", image="ghcr.io/acme/sync:1.0.0",
    memory="128Mi", cpu="50m", args=["--once"])``
    """
    if len(schedule.split()) != 5 and not schedule.startswith("@"):
        raise ModelError(f"schedule {schedule!r} is not a cron expression",
                         subject=f"cronjob {name}", hint="Use five fields, like '0 3 * * *'")
    return _declare(stack, WorkloadKind.CRONJOB, name, image, memory, cpu, 1, schedule, options)


@checked
def job(
    stack: Stack, name: str, *, image: str, memory: str, cpu: str,
    **options: Unpack[WorkloadOptions],
) -> Workload:
    """Declare a one-off Job (restart OnFailure, three retries).

    Example: ``job(stack, "migrate", image="ghcr.io/acme/app:2.1.0", args=["migrate"],
    memory="256Mi", cpu="100m")``
    """
    return _declare(stack, WorkloadKind.JOB, name, image, memory, cpu, 1, "", options)
