"""The Kyverno export: valid ClusterPolicy structure, Site numbers, one owner per field."""

from __future__ import annotations

from typing import Any

import pytest

from homestack.model import annotations as a
from homestack.policy import cluster_policies

from .support import SITE

POLICIES = cluster_policies(SITE)
ACTIONS = ("validate", "mutate", "generate")


def _rules(kind: str | None = None) -> list[dict[str, Any]]:
    return [rule for policy in POLICIES for rule in policy["spec"]["rules"]
            if kind is None or kind in rule]


def _named(name: str) -> dict[str, Any]:
    return next(p for p in POLICIES if p["metadata"]["name"] == f"homestack-{name}")


def test_every_policy_is_a_kyverno_cluster_policy() -> None:
    names = [p["metadata"]["name"] for p in POLICIES]
    assert len(names) == len(set(names))
    for policy in POLICIES:
        assert (policy["apiVersion"], policy["kind"]) == ("kyverno.io/v1", "ClusterPolicy")
        assert policy["spec"]["rules"]


def test_every_rule_has_a_name_a_match_and_exactly_one_action() -> None:
    for rule in _rules():
        assert rule["name"] and rule["match"]["any"]
        assert sum(action in rule for action in ACTIONS) == 1, rule["name"]


@pytest.mark.parametrize("action", ["mutate", "generate"])
def test_owning_rules_skip_namespaces_homestack_manages(action: str) -> None:
    for rule in _rules(action):
        excluded = [e["resources"] for e in rule["exclude"]["any"]]
        managed = {a.MANAGED_BY: "homestack"}
        assert any(r.get("namespaceSelector", {}).get("matchLabels") == managed
                   or r.get("selector", {}).get("matchLabels") == managed
                   for r in excluded), rule["name"]


def test_mutations_touch_pods_only() -> None:
    for rule in _rules("mutate"):
        assert [m["resources"]["kinds"] for m in rule["match"]["any"]] == [["Pod"]]


def test_generated_limit_ranges_and_quotas_carry_the_tier_numbers() -> None:
    quota = next(r for r in _named("tier-quota")["spec"]["rules"] if r["name"] == "quota-4-aux")
    assert quota["generate"]["data"]["spec"]["hard"]["requests.memory"] == "3Gi"
    limits = [r["name"] for r in _named("tier-limitrange")["spec"]["rules"]]
    assert limits[-1] == "limitrange-no-tier" and len(limits) == len(SITE.tiers) + 1


def test_validations_exempt_the_site_namespaces() -> None:
    for rule in _named("deny-privileged")["spec"]["rules"]:
        assert "csi" in rule["exclude"]["any"][0]["resources"]["namespaces"]
    assert _named("deny-privileged")["spec"]["validationFailureAction"] == "Enforce"


def test_trusted_registries_come_from_the_site() -> None:
    rule = _named("trusted-registries")["spec"]["rules"][0]
    assert rule["validate"]["deny"]["conditions"]["any"][0]["value"] == list(
        SITE.trusted_registries)
    no_registries = SITE.model_copy(update={"trusted_registries": ()})
    assert "homestack-trusted-registries" not in [
        p["metadata"]["name"] for p in cluster_policies(no_registries)]


def test_every_in_cluster_convention_is_exported() -> None:
    names = {p["metadata"]["name"].removeprefix("homestack-") for p in POLICIES}
    assert names == {"tier-limitrange", "tier-quota", "tier-priority", "ndots",
                     "strip-cpu-limits", "copy-tier-label", "pull-policy", "deny-privileged",
                     "trusted-registries"}
