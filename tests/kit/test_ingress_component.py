"""``ingress`` returns the component it added, so a Stack can refer to its host later."""

from __future__ import annotations

import homestack.kit as kit
from homestack import Stack, tier
from tests.kit.support import SITE


def test_ingress_returns_the_component_it_added() -> None:
    stack = Stack("app", tier=tier.AUX)
    web = kit.deployment(stack, "web", image="ghcr.io/acme/web:1.0.0", port=8080,
                         memory="64Mi", cpu="10m")
    component = kit.ingress(stack, web, host="files")
    assert component in stack.components
    assert (component.host, component.service, component.port) == ("files", "web", 8080)
    [route] = [r for r in stack.render(SITE) if r.k8s_kind == "Ingress"]
    assert route.body["spec"]["rules"][0]["host"] == "files.example.org"
