"""Rules on ingress: auth mode and reason, allowed groups, catalog tile, hosts and DNS exposure.

They read the annotations the kit writes on Ingress (and Traefik IngressRoute) objects.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from homestack.model import annotations as a
from homestack.policy import _manifest as m
from homestack.policy.context import Item, PolicyContext
from homestack.policy.rule import Hit, Rule, Scope, Severity

INGRESS_KINDS = ("Ingress", "IngressRoute")
AUTH_MODES = ("required", "app", "public", "none")
DNS_MODES = ("proxied", "non-proxied", "internal", "none")
_HOST_MATCH = re.compile(r"Host\(\s*`([^`]+)`")


def hosts(item: Item) -> list[str]:
    """Hosts an Ingress or IngressRoute serves, in declaration order, without duplicates."""
    found: list[str] = []
    if item.kind == "Ingress":
        found = [str(r.get("host")) for r in m.as_list(m.dig(item.body, "spec", "rules"))
                 if isinstance(r, dict) and r.get("host")]
    else:
        for route in m.as_list(m.dig(item.body, "spec", "routes")):
            found.extend(_HOST_MATCH.findall(str(m.as_dict(route).get("match", ""))))
    return list(dict.fromkeys(host.lower() for host in found))


def ingresses(ctx: PolicyContext) -> Iterator[Item]:
    """Every Ingress and IngressRoute."""
    return ctx.of_kind(*INGRESS_KINDS)


def under(host: str, domain: str) -> bool:
    """True when ``host`` is ``domain`` or a name below it."""
    return host == domain or host.endswith(f".{domain}")


def _auth_reason(ctx: PolicyContext) -> Iterator[Hit]:
    for item in ingresses(ctx):
        notes = m.annotations_of(item.body)
        mode = notes.get(a.AUTH, "")
        if mode in ("app", "none") and not notes.get(a.AUTH_REASON, "").strip():
            yield Hit(item.stack, item.address,
                      f"auth is {mode!r} but no reason says what gates the Service")


def _allowed_groups(ctx: PolicyContext) -> Iterator[Hit]:
    known = ctx.site.identity.group_names()
    for item in ingresses(ctx):
        for group in m.split_list(m.annotations_of(item.body).get(a.ALLOWED_GROUPS)):
            if group not in known:
                yield Hit(item.stack, item.address,
                          f"allowed group {group!r} is not in the Site roster "
                          f"(known: {', '.join(sorted(known))})")


def _known_modes(ctx: PolicyContext) -> Iterator[Hit]:
    for item in ingresses(ctx):
        notes = m.annotations_of(item.body)
        for key, allowed in ((a.AUTH, AUTH_MODES), (a.DNS, DNS_MODES)):
            value = notes.get(key)
            if value is not None and value not in allowed:
                yield Hit(item.stack, item.address,
                          f"{key} is {value!r}, expected one of {', '.join(allowed)}")


def _catalog_description(ctx: PolicyContext) -> Iterator[Hit]:
    for item in ingresses(ctx):
        notes = m.annotations_of(item.body)
        if m.is_true(notes.get(a.CATALOG_HIDDEN)):
            continue
        if not notes.get(a.CATALOG_DESCRIPTION, "").strip():
            yield Hit(item.stack, item.address, "no catalog description and not hidden")


def _wildcard_exposure(ctx: PolicyContext) -> Iterator[Hit]:
    public = ctx.site.domains.public.lower()
    for item in ingresses(ctx):
        notes = m.annotations_of(item.body)
        if notes.get(a.AUTH) != "none" or notes.get(a.DNS) != "none":
            continue
        for host in hosts(item):
            if under(host, public):
                yield Hit(item.stack, item.address,
                          f"{host} has auth none and DNS none, yet the public wildcard "
                          f"*.{public} still routes it from the internet")


def _duplicate_hosts(ctx: PolicyContext) -> Iterator[Hit]:
    stacks_of: dict[str, list[Item]] = {}
    for item in ingresses(ctx):
        for host in hosts(item):
            stacks_of.setdefault(host, []).append(item)
    for host, items in sorted(stacks_of.items()):
        stacks = sorted({item.stack for item in items})
        if len(stacks) < 2:
            continue
        for item in items:
            others = ", ".join(s for s in stacks if s != item.stack)
            yield Hit(item.stack, item.address, f"host {host} is also served by Stack {others}")


def _host_in_domains(ctx: PolicyContext) -> Iterator[Hit]:
    domains = (ctx.site.domains.public.lower(), ctx.site.domains.internal.lower())
    for item in ingresses(ctx):
        for host in hosts(item):
            if not any(under(host, domain) for domain in domains):
                yield Hit(item.stack, item.address,
                          f"host {host} is under neither {domains[0]} nor {domains[1]}")


RULES = (
    Rule("HS-AUTH-001", "auth app or none states a reason", Severity.ERROR,
         "An ingress without forward-auth must say what gates the Service (its own login, "
         "a PoW proxy, a webhook secret), so a reviewer can tell intent from accident.",
         f"Set the {a.AUTH_REASON} annotation (kit: auth.app('...') / auth.none('...'))",
         _auth_reason, scope=Scope.STACK),
    Rule("HS-AUTH-002", "allowed groups exist in the Site roster", Severity.ERROR,
         "Forward-auth denies by default; a group name that does not exist silently locks "
         "everyone but the admins out.",
         "Use a group of site.identity.groups or add the group to the roster", _allowed_groups,
         scope=Scope.STACK),
    Rule("HS-AUTH-003", "auth and DNS modes are known values", Severity.ERROR,
         "An unknown mode is treated as nothing by the dashboard, DNS and the forward-auth table.",
         "Use auth required|app|public|none and DNS proxied|non-proxied|internal|none",
         _known_modes, scope=Scope.STACK),
    Rule("HS-INGRESS-001", "ingress has a catalog description unless hidden", Severity.WARNING,
         "The catalog tile feeds the dashboard, the service catalog and uptime monitors.",
         f"Add {a.CATALOG_DESCRIPTION} (kit: description='...') or set {a.CATALOG_HIDDEN}: true",
         _catalog_description, scope=Scope.STACK),
    Rule("HS-INGRESS-002", "no public-domain host with auth none and DNS none", Severity.ERROR,
         "Public DNS has a zone-wide wildcard, so 'DNS none' does not hide a public-domain host: "
         "with auth none it is reachable by anyone.",
         "Use dns internal or the internal domain, or give the ingress auth",
         _wildcard_exposure, scope=Scope.STACK),
    Rule("HS-INGRESS-003", "no hostname served by two Stacks", Severity.ERROR,
         "Two Stacks routing one host fight over it: whichever applies last wins.",
         "Give each Service its own host or move the routes into one Stack", _duplicate_hosts),
    Rule("HS-INGRESS-004", "hosts are under the Site's domains", Severity.WARNING,
         "Neither public nor internal DNS serves a host outside the Site's domains, and the "
         "wildcard TLS certificate does not cover it.",
         "Use a host under the public or the internal domain", _host_in_domains, scope=Scope.STACK),
)
