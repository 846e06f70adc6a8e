"""One plan and one apply span several providers, in the Stack's provider order."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from homestack.engine import (
    Action,
    DriftKind,
    EngineOptions,
    SkipReason,
    StackOutcome,
    drift,
    plan,
    plan_and_apply,
)
from homestack.model import Provider
from homestack.providers.memory import MemoryTarget
from tests.engine.memory_lab import MemoryLab, dns_record


@pytest.fixture
def lab(small_homelab: Path, tmp_path: Path) -> MemoryLab:
    return MemoryLab(small_homelab, tmp_path)


def _actions(result, action: Action) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(str(c.address) for s in result.stacks for c in s.changes if c.action is action)


def test_one_plan_holds_both_providers(lab: MemoryLab) -> None:
    planned = lab.plan()
    created = _actions(planned, Action.CREATE)
    assert "dns:rfc2136:A:whoami.home.arpa" in created
    assert any(a.startswith("k8s:") for a in created)


def test_apply_writes_kubernetes_before_dns_in_one_run(lab: MemoryLab) -> None:
    result = lab.apply()
    assert not result.failed
    whoami = [a for verb, a in lab.world.log if "whoami" in a]
    assert whoami[-1] == "dns:rfc2136:A:whoami.home.arpa"
    assert all(a.startswith("k8s:") for a in whoami[:-1])


def test_second_plan_is_empty_live_and_from_state(lab: MemoryLab) -> None:
    lab.apply()
    assert not lab.plan().has_changes
    assert not lab.plan(refresh=False).has_changes
    record = lab.store.read_stack("whoami")
    assert record is not None and record.resource("dns:rfc2136:A:whoami.home.arpa")
    assert record.target == "dns-twin+kube-twin"


def test_a_provider_without_target_is_skipped_and_never_fails(lab: MemoryLab) -> None:
    lab.dns_configured = False
    result = lab.apply()
    assert not result.failed
    [skipped] = [c for s in result.stacks for c in s.changes if c.action is Action.SKIPPED]
    assert skipped.skip is SkipReason.PROVIDER_NOT_CONFIGURED
    assert "dns:rfc2136:A:whoami.home.arpa" not in lab.world.objects


def test_removing_a_record_prunes_only_it_after_the_objects(lab: MemoryLab) -> None:
    lab.apply()
    lab.extra["whoami"] = []
    result = lab.apply()
    assert _actions(result, Action.DELETE) == ["dns:rfc2136:A:whoami.home.arpa"]
    assert "dns:rfc2136:A:whoami.home.arpa" not in lab.world.objects
    record = lab.store.read_stack("whoami")
    assert record is not None and not record.resource("dns:rfc2136:A:whoami.home.arpa")


def test_a_failing_stack_skips_only_its_dependents(lab: MemoryLab) -> None:
    lab.world.failing.add("dns:rfc2136:A:whoami.home.arpa")
    lab.extra["traefik"] = [dns_record("traefik.home.arpa")]
    lab.world.failing.add("dns:rfc2136:A:traefik.home.arpa")
    result = lab.apply()
    outcomes = {s.stack: s.outcome for s in result.stacks}
    assert outcomes["traefik"] is StackOutcome.FAILED
    assert outcomes["platform"] is StackOutcome.APPLIED
    assert outcomes["whoami"] is StackOutcome.SKIPPED  # needs traefik
    [failed] = [c for c in result.stack("traefik").changes  # type: ignore[union-attr]
                if c.action is Action.FAILED]
    assert str(failed.address) == "dns:rfc2136:A:traefik.home.arpa"


def test_a_failed_run_is_finished_by_the_next(lab: MemoryLab) -> None:
    lab.world.failing.add("dns:rfc2136:A:whoami.home.arpa")
    assert lab.apply().failed
    lab.world.failing.clear()
    again = lab.apply()
    assert not again.failed
    assert not lab.plan().has_changes


def test_deletes_run_in_reverse_provider_order_on_destroy(lab: MemoryLab) -> None:
    from homestack.engine import destroy

    lab.apply()
    lab.world.log.clear()
    result = destroy(lab.desired(), lab.targets(), lab.store,
                     EngineOptions(allow_data_loss=True), ["whoami"])
    assert not result.failed
    deleted = [a for verb, a in lab.world.log if verb == "delete"]
    assert deleted[0] == "dns:rfc2136:A:whoami.home.arpa"
    assert deleted[-1] == "k8s:v1:Namespace:whoami"  # the Namespace goes after its contents
    assert lab.store.read_stack("whoami") is None


def test_drift_is_typed(lab: MemoryLab) -> None:
    lab.apply()
    stored = lab.world.objects["dns:rfc2136:A:whoami.home.arpa"]
    lab.world.put("dns:rfc2136:A:whoami.home.arpa", {**stored.body, "content": "10.9.9.9"},
                  "whoami")
    result = drift(lab.desired(), lab.targets(), lab.store, lab.options)
    [changed] = [c for s in result.stacks for c in s.changes if c.action.is_change]
    assert changed.drift is DriftKind.DRIFT
    assert changed.address.provider == Provider.DNS.value


def test_the_summary_does_not_count_changes_of_skipped_stacks(lab: MemoryLab) -> None:
    lab.extra["traefik"] = [dns_record("traefik.home.arpa")]
    lab.world.failing.add("dns:rfc2136:A:traefik.home.arpa")
    result = lab.apply()
    whoami = result.stack("whoami")
    assert whoami is not None and whoami.outcome is StackOutcome.SKIPPED
    whoami_creates = sum(1 for c in whoami.changes if c.action is Action.CREATE)
    assert whoami_creates > 0
    created = sum(1 for s in result.stacks if s.outcome is not StackOutcome.SKIPPED
                  for c in s.changes if c.action is Action.CREATE)
    assert result.counts()["create"] == created
    skipped = [s.stack for s in result.stacks if s.outcome is StackOutcome.SKIPPED]
    assert sorted(skipped) == ["notes", "whoami"]  # both need traefik
    assert result.summary().endswith("; 1 Stacks failed; 2 Stacks skipped")


class _Counting(MemoryTarget):
    """A twin that counts its observations."""

    observed = 0

    def observe(self, desired, recorded):  # type: ignore[no-untyped-def]
        type(self).observed += 1
        return super().observe(desired, recorded)


def test_a_stack_nothing_handles_is_planned_from_state_without_observing(
        lab: MemoryLab) -> None:
    lab.dns_configured = False
    lab.extra["whoami"] = [dns_record("whoami.home.arpa")]
    wanted = lab.desired()
    # whoami holds only a record of the unconfigured provider: no target, so no record
    only_dns = replace(wanted, resources={**wanted.resources,
                                          "whoami": lab.extra["whoami"]})
    targets = {Provider.K8S: _Counting(Provider.K8S, lab.world, "kube-twin")}
    assert not plan_and_apply(only_dns, targets, lab.store, lab.options).failed
    assert lab.store.read_stack("whoami") is None
    _Counting.observed = 0
    again = plan(only_dns, targets, lab.store, replace(lab.options, refresh=False))
    assert _Counting.observed == 0
    assert not again.has_changes
    [skipped] = [c for c in again.stack("whoami").changes]  # type: ignore[union-attr]
    assert skipped.action is Action.SKIPPED
