"""Services beyond the one each workload gets, and handles for Services of other Stacks.

``service(stack, workload, name=..., ports=...)`` declares an extra Service in front of a kit
workload (a second port set, a headless Service, a NodePort). ``stack_ref("redis")`` names
another Stack; ``.service("redis", port=6379)`` gives its Service's ``.host`` and ``.url``,
so stack files need no hand-written ``*.svc.cluster.local`` names.

Example::

    redis = stack_ref("redis").service("redis", port=6379)
    deployment(stack, "app", ..., env={"REDIS_HOST": redis.host, "CACHE_URL": redis.url})
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from homestack.kit._controller import Workload, service_url
from homestack.kit._meta import check_name, metadata, selector
from homestack.kit._ports import Port, parse_port
from homestack.kit._strict import strict
from homestack.kit._workload_checks import string_map
from homestack.kit.namespace import implied_namespace
from homestack.model import ModelError, RenderContext, Resource, Stack

SERVICE_TYPES = ("ClusterIP", "NodePort", "Headless")


@dataclass(frozen=True)
class ServiceRef:
    """A Service by name and namespace: its in-cluster ``host`` and ``url``."""

    service: str
    namespace: str
    port: int | None = None
    scheme: str = "http"

    @property
    def name(self) -> str:
        """The Service name (a ServiceRef in the own namespace can back an ingress)."""
        return self.service

    @property
    def host(self) -> str:
        """``<service>.<namespace>.svc.cluster.local``."""
        return f"{self.service}.{self.namespace}.svc.cluster.local"

    @property
    def url(self) -> str:
        """``<scheme>://<host>[:port]`` (the port left out when it is the scheme's default)."""
        return service_url(self.service, self.namespace, self.port, self.scheme)

    @property
    def address(self) -> str:
        """``<host>:<port>``, for clients that take no scheme."""
        if self.port is None:
            raise ModelError(f"Service {self.service!r} has no port for an address",
                             hint="Give the port: .service(name, port=...)")
        return f"{self.host}:{self.port}"

    def pod(self, ordinal: int) -> str:
        """The stable DNS name of StatefulSet pod ``ordinal`` behind this (governing) Service."""
        return f"{self.service}-{ordinal}.{self.host}"


@dataclass(frozen=True)
class StackRef:
    """Another Stack, by name; its namespace defaults to its name."""

    name: str
    namespace: str

    def service(self, name: str, *, port: int | None = None, scheme: str = "http") -> ServiceRef:
        """A Service of that Stack. Example: ``stack_ref("ollama").service("ollama", port=11434)``.
        """
        return ServiceRef(check_name(name, "Service"), self.namespace, port, scheme)


@strict
def stack_ref(name: str, *, namespace: str | None = None) -> StackRef:
    """Name another Stack to refer to its Services (``namespace`` when it is not its name).

    Example: ``stack_ref("dbaas").service("pg-shared-rw", port=5432).host``
    """
    check_name(name, "Stack")
    return StackRef(name, check_name(namespace or name, "namespace"))


@dataclass
class Service:
    """An extra Service in front of a kit workload; also an ingress backend."""

    name: str
    app: str
    namespace: str
    ports: dict[str, Port]
    kind: str = "ClusterIP"
    annotations: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    owned_elsewhere: tuple[str, ...] = ()

    @property
    def service(self) -> str:
        """The Service name."""
        return self.name

    @property
    def port(self) -> int | None:
        """The first Service port."""
        return next(iter(self.ports.values())).service_port if self.ports else None

    @property
    def host(self) -> str:
        """In-cluster DNS name."""
        return f"{self.name}.{self.namespace}.svc.cluster.local"

    @property
    def url(self) -> str:
        """``http://<host>[:port]``."""
        return service_url(self.name, self.namespace, self.port, "http")

    def render(self, context: RenderContext) -> Sequence[Resource]:
        meta = metadata(context.stack, self.name, app=self.app,
                        annotations=self.annotations or None)
        meta["labels"].update(self.labels)
        spec: dict[str, Any] = {"type": "ClusterIP" if self.kind == "Headless" else self.kind}
        if self.kind == "Headless":
            spec["clusterIP"] = "None"
        spec["selector"] = selector(context.stack, self.app)
        spec["ports"] = [{"name": name, "port": port.service_port, "targetPort": port.number,
                          "protocol": port.protocol} for name, port in self.ports.items()]
        body = {"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": spec}
        return [Resource.k8s(body, owned_elsewhere=self.owned_elsewhere)]


def _ports(backend: Workload, ports: Mapping[str, int | str] | None,
           subject: str) -> dict[str, Port]:
    if ports is None:
        return dict(backend.ports)
    chosen: dict[str, Port] = {}
    for key, value in ports.items():
        if key not in backend.ports:
            raise ModelError(f"{backend.name!r} has no port {key!r}", subject=subject,
                             hint=f"Known ports: {', '.join(backend.ports) or 'none'}")
        given = parse_port(key, value, subject)
        chosen[key] = Port(backend.ports[key].number, given.number, backend.ports[key].protocol)
    return chosen


@strict
def service(
    stack: Stack, backend: Workload, *, name: str, ports: Mapping[str, int | str] | None = None,
    type: str = "ClusterIP", annotations: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None, owned_elsewhere: Sequence[str] = (),
) -> Service:
    """Declare another Service in front of ``backend``: ``ports`` maps its port names to the
    Service's numbers (default: every workload port, relay ports too); ``type`` is
    ``ClusterIP``, ``NodePort`` or ``Headless``.

    Example: ``service(stack, coturn, name="turn-relay", ports={"relay-0": 49160})``
    """
    subject = f"service {name}"
    check_name(name, "Service")
    if not isinstance(backend, Workload):
        raise ModelError("service() fronts a kit workload", subject=subject)
    if type not in SERVICE_TYPES:
        raise ModelError(f"type {type!r} is unknown", subject=subject,
                         hint=f"Use one of {', '.join(SERVICE_TYPES)}; LoadBalancer Services "
                         "come from load_balancer(...)")
    chosen = _ports(backend, ports, subject)
    if not chosen:
        raise ModelError("the Service exposes no port", subject=subject,
                         hint="Give the workload ports or pass ports=")
    component = Service(name=name, app=backend.name, namespace=stack.namespace, ports=chosen,
                        kind=type, annotations=string_map(annotations or {}, "annotation",
                                                          subject),
                        labels=string_map(labels or {}, "label", subject),
                        owned_elsewhere=tuple(owned_elsewhere))
    implied_namespace(stack)
    stack.add(component)
    return component
