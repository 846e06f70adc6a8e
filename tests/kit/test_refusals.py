"""Every refusal in ``refusals.yaml`` raises a ModelError with its message (data-driven)."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

import homestack.kit as kit
from homestack import Stack, tier
from homestack.model import Domains, ModelError, Site
from tests.kit.support import HERE, SITE

CASES: list[dict[str, Any]] = yaml.safe_load((HERE / "refusals.yaml").read_text())
SITES = {"test": SITE, "bare": Site(name="bare", domains=SITE.domains)}


def _scope() -> dict[str, Any]:
    stack = Stack("app", tier=tier.AUX)
    web = kit.deployment(stack, "web", image="ghcr.io/acme/web:1.0.0", port=8080,
                         memory="64Mi", cpu="10m")
    return {**{name: getattr(kit, name) for name in kit.__all__}, "stack": stack, "web": web,
            "Stack": Stack, "NamespaceTier": tier}


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_refusal_names_the_problem(case: dict[str, Any]) -> None:
    scope = _scope()
    if case.get("at") == "render":
        exec(case["code"], scope)
        with pytest.raises(ModelError) as caught:
            scope["stack"].render(SITES[case.get("site", "test")])
    else:
        with pytest.raises(ModelError) as caught:
            exec(case["code"], scope)
    assert case["error"] in str(caught.value)


def test_case_ids_are_unique() -> None:
    ids = [case["id"] for case in CASES]
    assert len(ids) == len(set(ids))


def test_bare_site_has_no_edge() -> None:
    assert SITES["bare"].domains == Domains(public="example.org", internal="home.arpa")
    assert not SITES["bare"].edge.lan_cidrs
