"""Quota fit: requests and pods per namespace against the tier or owner quota."""

from __future__ import annotations

from decimal import Decimal

from homestack.model import NamespaceTier, Quota, parse_quantity
from homestack.policy import Usage, check_all, overflows, rule, workload_usage

from .support import SITE, container, deployment, resources_of, stacks

AUX = SITE.tier(NamespaceTier.AUX).quota


def _memory(value: str) -> list[dict[str, object]]:
    return [container(resources={"requests": {"memory": value}, "limits": {"memory": value}})]


def test_message_says_by_how_much() -> None:
    usage = Usage(requests_memory=parse_quantity("3.5Gi"), pods=1)
    assert overflows(usage, AUX, "the 4-aux") == [
        "requests.memory 3.5Gi exceeds the 4-aux quota 3Gi by 512Mi"]


def test_every_quota_line_is_checked() -> None:
    usage = Usage(requests_cpu=Decimal("2.5"), requests_memory=Decimal(0),
                  limits_memory=parse_quantity("17Gi"), pods=21)
    assert overflows(usage, AUX, "the 4-aux") == [
        "requests.cpu 2500m exceeds the 4-aux quota 2 by 500m",
        "limits.memory 17Gi exceeds the 4-aux quota 16Gi by 1Gi",
        "pods 21 exceeds the 4-aux quota 20 by 1",
    ]


def test_rolling_deployment_counts_a_surge_pod() -> None:
    assert workload_usage(deployment(replicas=2)).pods == 3
    recreate = deployment(replicas=2, spec={"strategy": {"type": "Recreate"}})
    assert workload_usage(recreate).pods == 2


def test_largest_init_container_counts_when_bigger() -> None:
    body = deployment(pod={"initContainers": _memory("512Mi")},
                      spec={"strategy": {"type": "Recreate"}})
    assert workload_usage(body).requests_memory == parse_quantity("512Mi")


def test_daemonset_runs_one_pod_per_worker() -> None:
    body = deployment()
    body["kind"] = "DaemonSet"
    assert workload_usage(body, daemon_nodes=2).pods == 2


def test_namespace_owner_gets_the_custom_quota() -> None:
    owner = SITE.identity.users[1].model_copy(update={"quota": Quota(
        requests_cpu="1", requests_memory="1Gi", limits_memory="2Gi", pods=5)})
    site = SITE.model_copy(update={"identity": SITE.identity.model_copy(
        update={"users": (SITE.identity.users[0], owner)})})
    objects = resources_of([("bob", deployment("notes", "bob", replicas=3,
                                               containers=_memory("512Mi")))])
    findings = check_all(site, stacks({"bob": None}), objects, rules=[rule("HS-TIER-003")])
    assert [f.message for f in findings] == [
        "namespace bob: requests.memory 2Gi exceeds bob's quota 1Gi by 1Gi"]


def test_fitting_namespace_has_no_finding() -> None:
    objects = resources_of([("app", deployment(replicas=2, containers=_memory("1Gi")))])
    assert check_all(SITE, stacks(), objects, rules=[rule("HS-TIER-003")]) == []


def test_opted_out_or_tierless_namespace_is_not_checked() -> None:
    objects = resources_of([("app", deployment(replicas=9, containers=_memory("1Gi")))])
    assert check_all(SITE, stacks({"app": None}), objects, rules=[rule("HS-TIER-003")]) == []
