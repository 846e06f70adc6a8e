"""Where an ingress's TLS certificate comes from, as typed values for ``ingress(tls=...)``.

- ``wildcard()`` (the default): the namespace's copy of the Site's wildcard certificate, an
  ExternalSecret from Vault (requires External Secrets);
- ``cert_manager(issuer)``: a cert-manager ``Certificate`` for the host (requires cert-manager);
- ``secret(name)``: a TLS Secret that already exists in the namespace (requires nothing);
- ``controller_default()``: no Secret, the ingress controller's default certificate
  (Traefik's self-signed one until it is given another): the way to start on a bare cluster.

Example::

    from homestack.kit import certs
    ingress(stack, web, tls=certs.cert_manager("letsencrypt"))
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from homestack.kit._strict import strict
from homestack.model import ModelError

_NAME = re.compile(r"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
ISSUER_KINDS = ("ClusterIssuer", "Issuer")


class TlsSource(enum.Enum):
    """Where the certificate of an ingress comes from."""

    WILDCARD = "wildcard"
    CERT_MANAGER = "cert-manager"
    SECRET = "secret"
    CONTROLLER_DEFAULT = "controller-default"


@dataclass(frozen=True)
class Tls:
    """A TLS choice; build it with ``wildcard``, ``cert_manager``, ``secret`` or
    ``controller_default``."""

    source: TlsSource
    name: str = ""  # the issuer (cert-manager) or the Secret (secret)
    issuer_kind: str = "ClusterIssuer"


def _name(value: str, what: str) -> str:
    if not isinstance(value, str) or not _NAME.fullmatch(value):
        raise ModelError(f"{what} {value!r} is not a Kubernetes object name",
                         hint="Use lowercase letters, digits, '-' and '.'")
    return value


@strict
def wildcard() -> Tls:
    """The namespace's copy of the Site's wildcard certificate (the default)."""
    return Tls(TlsSource.WILDCARD)


@strict
def cert_manager(issuer: str, *, kind: str = "ClusterIssuer") -> Tls:
    """A cert-manager Certificate for the host, from ``issuer`` (a ClusterIssuer unless
    ``kind="Issuer"``). Example: ``certs.cert_manager("letsencrypt")``"""
    if kind not in ISSUER_KINDS:
        raise ModelError(f"issuer kind {kind!r} is unknown",
                         hint=f"Use one of {', '.join(ISSUER_KINDS)}")
    return Tls(TlsSource.CERT_MANAGER, _name(issuer, "issuer"), kind)


@strict
def secret(name: str) -> Tls:
    """A TLS Secret that exists in the namespace already. Example: ``certs.secret("web-tls")``"""
    return Tls(TlsSource.SECRET, _name(name, "Secret"))


@strict
def controller_default() -> Tls:
    """No Secret: the ingress controller serves its default certificate."""
    return Tls(TlsSource.CONTROLLER_DEFAULT)
