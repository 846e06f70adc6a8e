"""The Ingress component: renders the Traefik Ingress objects, per-ingress Middlewares and DNS.

``ingress.py`` validates the author's arguments and builds it. Intent is recorded as annotations
(``homestack.model.annotations``) so policy, docs and the dashboard read it from the rendered
object; the tile is ``dashboard.py``'s. The middleware order is the table in ``_chain.py``;
the DNS records are ``dns.py``'s; the TLS Secret is the namespace's single ``tls`` copy.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from homestack.kit import _middleware as mw
from homestack.kit._chain import ChainOptions, middlewares
from homestack.kit._meta import metadata, slug
from homestack.kit._url import HostUrl
from homestack.kit.auth import Auth, AuthMode
from homestack.kit.certs import Tls, TlsSource, wildcard
from homestack.kit.dashboard import Catalog
from homestack.kit.dns import DnsMode, records
from homestack.kit.tls import secret_for
from homestack.model import Capability, ModelError, RenderContext, Resource
from homestack.model import annotations as ann

TRAEFIK = "traefik.ingress.kubernetes.io"


@dataclass
class Ingress:
    """One routed host: its main Ingress, carve-out Ingresses, middlewares and DNS records."""

    name: str
    host: str
    service: str
    port: int
    auth: Auth
    dns: DnsMode | None
    chain: ChainOptions
    paths: tuple[str, ...] = ("/",)
    carve_outs: dict[str, Auth] = field(default_factory=dict)
    carve_backend: tuple[str, int] | None = None
    anti_ai: bool | None = None
    csp: str | None = None
    max_body_bytes: int | None = None
    sablier_group: str | None = None
    backend_kind: str = "web"
    catalog: Catalog = field(default_factory=Catalog)
    external_monitor: bool = False
    annotations: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    owned_elsewhere: tuple[str, ...] = ()
    backend_name: str = ""
    tls: Tls = field(default_factory=wildcard)

    @property
    def requires(self) -> tuple[Capability, ...]:
        """Forward-auth when an auth mode puts an outpost in the chain; Traefik's CRDs when
        this ingress renders Middleware objects of its own."""
        auths = [self.auth, *self.carve_outs.values()]
        outpost = any(a.forward_auth or a.public_auth for a in auths)
        chain = self.chain
        own_middlewares = chain.lan_only or (chain.scale_to_zero and self.sablier_group) or \
            (chain.custom_csp and self.csp) or (chain.max_body and self.max_body_bytes)
        return ((Capability.FORWARD_AUTH,) if outpost else ()) + \
            ((Capability.TRAEFIK,) if own_middlewares else ()) + \
            ((Capability.CERT_MANAGER,) if self.tls.source is TlsSource.CERT_MANAGER else ())

    @property
    def url(self) -> HostUrl:
        """``https://<host>``, resolved against the Site's domain where it is used (env)."""
        return HostUrl(self.host)

    def fqdn(self, context: RenderContext) -> str:
        """The full host name; refuses hosts outside the Site's domains."""
        domains = context.site.domains
        if self.host == "@":
            return domains.public
        if "." not in self.host:
            return f"{self.host}.{domains.public}"
        for domain in (domains.public, domains.internal):
            if self.host == domain or self.host.endswith(f".{domain}"):
                return self.host
        raise ModelError(
            f"ingress {self.name!r} host {self.host!r} is outside the Site's domains",
            hint=f"Use a label ('{self.host.split('.')[0]}') or a host under "
            f"{domains.public} or {domains.internal}",
        )

    def wildcard_secret(self, context: RenderContext) -> str | None:
        """The wildcard TLS Secret covering the host, when the certificate is the wildcard."""
        if self.tls.source is not TlsSource.WILDCARD:
            return None
        return secret_for(self.fqdn(context), context.site.domains.internal)

    def tls_secret(self, context: RenderContext) -> str | None:
        """The Secret the ingress serves; None for the controller's default certificate."""
        match self.tls.source:
            case TlsSource.WILDCARD:
                return self.wildcard_secret(context)
            case TlsSource.CERT_MANAGER:
                return f"{self.name}-tls"
            case TlsSource.SECRET:
                return self.tls.name
            case TlsSource.CONTROLLER_DEFAULT:
                return None

    def dns_mode(self, context: RenderContext, host: str) -> DnsMode:
        """The DNS mode: as given, else ``internal`` on the internal domain, else ``proxied``."""
        internal = context.site.domains.internal
        on_internal = host == internal or host.endswith(f".{internal}")
        if self.dns is None:
            return DnsMode.INTERNAL if on_internal else DnsMode.PROXIED
        if on_internal and self.dns in (DnsMode.PROXIED, DnsMode.NON_PROXIED):
            raise ModelError(f"ingress {self.name!r}: {host} is internal, dns={self.dns.value!r}"
                             " would publish it", hint="Use dns='internal' or dns='none'")
        return self.dns

    def render(self, context: RenderContext) -> Sequence[Resource]:
        host = self.fqdn(context)
        mode = self.dns_mode(context, host)
        out = self._router(context, self.name, host, mode, self.auth, list(self.paths),
                           (self.service, self.port), self.chain, self.catalog)
        target = self.carve_backend or (self.service, self.port)
        for path, carve_auth in self.carve_outs.items():
            name = f"{self.name}-{slug(path)}"[:63].rstrip("-")
            chain = with_auth(self.chain, carve_auth, self.anti_ai, pow=False)
            hidden = Catalog(name=self.catalog.name or self.backend_name, hidden=True)
            out += self._router(context, name, host, mode, carve_auth, [path], target, chain,
                                hidden)
        out += records(context.site, host, mode)
        return out

    def _router(self, context: RenderContext, name: str, host: str, mode: DnsMode, auth: Auth,
                paths: list[str], target: tuple[str, int], chain: ChainOptions,
                catalog: Catalog) -> list[Resource]:
        namespace = context.stack.namespace
        notes = self._notes(context, host, mode, auth, chain, catalog)
        notes[f"{TRAEFIK}/router.middlewares"] = ",".join(middlewares(chain, namespace, name))
        notes[f"{TRAEFIK}/router.entrypoints"] = "websecure"
        notes[f"{TRAEFIK}/router.tls"] = "true"
        backend = {"service": {"name": target[0], "port": {"number": target[1]}}}
        meta = metadata(context.stack, name, annotations={**self.annotations, **notes})
        meta["labels"] = {**self.labels, **meta["labels"]}
        body = {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "Ingress",
            "metadata": meta,
            "spec": {
                "ingressClassName": "traefik",
                "tls": [_tls_entry(host, self.tls_secret(context))],
                "rules": [{"host": host, "http": {"paths": [
                    {"path": path, "pathType": "Prefix", "backend": backend} for path in paths
                ]}}],
            },
        }
        refs = catalog.widget.secret_refs if catalog.widget and not catalog.hidden else ()
        main = Resource.k8s(body, owned_elsewhere=self.owned_elsewhere, secret_refs=refs)
        return [main, *self._certificate(context, name, host),
                *self._middlewares(context, name, chain)]

    def _certificate(self, context: RenderContext, name: str, host: str) -> list[Resource]:
        """The cert-manager Certificate of the main router (carve-outs share its Secret)."""
        if self.tls.source is not TlsSource.CERT_MANAGER or name != self.name:
            return []
        body = {
            "apiVersion": "cert-manager.io/v1",
            "kind": "Certificate",
            "metadata": metadata(context.stack, f"{self.name}-tls"),
            "spec": {"secretName": f"{self.name}-tls", "dnsNames": [host],
                     "issuerRef": {"name": self.tls.name, "kind": self.tls.issuer_kind,
                                   "group": "cert-manager.io"}},
        }
        return [Resource.k8s(body)]

    def _notes(self, context: RenderContext, host: str, mode: DnsMode, auth: Auth,
               chain: ChainOptions, catalog: Catalog) -> dict[str, str]:
        notes = {ann.AUTH: auth.mode.value, ann.DNS: mode.value,
                 ann.ANTI_AI: "true" if chain.anti_ai else "false"}
        if auth.reason:
            notes[ann.AUTH_REASON] = auth.reason
        if auth.mode is AuthMode.REQUIRED:
            groups = auth.groups or (context.site.identity.admin_group,)
            notes[ann.ALLOWED_GROUPS] = ",".join(groups)
        if chain.lan_only:
            notes[ann.LAN_ONLY] = "true"
        if self.external_monitor and not catalog.hidden:
            notes[ann.EXTERNAL_MONITOR] = "true"
        if self.backend_kind != "web":
            notes[ann.BACKEND_KIND] = self.backend_kind
        notes.update(catalog.annotations(self.backend_name or self.name, host))
        return notes

    def _middlewares(self, context: RenderContext, name: str,
                     chain: ChainOptions) -> list[Resource]:
        bodies: list[dict[str, Any]] = []
        if chain.lan_only:
            bodies.append(mw.local_only(context, name))
        if chain.scale_to_zero and self.sablier_group:
            bodies.append(mw.sablier(context, name, self.sablier_group,
                                     self.catalog.name or self.backend_name))
        if chain.custom_csp and self.csp:
            bodies.append(mw.custom_csp(context, name, self.csp))
        if chain.max_body and self.max_body_bytes:
            bodies.append(mw.buffering(context, name, self.max_body_bytes))
        return [Resource.k8s(body) for body in bodies]


def _tls_entry(host: str, secret: str | None) -> dict[str, Any]:
    return {"hosts": [host], "secretName": secret} if secret else {"hosts": [host]}


def with_auth(
    chain: ChainOptions, auth: Auth, anti_ai: bool | None, *, pow: bool
) -> ChainOptions:
    """``chain`` with the steps ``auth`` decides (forward-auth, anti-AI) and the PoW proxy."""
    return dataclasses.replace(
        chain, pow=pow, forward_auth=auth.forward_auth, public_auth=auth.public_auth,
        anti_ai=auth.anti_ai_default if anti_ai is None else anti_ai,
    )
