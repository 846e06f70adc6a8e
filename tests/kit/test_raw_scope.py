"""raw: cluster-scoped kinds get no namespace; namespaced ones get the Stack's."""

from __future__ import annotations

import pytest

from homestack.kit import raw
from homestack.model import Domains, Site, Stack

SITE = Site(name="t", domains=Domains(public="example.org", internal="home.arpa"))


@pytest.mark.parametrize("kind", ["Installation", "CSIDriver", "RuntimeClass", "APIService",
                                  "ClusterRole", "Namespace"])
def test_cluster_scoped_kinds_have_no_namespace(kind: str) -> None:
    stack = Stack("calico")
    raw(stack, {"apiVersion": "x/v1", "kind": kind, "metadata": {"name": "default"}})
    [resource] = stack.render(SITE)
    assert resource.namespace is None


@pytest.mark.parametrize("kind", ["IPAddressPool", "ConfigMap", "Middleware"])
def test_namespaced_kinds_get_the_stack_namespace(kind: str) -> None:
    stack = Stack("metallb", namespace="metallb-system")
    raw(stack, {"apiVersion": "x/v1", "kind": kind, "metadata": {"name": "pool"}})
    [resource] = stack.render(SITE)
    assert resource.namespace == "metallb-system"
