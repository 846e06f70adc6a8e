"""Every object governance generates or mutates passes kubernetes-validate in strict mode."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from homestack.catalog import load, render_all
from homestack.model import Resource
from homestack.policy import govern

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import kubernetes_validate  # type: ignore[import-untyped]

KUBERNETES = "1.34.0"
SHOWCASE = Path(__file__).resolve().parents[2] / "examples" / "kit-showcase"
CORE = {"v1", "apps/v1", "batch/v1", "scheduling.k8s.io/v1"}


def _changed() -> list[Resource]:
    homelab = load(SHOWCASE)
    rendered = render_all(homelab).resources
    before = {r.address: r.body for rs in rendered.values() for r in rs}
    governed = govern(homelab, rendered)
    return [r for rs in governed.values() for r in rs
            if r.api_version in CORE and before.get(r.address) != r.body]


CHANGED = _changed()


def test_governance_generates_and_mutates_core_kinds() -> None:
    kinds = {r.k8s_kind for r in CHANGED}
    assert kinds >= {"PriorityClass", "LimitRange", "ResourceQuota", "Deployment"}


@pytest.mark.parametrize("resource", CHANGED, ids=lambda r: r.address)
def test_governed_object_passes_strict_schema(resource: Resource) -> None:
    kubernetes_validate.validate(resource.body, KUBERNETES, strict=True)
