"""The DNS provider: one target for ``Provider.DNS``, a backend per record family.

``open_dns(site)`` builds the target from ``Site.dns``: ``cloudflare`` records go to the
Cloudflare API (``cloudflare.py``), ``technitium`` (internal) records to an RFC 2136 server
(``rfc2136.py``). Returns None when the Site configures no DNS backend.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from homestack.model import Site
from homestack.model.dns_settings import CLOUDFLARE_FAMILY, INTERNAL_FAMILY
from homestack.providers.dns.backend import Backend
from homestack.providers.dns.records import Owner, Record, Wanted, ZoneRecords
from homestack.providers.dns.target import DnsTarget, DnsView

if TYPE_CHECKING:
    from homestack.providers.registry import OpenRequest


def open_dns(site: Site, environ: dict[str, str] | None = None) -> DnsTarget | None:
    """The DNS target of ``site`` (None when ``site.dns`` configures no backend).

    ``environ`` replaces ``os.environ`` as the source of the token and the TSIG secret.
    """
    settings = site.dns
    if settings is None:
        return None
    backends: dict[str, Backend] = {}
    try:
        if settings.cloudflare is not None:
            from homestack.providers.dns.cloudflare import CloudflareBackend  # SDK only if used

            backends[CLOUDFLARE_FAMILY] = CloudflareBackend(settings.cloudflare, environ)
        if settings.rfc2136 is not None:
            from homestack.providers.dns.rfc2136 import Rfc2136Backend

            backends[INTERNAL_FAMILY] = Rfc2136Backend(settings.rfc2136, environ)
    except BaseException:
        for backend in backends.values():
            backend.close()
        raise
    return DnsTarget(site.name, backends, settings.adopt) if backends else None


__all__ = ["Backend", "DnsTarget", "DnsView", "Owner", "Record", "Wanted", "ZoneRecords",
           "open_dns"]


def open_target(request: OpenRequest) -> DnsTarget | None:
    """The registry's opener: the DNS target when the Site configures a backend."""
    return open_dns(request.homelab.site)
