"""Tier governance: generated PriorityClasses, LimitRanges, quotas and pod-template mutations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from homestack.catalog import Homelab, render_all
from homestack.kit import raw
from homestack.model import NamespaceTier, Resource, Stack
from homestack.model.tier import OPT_OUT_LIMITRANGE_LABEL, OPT_OUT_QUOTA_LABEL
from homestack.policy import check_homelab, govern, priority_owner

from .support import SITE, container, deployment, namespace

LIMITS = "k8s:v1:LimitRange:{}/homestack-limits"
QUOTA = "k8s:v1:ResourceQuota:{}/homestack-quota"
PRIORITY = "k8s:scheduling.k8s.io/v1:PriorityClass:{}"
DEPLOY = "k8s:apps/v1:Deployment:{}/app"


def _homelab(*specs: tuple[str, NamespaceTier | None, list[dict[str, Any]]],
             site: Any = SITE) -> Homelab:
    stacks = {}
    for name, tier, manifests in specs:
        stack = Stack(name, tier=tier)
        if manifests:
            raw(stack, manifests)
        stacks[name] = stack
    return Homelab(root=Path("."), site=site, stacks=stacks)


def _governed(homelab: Homelab, names: list[str] | None = None) -> dict[str, list[Resource]]:
    return govern(homelab, render_all(homelab, names).resources)


def _by_address(resources: dict[str, list[Resource]]) -> dict[str, tuple[str, Resource]]:
    return {r.address: (stack, r) for stack, rs in resources.items() for r in rs}


def _pod_spec(resource: Resource) -> dict[str, Any]:
    spec: dict[str, Any] = resource.body["spec"]["template"]["spec"]
    return spec


MANAGED = _homelab(
    ("platform", NamespaceTier.CLUSTER, [namespace("platform")]),
    ("media", NamespaceTier.GPU, [namespace("media"), deployment(namespace="media")]),
    ("app", NamespaceTier.AUX, [namespace("app"), deployment()]),
    ("loose", NamespaceTier.EDGE, [deployment(namespace="loose")]),
)


@pytest.mark.parametrize(("tier", "limits", "quota"), [
    ("0-core", ("256Mi", "100m", "256Mi", "8Gi"), ("8", "8Gi", "64Gi", "100")),
    ("1-cluster", ("256Mi", "100m", "256Mi", "8Gi"), ("4", "4Gi", "32Gi", "30")),
    ("2-gpu", ("1Gi", "200m", "1Gi", "16Gi"), ("8", "12Gi", "32Gi", "40")),
    ("3-edge", ("256Mi", "50m", "128Mi", "8Gi"), ("4", "4Gi", "32Gi", "30")),
    ("4-aux", ("256Mi", "50m", "64Mi", "4Gi"), ("2", "3Gi", "16Gi", "20")),
])
def test_namespace_gets_the_tier_numbers(tier: str, limits: tuple[str, ...],
                                         quota: tuple[str, ...]) -> None:
    homelab = _homelab(("app", NamespaceTier(tier), [namespace("app")]))
    found = _by_address(_governed(homelab))
    limit = found[LIMITS.format("app")][1].body["spec"]["limits"][0]
    assert (limit["default"]["memory"], limit["defaultRequest"]["cpu"],
            limit["defaultRequest"]["memory"], limit["max"]["memory"]) == limits
    hard = found[QUOTA.format("app")][1].body["spec"]["hard"]
    assert (hard["requests.cpu"], hard["requests.memory"], hard["limits.memory"],
            hard["pods"]) == quota


def test_priority_classes_have_the_tier_values_and_one_owner() -> None:
    found = _by_address(_governed(MANAGED))
    values = {name: found[PRIORITY.format(name)][1].body["value"] for name in (
        "tier-0-core", "tier-1-cluster", "tier-2-gpu", "tier-3-edge", "tier-4-aux",
        "gpu-workload")}
    assert values == {"tier-0-core": 1_000_000, "tier-1-cluster": 800_000,
                      "tier-2-gpu": 600_000, "tier-3-edge": 400_000, "tier-4-aux": 200_000,
                      "gpu-workload": 1_200_000}
    assert {found[PRIORITY.format(n)][0] for n in values} == {"platform"}
    assert found[PRIORITY.format("tier-4-aux")][1].body["preemptionPolicy"] == "Never"


def test_priority_owner_without_platform_is_first_in_tier_order() -> None:
    stacks = {name: Stack(name, tier=tier) for name, tier in (
        ("zeta", NamespaceTier.CORE), ("alpha", NamespaceTier.AUX), ("beta", None))}
    assert priority_owner(stacks) == "zeta"
    assert priority_owner({**stacks, "platform": Stack("platform")}) == "platform"


def test_limit_range_and_quota_belong_to_the_namespace_stack() -> None:
    found = _by_address(_governed(MANAGED))
    assert found[LIMITS.format("media")][0] == "media"
    assert found[QUOTA.format("app")][0] == "app"


def test_workloads_in_governed_namespaces_get_ndots_priority_and_tier_label() -> None:
    found = _by_address(_governed(MANAGED))
    deploy = found[DEPLOY.format("app")][1]
    spec = _pod_spec(deploy)
    assert spec["dnsConfig"]["options"] == [{"name": "ndots", "value": "2"}]
    assert spec["priorityClassName"] == "tier-4-aux"
    assert deploy.body["spec"]["template"]["metadata"]["labels"]["tier"] == "4-aux"


def test_namespace_is_stamped_managed_with_its_tier() -> None:
    labels = _by_address(_governed(MANAGED))["k8s:v1:Namespace:app"][1].body["metadata"]["labels"]
    assert labels == {"app.kubernetes.io/managed-by": "homestack", "tier": "4-aux"}


def test_namespace_homestack_does_not_render_is_left_to_the_cluster() -> None:
    found = _by_address(_governed(MANAGED))
    assert LIMITS.format("loose") not in found
    assert "dnsConfig" not in _pod_spec(found[DEPLOY.format("loose")][1])


def test_gpu_pods_get_gpu_priority() -> None:
    gpu = deployment(namespace="media", containers=[
        container(resources={"limits": {"nvidia.com/gpu": 1}})])
    homelab = _homelab(("media", NamespaceTier.GPU, [namespace("media"), gpu]))
    spec = _pod_spec(_by_address(_governed(homelab))[DEPLOY.format("media")][1])
    assert spec["priorityClassName"] == "gpu-workload"


def test_explicit_priority_and_existing_ndots_are_respected() -> None:
    mine = deployment(pod={"priorityClassName": "tier-0-core",
                           "dnsConfig": {"options": [{"name": "ndots", "value": "5"},
                                                     {"name": "edns0"}]}})
    homelab = _homelab(("app", NamespaceTier.AUX, [namespace("app"), mine]))
    spec = _pod_spec(_by_address(_governed(homelab))[DEPLOY.format("app")][1])
    assert spec["priorityClassName"] == "tier-0-core"
    assert spec["dnsConfig"]["options"] == [{"name": "edns0"}, {"name": "ndots", "value": "2"}]


def test_namespace_without_tier_gets_the_fallback_limit_range_and_no_quota() -> None:
    homelab = _homelab(("misc", None, [namespace("misc")]))
    found = _by_address(_governed(homelab))
    assert found[LIMITS.format("misc")][1].body["spec"]["limits"][0]["max"] == {"memory": "4Gi"}
    assert QUOTA.format("misc") not in found


@pytest.mark.parametrize(("label", "absent"), [
    (OPT_OUT_LIMITRANGE_LABEL, LIMITS), (OPT_OUT_QUOTA_LABEL, QUOTA)])
def test_opt_out_labels_skip_the_generated_object(label: str, absent: str) -> None:
    homelab = _homelab(("app", NamespaceTier.AUX, [namespace("app", {label: "true"})]))
    found = _by_address(_governed(homelab))
    assert absent.format("app") not in found
    assert {LIMITS, QUOTA} - {absent} == {p for p in (LIMITS, QUOTA) if p.format("app") in found}


def test_excluded_namespaces_are_not_governed() -> None:
    homelab = _homelab(("system", NamespaceTier.CORE, [
        namespace("metallb-system"), deployment(namespace="metallb-system")]))
    found = _by_address(_governed(homelab))
    assert LIMITS.format("metallb-system") not in found
    assert "dnsConfig" not in _pod_spec(found[DEPLOY.format("metallb-system")][1])


def test_rendering_one_stack_governs_it_like_the_whole_homelab() -> None:
    whole = _by_address(_governed(MANAGED))
    alone = _by_address(_governed(MANAGED, ["app"]))
    assert set(alone) == {a for a, (stack, _) in whole.items() if stack == "app"}
    assert all(alone[a][1].body == whole[a][1].body for a in alone)


def test_govern_is_idempotent() -> None:
    once = _governed(MANAGED)
    twice = govern(MANAGED, once)
    assert {s: [r.body for r in rs] for s, rs in twice.items()} == {
        s: [r.body for r in rs] for s, rs in once.items()}


def test_author_declared_object_wins_over_the_generated_one() -> None:
    mine = {"apiVersion": "v1", "kind": "LimitRange",
            "metadata": {"name": "homestack-limits", "namespace": "app"},
            "spec": {"limits": []}}
    homelab = _homelab(("app", NamespaceTier.AUX, [namespace("app"), mine]))
    assert _by_address(_governed(homelab))[LIMITS.format("app")][1].body["spec"] == {"limits": []}


def test_nothing_is_generated_when_no_namespace_is_governed() -> None:
    homelab = _homelab(("app", NamespaceTier.AUX, [deployment()]))
    governed = _governed(homelab)
    assert [r.k8s_kind for r in governed["app"]] == ["Deployment"]


def test_governed_homelab_passes_the_tier_rules() -> None:
    findings = check_homelab(MANAGED, _governed(MANAGED))
    assert [f for f in findings if f.rule.startswith("HS-TIER") and f.blocking] == []
