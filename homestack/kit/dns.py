"""DNS records an ingress implies, as Resources of the dns provider (not Kubernetes objects).

- ``proxied``: nothing per host (the zone-wide ``*`` wildcard routes through the tunnel), except
  the apex, which gets ``dns:cloudflare:CNAME:<apex>`` to the Site's tunnel target.
- ``non-proxied``: ``dns:cloudflare:A:<host>`` to the Site's public IP.
- ``internal``: ``dns:technitium:A:<host>`` to Traefik's LB IP in internal DNS.
- ``none``: nothing.
"""

from __future__ import annotations

import enum

from homestack.model import ModelError, Provider, Resource, Site


class DnsMode(enum.Enum):
    """How an ingress host is published."""

    PROXIED = "proxied"
    NON_PROXIED = "non-proxied"
    INTERNAL = "internal"
    NONE = "none"


def _need(value: str, field: str, host: str) -> str:
    if not value:
        raise ModelError(
            f"DNS for {host} needs the Site's edge.{field}",
            hint=f"Set Site(edge=Edge({field}=...)) in site.py",
        )
    return value


def records(site: Site, host: str, mode: DnsMode) -> list[Resource]:
    """The DNS Resources for ``host`` published with ``mode``."""
    if mode is DnsMode.PROXIED and host == site.domains.public:
        target = _need(site.edge.tunnel_target, "tunnel_target", host)
        body = {"type": "CNAME", "name": host, "content": target, "proxied": True}
        return [Resource(provider=Provider.DNS, kind="cloudflare:CNAME", name=host, body=body)]
    if mode is DnsMode.NON_PROXIED:
        address = _need(site.edge.public_ip, "public_ip", host)
        body = {"type": "A", "name": host, "content": address, "proxied": False}
        return [Resource(provider=Provider.DNS, kind="cloudflare:A", name=host, body=body)]
    if mode is DnsMode.INTERNAL:
        address = _need(site.edge.ingress_ip, "ingress_ip", host)
        body = {"type": "A", "name": host, "content": address}
        return [Resource(provider=Provider.DNS, kind="technitium:A", name=host, body=body)]
    return []
