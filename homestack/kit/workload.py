"""Workload helpers: ``deployment``, ``statefulset``, ``daemonset``, ``cronjob``, ``job``.

Each requires ``memory`` (the limit; the request too unless ``memory_request`` is lower, which
only the Burstable tiers 3-edge and 4-aux allow) and a ``cpu`` request and sets no cpu limit;
images carry a tag or digest (a floating tag such as ``:latest`` only with an ``image_owner``
such as ``"keel"``). A workload with a port gets a
Service of the same name; the returned handle (``.name``, ``.service``, ``.port``, ``.host``,
``.url``) is what ``ingress``, ``load_balancer`` and other workloads' env take. Env values that
are ``SecretRef`` come from the Stack's ExternalSecret (see ``secrets.py``); such workloads get
the Reloader annotation unless ``reload_on_secret_change=False``. Every keyword is checked:
a misspelt one is an error naming the closest valid name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypedDict, Unpack

from homestack.kit import _workload_checks as checks
from homestack.kit._arguments import checked
from homestack.kit._controller import EnvValue, Pdb, Workload, WorkloadKind
from homestack.kit._meta import check_cpu, check_image, check_int, check_memory, check_name
from homestack.kit._pod import Security
from homestack.kit._ports import Port, parse_ports
from homestack.kit._strict import strict
from homestack.kit.namespace import implied_namespace
from homestack.kit.probe import Probe
from homestack.kit.rbac import ServiceAccount
from homestack.kit.secrets import SecretKey
from homestack.kit.volume import Mount, Mountable
from homestack.model import ModelError, SecretRef, Stack

BACKEND_KINDS = ("web", "git", "webdav", "caldav", "api")


class WorkloadOptions(TypedDict, total=False):
    """Options every workload helper takes (all keyword-only, all optional).

    ``port`` (with ``service_port`` when the Service shows another number) or ``ports``
    (name → number, ``"53/udp"`` or ``Port``); ``memory_request`` below the ``memory`` limit;
    ``strategy`` (Deployments: ``"Recreate"`` or ``"RollingUpdate"``); ``pod_annotations`` and
    ``pod_labels`` on the pod template; ``env_from`` whole Secrets/ConfigMaps as env;
    ``autoscaler`` (``"hpa"``/``"keda"``) hands ``spec.replicas`` to that controller;
    ``owned_elsewhere`` lists further field paths another controller owns.
    """

    port: int
    service_port: int
    ports: Mapping[str, int | str | Port]
    memory_request: str
    env: Mapping[str, EnvValue]
    env_from: Sequence[checks.EnvFromValue | tuple[checks.EnvFromValue, str]]
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
    pod_annotations: Mapping[str, str]
    pod_labels: Mapping[str, str]
    service_account: str | ServiceAccount
    strategy: str
    autoscaler: str
    owned_elsewhere: Sequence[str]


def _basics(kind: WorkloadKind, name: str, image: str, memory: str, cpu: str, replicas: int,
            options: WorkloadOptions) -> str:
    subject = f"{kind.value.lower()} {name}"
    check_name(name, kind.value)
    check_image(image, options.get("image_owner"), subject)
    check_memory(memory, subject)
    check_cpu(cpu, subject)
    if check_int(replicas, "replicas", subject) < 0:
        raise ModelError(f"replicas={replicas} must not be negative", subject=subject,
                         hint="Use replicas=0 to park a Service")
    if check_int(options.get("gpu", 0), "gpu", subject) < 0:
        raise ModelError(f"gpu={options.get('gpu')} must not be negative", subject=subject)
    if options.get("backend_kind", "web") not in BACKEND_KINDS:
        raise ModelError(f"backend_kind {options.get('backend_kind')!r} is unknown",
                         subject=subject, hint=f"Use one of {', '.join(BACKEND_KINDS)}")
    return subject


def _declare(
    stack: Stack, kind: WorkloadKind, name: str, image: str, memory: str, cpu: str,
    replicas: int, schedule: str, options: WorkloadOptions,
) -> Workload:
    subject = _basics(kind, name, image, memory, cpu, replicas, options)
    ports = parse_ports(options.get("port"), options.get("service_port"),
                        options.get("ports"), subject)
    env, secret_names = checks.env(stack, options.get("env", {}), subject)
    uses_secrets = any(isinstance(v, SecretRef | SecretKey) for v in env.values())
    env_from = checks.env_from(options.get("env_from", ()), subject)
    workload = Workload(
        name=name, kind=kind, image=image, memory=memory, cpu=cpu, namespace=stack.namespace,
        memory_request=checks.memory_request(options.get("memory_request"), memory, subject),
        ports=ports, env=env, secret_names=secret_names,
        mounts=checks.mounts(options.get("mounts", {}), subject),
        probes=checks.probes(options.get("probes", ()), bool(ports), subject),
        gpu=options.get("gpu", 0), replicas=replicas,
        pdb=checks.pdb(options.get("pdb"), replicas, subject),
        args=tuple(options.get("args", ())), command=tuple(options.get("command", ())),
        security=options.get("security"), image_owner=options.get("image_owner"),
        reload_on_secret_change=options.get("reload_on_secret_change",
                                            uses_secrets or bool(env_from)),
        schedule=schedule, backend_kind=options.get("backend_kind", "web"),
        critical=options.get("critical", False),
        annotations=checks.string_map(options.get("annotations", {}), "annotation", subject),
        pod_annotations=checks.string_map(options.get("pod_annotations", {}), "annotation",
                                          subject),
        pod_labels=checks.string_map(options.get("pod_labels", {}), "label", subject),
        service_account=checks.account(options.get("service_account")),
        env_from=env_from, autoscaler=checks.autoscaler(options.get("autoscaler"), subject),
        owned_elsewhere=tuple(options.get("owned_elsewhere", ())),
    )
    workload.strategy = checks.strategy(options.get("strategy"),
                                        kind is WorkloadKind.DEPLOYMENT,
                                        workload.needs_recreate, subject)
    implied_namespace(stack)
    stack.add(workload)
    return workload


@strict
@checked
def deployment(
    stack: Stack, name: str, *, image: str, memory: str, cpu: str, replicas: int = 1,
    **options: Unpack[WorkloadOptions],
) -> Workload:
    """Declare a Deployment (and its Service when it has a port); ``replicas=0`` parks it.

    Example::

        server = deployment(stack, "server", image="ghcr.io/immich-app/immich-server:v1.120.0",
                            port=2283, memory="2Gi", cpu="500m",
                            env={"DB_PASSWORD": db.password}, mounts={"/data": library})
    """
    return _declare(stack, WorkloadKind.DEPLOYMENT, name, image, memory, cpu, replicas, "",
                    options)


@strict
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


@strict
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


@strict
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


@strict
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
