"""``ingress(tls=...)``: the wildcard copy, a cert-manager Certificate, an existing Secret or
the controller's default certificate, each rendered as itself and nothing more."""

from __future__ import annotations

from typing import Any

import pytest

from homestack.kit import auth, certs, deployment, ingress
from homestack.model import Capability, ModelError, Stack
from tests.kit.support import SITE, k8s_bodies


def _render(tls: certs.Tls | None) -> tuple[Stack, dict[str, dict[str, Any]]]:
    stack = Stack("web")
    app = deployment(stack, "web", image="docker.io/traefik/whoami:v1.10.3", port=80,
                     memory="64Mi", cpu="10m")
    ingress(stack, app, auth=auth.app("own login"), tls=tls)
    bodies = k8s_bodies(stack.render(SITE))
    return stack, {f"{b['kind']}/{b['metadata']['name']}": b for b in bodies}


def _tls(objects: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    tls: list[dict[str, Any]] = objects["Ingress/web"]["spec"]["tls"]
    return tls


def test_the_default_is_the_namespace_wildcard_copy() -> None:
    stack, objects = _render(None)
    assert _tls(objects) == [{"hosts": ["web.example.org"], "secretName": "wildcard-tls"}]
    assert objects["ExternalSecret/wildcard-tls"]["spec"]["target"]["name"] == "wildcard-tls"
    assert [r.capability for r in stack.requirements()] == [Capability.EXTERNAL_SECRETS]


def test_cert_manager_issues_a_certificate_for_the_host() -> None:
    stack, objects = _render(certs.cert_manager("letsencrypt"))
    assert _tls(objects) == [{"hosts": ["web.example.org"], "secretName": "web-tls"}]
    certificate = objects["Certificate/web-tls"]
    assert certificate["apiVersion"] == "cert-manager.io/v1"
    assert certificate["spec"] == {
        "secretName": "web-tls", "dnsNames": ["web.example.org"],
        "issuerRef": {"name": "letsencrypt", "kind": "ClusterIssuer",
                      "group": "cert-manager.io"}}
    assert not any(key.startswith("ExternalSecret/") for key in objects)
    assert [r.capability for r in stack.requirements()] == [Capability.CERT_MANAGER]


def test_an_existing_secret_is_served_as_it_is() -> None:
    stack, objects = _render(certs.secret("web-cert"))
    assert _tls(objects) == [{"hosts": ["web.example.org"], "secretName": "web-cert"}]
    assert not any(key.startswith(("ExternalSecret/", "Certificate/")) for key in objects)
    assert stack.requirements() == []


def test_the_controller_default_names_no_secret() -> None:
    stack, objects = _render(certs.controller_default())
    assert _tls(objects) == [{"hosts": ["web.example.org"]}]
    assert stack.requirements() == []


def test_bad_tls_values_are_refused() -> None:
    with pytest.raises(ModelError, match="issuer 'Lets_Encrypt'"):
        certs.cert_manager("Lets_Encrypt")
    with pytest.raises(ModelError, match="issuer kind 'Global'"):
        certs.cert_manager("letsencrypt", kind="Global")
    with pytest.raises(ModelError, match=r"tls takes certs\.wildcard"):
        stack = Stack("web")
        app = deployment(stack, "web", image="docker.io/traefik/whoami:v1.10.3", port=80,
                         memory="64Mi", cpu="10m")
        ingress(stack, app, tls="letsencrypt")  # type: ignore[arg-type]
