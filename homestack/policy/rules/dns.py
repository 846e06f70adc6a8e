"""Rules on DNS records (``dns:<family>:<TYPE>:<name>`` Resources), checked before any apply:
the name inside a zone its backend serves, CNAME alone at its name, ``proxied`` only where
Cloudflare can proxy, and a TTL the backend accepts. Messages name the stack line."""

from __future__ import annotations

from collections.abc import Iterator

from homestack.model import Provider, Resource
from homestack.model.dns_settings import CLOUDFLARE_FAMILY, zone_of
from homestack.policy.context import Item, PolicyContext
from homestack.policy.rule import Hit, Rule, Scope, Severity, declared_at

PROXIABLE = frozenset({"A", "AAAA", "CNAME"})
RFC2136_TTL_MAX = 2_147_483_647


def _records(ctx: PolicyContext) -> Iterator[Item]:
    return (item for item in ctx.all if item.resource.provider is Provider.DNS)


def _family(resource: Resource) -> str:
    return resource.kind.partition(":")[0]


def _rtype(resource: Resource) -> str:
    return str(resource.body.get("type") or resource.kind.partition(":")[2]).upper()


def _name(resource: Resource) -> str:
    return str(resource.body.get("name") or resource.name).rstrip(".").lower()


def _outside(ctx: PolicyContext) -> Iterator[Hit]:
    domains = (ctx.site.domains.public, ctx.site.domains.internal)
    for item in _records(ctx):
        family = _family(item.resource)
        zones = ctx.site.dns.zones_of(family) if ctx.site.dns else ()
        zones = zones or tuple(d.lower() for d in domains)
        name = _name(item.resource)
        if zone_of(name, zones) is None:
            yield Hit(item.stack, item.address,
                      f"{declared_at(item.resource)}{name} is outside the zones "
                      f"{', '.join(zones)} that serve {family} records")


def _cname_alone(ctx: PolicyContext) -> Iterator[Hit]:
    types: dict[tuple[str, str], list[Item]] = {}
    for item in _records(ctx):
        types.setdefault((_family(item.resource), _name(item.resource)), []).append(item)
    for (_, name), items in sorted(types.items()):
        cnames = [i for i in items if _rtype(i.resource) == "CNAME"]
        if cnames and len(items) > 1:
            others = sorted(_rtype(i.resource) for i in items if i not in cnames[:1])
            for item in cnames:
                yield Hit(item.stack, item.address,
                          f"{declared_at(item.resource)}CNAME {name} shares its name with "
                          f"{', '.join(others)} record(s); a CNAME must be alone")


def _proxiable(ctx: PolicyContext) -> Iterator[Hit]:
    for item in _records(ctx):
        rtype = _rtype(item.resource)
        if item.resource.body.get("proxied") and (
                _family(item.resource) != CLOUDFLARE_FAMILY or rtype not in PROXIABLE):
            yield Hit(item.stack, item.address,
                      f"{declared_at(item.resource)}a {rtype} record cannot be proxied"
                      + ("" if _family(item.resource) == CLOUDFLARE_FAMILY
                         else " (only Cloudflare proxies)"))


def _ttl(ctx: PolicyContext) -> Iterator[Hit]:
    for item in _records(ctx):
        ttl = item.resource.body.get("ttl")
        if ttl is None:
            continue
        cloudflare = _family(item.resource) == CLOUDFLARE_FAMILY
        valid = isinstance(ttl, int) and not isinstance(ttl, bool) and (
            (ttl == 1 or 30 <= ttl <= 86400) if cloudflare else 0 <= ttl <= RFC2136_TTL_MAX)
        if not valid:
            expected = ("1 (automatic) or 30..86400" if cloudflare
                        else f"0..{RFC2136_TTL_MAX}")
            yield Hit(item.stack, item.address,
                      f"{declared_at(item.resource)}TTL {ttl!r} is out of range (expected "
                      f"{expected})")


RULES = (
    Rule("HS-DNS-001", "DNS records lie inside a zone the Site serves", Severity.ERROR,
         "A record outside every configured zone cannot be created, or lands in a zone "
         "nobody meant (split horizon).",
         "Use a host under one of the zones, or add the zone to the Site's DnsSettings",
         _outside, scope=Scope.STACK),
    Rule("HS-DNS-002", "a CNAME is alone at its name", Severity.ERROR,
         "DNS forbids other records beside a CNAME (RFC 1034); servers refuse or misbehave.",
         "Drop the other records at that name or publish the host without the CNAME",
         _cname_alone),
    Rule("HS-DNS-003", "only A, AAAA and CNAME records are proxied", Severity.ERROR,
         "Cloudflare refuses proxied TXT, MX, SRV and similar records (error 9004).",
         "Set proxied=False (or dns='non-proxied') for this record", _proxiable, scope=Scope.STACK),
    Rule("HS-DNS-004", "record TTLs are in the backend's range", Severity.ERROR,
         "Cloudflare accepts 1 (automatic) or 30..86400 seconds (error 9021); RFC 2136 "
         "servers a 32-bit unsigned value.",
         "Use ttl=1 or a TTL between 30 and 86400 seconds", _ttl, scope=Scope.STACK),
)
