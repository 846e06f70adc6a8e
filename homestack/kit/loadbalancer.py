"""load_balancer: a MetalLB ``LoadBalancer`` Service on the shared IP or a dedicated one.

Shared IP (``lb_pool.shared_ip``): externalTrafficPolicy ``Cluster`` and the sharing key, since
MetalLB refuses mixed policies on one IP. Dedicated (``dedicated="traefik"`` picks
``lb_pool.dedicated["traefik"]``): ``Local``, so the backend sees real client IPs. MetalLB writes
the pool it allocated from into an annotation: that field is recorded as owned elsewhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from homestack.kit._arguments import checked
from homestack.kit._controller import Workload
from homestack.kit._meta import check_name, metadata, selector
from homestack.kit._strict import strict
from homestack.kit.namespace import implied_namespace
from homestack.model import Capability, ModelError, RenderContext, Resource, Stack

LB_IPS = "metallb.io/loadBalancerIPs"
SHARING_KEY = "metallb.io/allow-shared-ip"
ALLOCATED_FROM = "metallb.io/ip-allocated-from-pool"
SHARED_KEY_VALUE = "shared"


@dataclass
class LoadBalancer:
    """A LoadBalancer Service in front of a kit workload."""

    name: str
    app: str
    ports: dict[str, tuple[int, int | str, str]]
    dedicated: str | None = None
    owned_elsewhere: tuple[str, ...] = ()
    requires: tuple[Capability, ...] = (Capability.LOAD_BALANCER,)

    def _address(self, context: RenderContext) -> tuple[str, str]:
        pool = context.site.lb_pool
        if pool is None:
            raise ModelError(f"load_balancer {self.name!r} needs the Site's lb_pool",
                             hint="Declare Site(lb_pool=LbPool(...)) in site.py")
        if self.dedicated is None:
            return pool.shared_ip, "Cluster"
        if self.dedicated not in pool.dedicated:
            known = ", ".join(sorted(pool.dedicated)) or "none"
            raise ModelError(f"load_balancer {self.name!r}: no dedicated IP {self.dedicated!r}",
                             hint=f"Known dedicated IPs: {known}; add it to lb_pool.dedicated")
        return pool.dedicated[self.dedicated], "Local"

    def render(self, context: RenderContext) -> Sequence[Resource]:
        address, policy = self._address(context)
        notes = {LB_IPS: address}
        if policy == "Cluster":
            notes[SHARING_KEY] = SHARED_KEY_VALUE
        ports = [{"name": name, "port": port, "targetPort": target, "protocol": protocol}
                 for name, (port, target, protocol) in self.ports.items()]
        body: dict[str, Any] = {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": metadata(context.stack, self.name, app=self.app, annotations=notes),
            "spec": {"type": "LoadBalancer", "externalTrafficPolicy": policy,
                     "selector": selector(context.stack, self.app), "ports": ports},
        }
        owned = (f'metadata.annotations["{ALLOCATED_FROM}"]', *self.owned_elsewhere)
        return [Resource.k8s(body, owned_elsewhere=owned)]


@strict
@checked
def load_balancer(
    stack: Stack,
    backend: Workload,
    *,
    ports: Mapping[str, int | str] | None = None,
    dedicated: str | None = None,
    name: str | None = None,
    owned_elsewhere: Sequence[str] = (),
) -> LoadBalancer:
    """Expose ``backend`` on the shared LB IP (default) or a dedicated one from the Site's pool.

    ``ports`` maps workload port names to external ports (``"53/udp"`` for UDP); default: every
    workload port with its Service number. Ports declared ``Port(..., cluster=False)`` reach
    only this Service, not the workload's ClusterIP one.

    Example::

        dns = deployment(stack, "dns", ..., ports={"dns": "53/udp", "web": 5380})
        load_balancer(stack, dns, ports={"dns": "53/udp"})
        load_balancer(stack, traefik, dedicated="traefik")
    """
    lb_name = check_name(name or f"{backend.name}-lb", "load_balancer")
    chosen: dict[str, tuple[int, int | str, str]] = {}
    wanted = ports if ports is not None else {
        key: f"{port.service_port}/{port.protocol.lower()}" for key, port in backend.ports.items()
    }
    for key, value in wanted.items():
        if key not in backend.ports:
            raise ModelError(f"load_balancer {lb_name}: {backend.name!r} has no port {key!r}",
                             hint=f"Known ports: {', '.join(backend.ports) or 'none'}")
        number, _, given = str(value).partition("/")
        protocol = (given or backend.ports[key].protocol).upper()
        if not number.isdigit() or not 0 < int(number) < 65536 or protocol not in ("TCP", "UDP"):
            raise ModelError(f"load_balancer {lb_name}: port {key}={value!r} is not valid")
        chosen[key] = (int(number), key, protocol)
    if not chosen:
        raise ModelError(f"load_balancer {lb_name} exposes no port",
                         hint="Give the workload a port or pass ports=")
    component = LoadBalancer(name=lb_name, app=backend.name, ports=chosen, dedicated=dedicated,
                             owned_elsewhere=tuple(owned_elsewhere))
    implied_namespace(stack)
    stack.add(component)
    return component
