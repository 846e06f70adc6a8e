"""DNS records an ingress implies, as Resources of the dns provider (not Kubernetes objects).

- ``proxied``: nothing per host (the zone-wide ``*`` wildcard routes through the tunnel), except
  the apex, which gets ``dns:cloudflare:CNAME:<apex>`` to the Site's tunnel target.
- ``non-proxied``: ``dns:cloudflare:A:<host>`` to the Site's public IP.
- ``internal``: ``dns:technitium:A:<host>`` to Traefik's LB IP in internal DNS.
- ``none``: nothing.

``dns_record`` declares any other record set (TXT, MX, SRV, CAA, the tunnel wildcard). MX, SRV
and CAA content is parsed at declaration (``homestack.model.dns_rdata``), so a record the
backends would refuse fails here, with its stack line, before any apply.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from homestack.kit._strict import strict
from homestack.model import ModelError, Provider, RenderContext, Resource, Site, Stack
from homestack.model.dns_names import check_content, check_name
from homestack.model.dns_rdata import FORMS, STRUCTURED, parse


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


RECORD_TYPES = frozenset({"A", "AAAA", "CNAME", "TXT", "MX", "SRV", "CAA"})


@dataclass(frozen=True)
class DnsRecord:
    """One DNS record set declared directly (TXT, MX, SRV, CAA, the tunnel wildcard, ...)."""

    name: str
    host: str
    rtype: str
    content: str
    ttl: int | None
    proxied: bool
    internal: bool
    tunnel: bool

    def render(self, context: RenderContext) -> Sequence[Resource]:
        site = context.site
        fqdn = _fqdn(site, self.host)
        internal = self.internal or _under(fqdn, site.domains.internal)
        content = _need(site.edge.tunnel_target, "tunnel_target", fqdn) if self.tunnel \
            else self.content
        body: dict[str, object] = {"type": self.rtype, "name": fqdn, "content": content}
        if not internal:
            body["proxied"] = self.proxied
        if self.ttl is not None:
            body["ttl"] = self.ttl
        family = "technitium" if internal else "cloudflare"
        return [Resource(provider=Provider.DNS, kind=f"{family}:{self.rtype}", name=fqdn,
                         body=body)]


def _under(host: str, domain: str) -> bool:
    return host == domain or host.endswith(f".{domain}")


def _fqdn(site: Site, host: str) -> str:
    """``@`` is the public apex; a label (or ``*``) lies under the public domain."""
    if host == "@":
        return site.domains.public
    if "." not in host:
        return f"{host}.{site.domains.public}"
    return host.rstrip(".").lower()


@strict
def dns_record(
    stack: Stack,
    host: str,
    rtype: str,
    content: str = "",
    *,
    ttl: int | None = None,
    proxied: bool = False,
    internal: bool = False,
    tunnel: bool = False,
) -> DnsRecord:
    """Declare one DNS record set for ``host`` (``@``, a label, ``*`` or a full name).

    Public names go to the Cloudflare zone, internal ones (or ``internal=True``) to the
    internal DNS server; ``tunnel=True`` points a CNAME at the Site's tunnel target. The TTL,
    proxying and the zone are checked by policy (HS-DNS-00x) before any apply. MX, SRV and
    CAA content is written as in a zone file (MX ``priority host``, SRV ``priority weight
    port target``, CAA ``flags tag "value"``) and refused here when it does not parse.

    Example::

        dns_record(stack, "*", "CNAME", tunnel=True, proxied=True)   # the tunnel wildcard
        dns_record(stack, "@", "TXT", "v=spf1 mx -all", ttl=3600)
        dns_record(stack, "@", "MX", "10 mail.example.org")        # priority host
        dns_record(stack, "_sip._tcp.example.org", "SRV", "10 5 5060 sip.example.org")
        dns_record(stack, "@", "CAA", '0 issue "letsencrypt.org"')  # flags tag value
    """
    if ttl is not None and (isinstance(ttl, bool) or not isinstance(ttl, int)):
        raise ModelError(f"ttl must be a number of seconds, not {ttl!r}",
                         hint="Write ttl=300 (or leave it out for the default)")
    kind = rtype.upper()
    if kind not in RECORD_TYPES:
        raise ModelError(f"DNS record type {rtype!r} is not supported",
                         hint=f"Use one of {', '.join(sorted(RECORD_TYPES))}")
    if not content and not tunnel:
        raise ModelError(f"DNS record {host} {kind} has no content",
                         hint="Give content=..., or tunnel=True for a CNAME to the tunnel")
    if tunnel and kind != "CNAME":
        raise ModelError(f"tunnel=True needs a CNAME, not {kind}", hint="Use rtype='CNAME'")
    why = check_name(host) if host != "@" else ""
    if why:
        raise ModelError(f"DNS record name {host!r:.80} {why}",
                         hint="Names have at most 253 characters, labels 1..63 of letters, "
                              "digits, '-' and '_'")
    why = "" if tunnel else check_content(kind, content)
    if why:
        raise ModelError(f"DNS record {host} {kind} content {why}")
    if kind in STRUCTURED:
        _check_rdata(host, kind, content)
    record = DnsRecord(name=f"{host}-{kind}".lower(), host=host, rtype=kind, content=content,
                       ttl=ttl, proxied=proxied, internal=internal, tunnel=tunnel)
    stack.add(record)
    return record


def _check_rdata(host: str, kind: str, content: str) -> None:
    """Refuse MX, SRV and CAA content that does not parse (both backends need its parts)."""
    try:
        parse(kind, content)
    except ValueError as exc:
        raise ModelError(f"DNS record {host} {kind} content {content!r} is not valid ({exc})",
                         hint=f"Write it as {FORMS[kind]}") from exc
