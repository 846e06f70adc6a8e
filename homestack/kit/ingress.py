"""``ingress``: route a host to a backend with auth, DNS, the middleware chain, TLS and a tile.

Defaults are the safe choice: ``auth`` is ``auth.required()`` (forward-auth, the Site's admin
group); anti-AI is on for ``app``/``none``; DNS is ``proxied`` on the public domain and
``internal`` on the internal one. The namespace's wildcard TLS copy is attached once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from homestack.kit._arguments import checked
from homestack.kit._backend import Backend
from homestack.kit._chain import ChainOptions
from homestack.kit._controller import Workload, WorkloadKind
from homestack.kit._meta import check_name
from homestack.kit._routing import Ingress, with_auth
from homestack.kit._strict import strict
from homestack.kit._workload_checks import string_map
from homestack.kit.anubis import Anubis, anubis, refuse_pow
from homestack.kit.auth import Auth, required
from homestack.kit.certs import Tls, TlsSource, wildcard
from homestack.kit.dashboard import Catalog
from homestack.kit.dns import DnsMode
from homestack.kit.namespace import implied_namespace
from homestack.kit.tls import tls as wildcard_copy
from homestack.kit.workload import BACKEND_KINDS
from homestack.model import ModelError, Stack, parse_quantity

_LABEL = r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?"
_HOST = re.compile(rf"^(@|{_LABEL}(\.{_LABEL})*)$")
_PATH = re.compile(r"^/[A-Za-z0-9._~/-]*$")


def _host(host: str, subject: str) -> str:
    if len(host) > 253 or not _HOST.fullmatch(host):
        raise ModelError(f"host {host!r} is not a DNS name", subject=subject,
                         hint="Use a label like 'immich' or a full host like 'immich.example.org'")
    return host


def _paths(paths: Sequence[str], subject: str) -> tuple[str, ...]:
    for path in paths:
        if not _PATH.fullmatch(path):
            raise ModelError(f"path {path!r} must start with '/'", subject=subject)
    return tuple(paths)


def _dns(dns: str | None, subject: str) -> DnsMode | None:
    if dns is None:
        return None
    try:
        return DnsMode(dns)
    except ValueError:
        modes = ", ".join(mode.value for mode in DnsMode)
        raise ModelError(f"dns {dns!r} is unknown", subject=subject,
                         hint=f"Use one of {modes}") from None


def _sablier(backend: Backend, stack: Stack, subject: str) -> str:
    real = backend.fronts if isinstance(backend, Anubis) else backend
    if not isinstance(real, Workload) or real.kind not in (WorkloadKind.DEPLOYMENT,
                                                           WorkloadKind.STATEFULSET):
        raise ModelError("scale_to_zero needs a kit Deployment or StatefulSet backend",
                         subject=subject, hint="Declare the backend with deployment(...)")
    real.sablier_group = f"{stack.namespace}-{real.name}"
    return real.sablier_group


def _kind(backend: Backend, given: str | None, subject: str) -> str:
    real = backend.fronts if isinstance(backend, Anubis) else backend
    kind = given or str(getattr(real, "backend_kind", "web"))
    if kind not in BACKEND_KINDS:
        raise ModelError(f"backend_kind {kind!r} is unknown", subject=subject,
                         hint=f"Use one of {', '.join(BACKEND_KINDS)}")
    return kind


def _front(
    stack: Stack, backend: Backend, port: int | None, pow: bool, subject: str
) -> tuple[Backend, int, tuple[str, int] | None]:
    """The routed backend and port, and where carve-outs go (around the PoW proxy)."""
    if pow and not isinstance(backend, Anubis):
        backend = anubis(stack, backend)
    if isinstance(backend, Anubis):
        real = backend.fronts
        carve = (real.service, port or real.port or 0)
        return backend, backend.port, carve
    target = port or backend.port
    if target is None:
        raise ModelError(f"backend {backend.name!r} has no port", subject=subject,
                         hint="Pass port=... or give the workload a port")
    return backend, target, None


def _limits(
    max_body_size: str | None, csp: str | None, carve_outs: Mapping[str, Auth] | None,
    subject: str,
) -> tuple[int | None, dict[str, Auth]]:
    max_bytes = None
    if max_body_size is not None:
        max_bytes = int(parse_quantity(max_body_size))
        if max_bytes <= 0:
            raise ModelError(f"max_body_size {max_body_size!r} must be positive", subject=subject)
    if csp is not None and not csp.strip():
        raise ModelError("csp is empty", subject=subject, hint="Give a policy or leave it out")
    cuts = dict(carve_outs or {})
    _paths(list(cuts), subject)
    for path, carve_auth in cuts.items():
        if not isinstance(carve_auth, Auth):
            raise ModelError(f"carve-out {path} needs an auth value", subject=subject)
    return max_bytes, cuts


@strict
@checked
def ingress(
    stack: Stack,
    backend: Backend,
    *,
    host: str | None = None,
    port: int | None = None,
    auth: Auth | None = None,
    dns: str | None = None,
    name: str | None = None,
    paths: Sequence[str] = ("/",),
    carve_outs: Mapping[str, Auth] | None = None,
    pow: bool = False,
    anti_ai: bool | None = None,
    rate_limit: bool = True,
    csp: str | None = None,
    max_body_size: str | None = None,
    lan_only: bool = False,
    scale_to_zero: bool = False,
    middlewares: Sequence[str] = (),
    backend_kind: str | None = None,
    catalog: Catalog | None = None,
    external_monitor: bool = False,
    annotations: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
    owned_elsewhere: Sequence[str] = (),
    tls: Tls | None = None,
) -> Ingress:
    """Route ``host`` (a label under the public domain, or a full host) to ``backend``.

    ``carve_outs`` maps extra paths to their own auth (``{"/api": auth.none("token auth")}``);
    ``pow=True`` puts Anubis in front; ``middlewares`` are extras (``name``, ``ns/name`` or
    ``ns-name@kubernetescrd``) appended after the fixed chain; ``catalog`` is the dashboard
    tile (``Catalog(hidden=True)`` for none); ``annotations``/``labels`` go on the Ingress
    (the kit's own keys win); ``tls`` says where the certificate comes from (``certs``: the
    namespace's wildcard copy by default). The handle's ``.url`` is the public URL, usable as
    env.

    Example::

        ingress(stack, server, host="immich", auth=auth.app("Immich has its own login"),
                dns="proxied", catalog=Catalog(description="Photo and video library",
                                               icon="immich.png"))
    """
    real_name = backend.fronts.name if isinstance(backend, Anubis) else backend.name
    ingress_name = check_name(name or real_name, "ingress")
    subject = f"ingress {ingress_name}"
    chosen = auth if auth is not None else required()
    if not isinstance(chosen, Auth):
        raise ModelError("auth takes auth.required(), auth.app(reason), auth.public() or "
                         "auth.none(reason)", subject=subject)
    kind = _kind(backend, backend_kind, subject)
    fronted = pow or isinstance(backend, Anubis)
    if fronted:
        refuse_pow(kind, subject)
    backend, target_port, carve_target = _front(stack, backend, port, pow, subject)
    max_bytes, cuts = _limits(max_body_size, csp, carve_outs, subject)
    sablier = _sablier(backend, stack, subject) if scale_to_zero else None
    base = ChainOptions(
        rate_limit=rate_limit, custom_csp=csp is not None, lan_only=lan_only,
        scale_to_zero=scale_to_zero, max_body=max_bytes is not None, extras=tuple(middlewares),
    )
    certificate = tls if tls is not None else wildcard()
    if not isinstance(certificate, Tls):
        raise ModelError("tls takes certs.wildcard(), certs.cert_manager(issuer), "
                         "certs.secret(name) or certs.controller_default()", subject=subject)
    tile = catalog if catalog is not None else Catalog()
    if not isinstance(tile, Catalog):
        raise ModelError("catalog takes a Catalog(...)", subject=subject)
    component = Ingress(
        name=ingress_name, host=_host(host or ingress_name, subject), service=backend.service,
        port=target_port, auth=chosen, dns=_dns(dns, subject),
        chain=with_auth(base, chosen, anti_ai, pow=fronted), paths=_paths(paths, subject),
        carve_outs=cuts, carve_backend=carve_target, anti_ai=anti_ai, csp=csp,
        max_body_bytes=max_bytes, sablier_group=sablier, backend_kind=kind,
        catalog=tile, external_monitor=external_monitor, backend_name=real_name,
        annotations=string_map(annotations or {}, "annotation", subject),
        labels=string_map(labels or {}, "label", subject), owned_elsewhere=tuple(owned_elsewhere),
        tls=certificate,
    )
    implied_namespace(stack)
    stack.add(component)
    if certificate.source is TlsSource.WILDCARD:
        wildcard_copy(stack)
    return component
