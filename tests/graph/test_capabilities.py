"""Platform capabilities: a kit feature's requirement is met by a Stack (by its ``provides`` or
its conventional name) or by the Site's ``platform``; otherwise the graph refuses at the stack
line. Requirements are never dropped."""

from __future__ import annotations

import inspect

import pytest

from homestack.graph import MissingCapabilityError, build_graph
from homestack.kit import auth, certs, deployment, ingress, load_balancer, postgres_database
from homestack.model import Capability, Stack


def _app(name: str = "web", **ingress_options: object) -> tuple[Stack, int]:
    stack = Stack(name)
    app = deployment(stack, name, image="docker.io/traefik/whoami:v1.10.3", port=80,
                     memory="64Mi", cpu="10m")
    line = inspect.currentframe().f_lineno + 1  # type: ignore[union-attr]
    ingress(stack, app, **ingress_options)  # type: ignore[arg-type]
    return stack, line


def test_an_ingress_with_the_wildcard_certificate_requires_external_secrets() -> None:
    stack, line = _app(auth=auth.app("own login"))
    with pytest.raises(MissingCapabilityError) as caught:
        build_graph({"web": stack})
    error = caught.value
    assert [m.capability for m in error.missing] == [Capability.EXTERNAL_SECRETS]
    assert error.subject == f"{__file__}:{line}"
    assert "'external-secrets'" in str(error) and "WildcardTls" in str(error)
    assert "provides=[Capability.EXTERNAL_SECRETS]" in str(error)
    assert "Platform(present=[Capability.EXTERNAL_SECRETS])" in str(error)


def test_the_conventional_stack_provides_and_is_needed_first() -> None:
    stack, _ = _app(auth=auth.app("own login"))
    graph = build_graph({"web": stack, "external-secrets": Stack("external-secrets")})
    assert graph.inferred["web"] == ("external-secrets",)
    assert graph.waves == (("external-secrets",), ("web",))


def test_provides_names_another_stack_and_an_empty_list_opts_out() -> None:
    stack = Stack("app")
    postgres_database(stack, "app")
    graph = build_graph({
        "app": stack, "databases": Stack("databases", provides=[Capability.POSTGRES]),
        "external-secrets": Stack("external-secrets")})
    assert graph.inferred["app"] == ("databases", "external-secrets")
    with pytest.raises(MissingCapabilityError) as caught:
        build_graph({"app": stack, "dbaas": Stack("dbaas", provides=[]),
                     "external-secrets": Stack("external-secrets")})
    assert [m.capability for m in caught.value.missing] == [Capability.POSTGRES]


def test_a_capability_present_outside_the_homelab_needs_no_stack() -> None:
    stack, _ = _app(auth=auth.app("own login"))
    graph = build_graph({"web": stack}, present=[Capability.EXTERNAL_SECRETS])
    assert graph.inferred["web"] == ()


def test_forward_auth_must_exist_but_is_not_applied_first() -> None:
    stack, _ = _app(tls=certs.controller_default())  # auth.required() by default
    with pytest.raises(MissingCapabilityError) as caught:
        build_graph({"web": stack})
    assert [m.capability for m in caught.value.missing] == [Capability.FORWARD_AUTH]
    graph = build_graph({"web": stack, "authentik": Stack("authentik")})
    assert graph.inferred["web"] == ()


def test_every_missing_capability_is_named() -> None:
    stack, _ = _app(tls=certs.cert_manager("letsencrypt"))
    balanced = deployment(stack, "dns", image="docker.io/traefik/whoami:v1.10.3", port=53,
                          memory="64Mi", cpu="10m")
    load_balancer(stack, balanced)
    with pytest.raises(MissingCapabilityError) as caught:
        build_graph({"web": stack})
    assert {m.capability for m in caught.value.missing} == {
        Capability.FORWARD_AUTH, Capability.CERT_MANAGER, Capability.LOAD_BALANCER}
    assert "also missing" in str(caught.value)


def test_a_stack_may_use_what_it_provides_itself() -> None:
    stack, _ = _app(auth=auth.app("own login"), lan_only=True,
                    tls=certs.secret("web-tls"))
    stack.provides = (Capability.TRAEFIK,)
    assert build_graph({"web": stack}).inferred["web"] == ()
