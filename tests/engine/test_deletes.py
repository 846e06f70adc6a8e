"""Deletes: planned from the record alone, in reverse order, and records that go with them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from homestack.catalog import load
from homestack.engine import (
    Action,
    EngineOptions,
    FailureKind,
    PlanMode,
    StackOutcome,
    apply,
    destroy,
    plan_destroy,
)
from homestack.graph.errors import UnknownStackError
from homestack.model import ModelError
from homestack.state import Holder
from homestack_testing.homelabs import copy_homelab
from tests.engine.memory_lab import MemoryLab, dns_record

RECORD_A = "dns:rfc2136:A:whoami.home.arpa"
RECORD_B = "dns:rfc2136:A:echo.home.arpa"


@pytest.fixture
def homelab(small_homelab: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "homelab"
    copy_homelab(small_homelab, copy)
    return copy


@pytest.fixture
def lab(homelab: Path, tmp_path: Path) -> MemoryLab:
    return MemoryLab(homelab, tmp_path)


def _deleted(result) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(str(c.address) for s in result.stacks for c in s.changes
                  if c.action is Action.DELETE)


def test_a_plan_from_state_deletes_what_left_the_stack(lab: MemoryLab) -> None:
    lab.extra["whoami"] = [dns_record("whoami.home.arpa"), dns_record("echo.home.arpa")]
    lab.apply()
    lab.extra["whoami"] = [dns_record("whoami.home.arpa")]
    # Gone from the world already: only the record still knows it, so a live plan would
    # not delete it; the plan from state must.
    del lab.world.objects[RECORD_B]
    assert _deleted(lab.plan(refresh=False)) == [RECORD_B]
    assert _deleted(lab.plan(refresh=True)) == []


def test_the_record_of_a_removed_stack_is_deleted(lab: MemoryLab, homelab: Path) -> None:
    lab.apply()
    shutil.rmtree(homelab / "stacks" / "whoami")
    lab.homelab = load(homelab)
    result = lab.apply(allow_data_loss=True, allow_prune=True)
    removed = result.stack("whoami")
    assert removed is not None and removed.outcome is StackOutcome.APPLIED, removed
    assert RECORD_A in _deleted(result)
    assert lab.store.read_stack("whoami") is None
    assert "whoami" not in lab.store.stacks()
    assert not [a for a in lab.world.objects if "whoami" in a]


def test_the_record_of_an_emptied_stack_is_deleted(lab: MemoryLab, homelab: Path) -> None:
    lab.apply()
    path = homelab / "stacks" / "whoami" / "stack.py"
    path.write_text('from homestack import Stack, tier\n\nstack = Stack("whoami", tier=tier.AUX, '
                    'needs=["traefik"], description="Echo service")\n')
    lab.homelab = load(homelab)
    lab.extra = {}
    result = lab.apply(allow_data_loss=True, allow_empty=True)
    emptied = result.stack("whoami")
    assert emptied is not None and emptied.outcome is StackOutcome.APPLIED, emptied
    assert lab.store.read_stack("whoami") is None
    assert lab.store.read_stack("traefik") is not None


def test_destroy_deletes_dependents_before_what_they_need(lab: MemoryLab) -> None:
    lab.apply()
    lab.world.log.clear()
    result = destroy(lab.desired(), lab.targets(), lab.store,
                     EngineOptions(allow_data_loss=True), ["traefik"], with_dependents=True)
    assert not result.failed
    assert [s.stack for s in result.stacks][-1] == "traefik"
    deleted = [a for verb, a in lab.world.log if verb == "delete"]
    for dependent in ("whoami", "notes"):
        last = max(i for i, a in enumerate(deleted) if dependent in a)
        first_traefik = min(i for i, a in enumerate(deleted) if "traefik" in a)
        assert last < first_traefik, (dependent, deleted)
    assert {s.stack for s in result.stacks} == {"traefik", "whoami", "notes"}
    assert lab.store.read_stack("traefik") is None
    history = lab.store.history(1)[0]
    assert history.command == "destroy" and history.result.value == "succeeded"


def test_destroy_of_a_stack_another_applied_stack_needs_is_refused(lab: MemoryLab) -> None:
    lab.apply()
    lab.world.log.clear()
    with pytest.raises(ModelError, match="notes needs traefik") as refused:
        plan_destroy(lab.desired(), lab.targets(), lab.store, EngineOptions(), ["traefik"])
    assert "whoami needs traefik" in str(refused.value)
    assert lab.world.log == [] and lab.store.read_stack("traefik") is not None


def test_destroy_of_an_unknown_stack_is_refused_before_anything_runs(lab: MemoryLab) -> None:
    lab.apply()
    runs = len(lab.store.history())
    with pytest.raises(UnknownStackError, match="nosuchstack"):
        destroy(lab.desired(), lab.targets(), lab.store, EngineOptions(), ["nosuchstack"])
    assert len(lab.store.history()) == runs


def test_a_destroy_plan_lists_every_delete_and_applies_as_planned(lab: MemoryLab) -> None:
    lab.apply()
    recorded = {r.address for r in lab.store.read_stack("whoami").resources}
    planned = plan_destroy(lab.desired(), lab.targets(), lab.store,
                           EngineOptions(allow_data_loss=True), ["whoami"])
    assert planned.mode is PlanMode.DESTROY
    [stack] = planned.stacks
    assert {str(c.address) for c in stack.changes if c.action is Action.DELETE} == recorded
    lab.world.log.clear()
    result = apply(lab.desired(), lab.targets(), lab.store, EngineOptions(), planned)
    assert {a for verb, a in lab.world.log if verb == "delete"} == recorded
    assert result.stack("whoami").outcome is StackOutcome.APPLIED
    assert planned.stack("whoami").outcome is StackOutcome.PLANNED  # the plan is untouched


def test_a_destroy_plan_is_refused_when_the_record_moved_since(lab: MemoryLab) -> None:
    lab.apply()
    planned = plan_destroy(lab.desired(), lab.targets(), lab.store,
                           EngineOptions(allow_data_loss=True), ["whoami"])
    record = lab.store.read_stack("whoami")
    lease = lab.store.acquire("whoami", Holder.current("other"), wait=0)
    lab.store.write_stack(lease, record, expected_revision=record.revision)
    lab.store.release(lease)
    lab.world.log.clear()
    result = apply(lab.desired(), lab.targets(), lab.store, EngineOptions(), planned)
    assert result.stack("whoami").failure is FailureKind.STALE
    assert not [a for verb, a in lab.world.log if verb == "delete"]


def test_a_data_holder_blocks_the_destroy_plan_of_its_stack(lab: MemoryLab) -> None:
    lab.apply()
    planned = plan_destroy(lab.desired(), lab.targets(), lab.store, EngineOptions(),
                           ["whoami"])
    [stack] = planned.stacks
    assert stack.outcome is StackOutcome.BLOCKED and "--allow-data-loss" in stack.error
    lab.world.log.clear()
    result = apply(lab.desired(), lab.targets(), lab.store, EngineOptions(), planned)
    assert lab.world.log == [] and result.failed


def test_a_pruned_namespace_goes_after_its_contents(lab: MemoryLab, homelab: Path) -> None:
    lab.apply()
    lab.world.log.clear()
    shutil.rmtree(homelab / "stacks" / "whoami")
    lab.homelab = load(homelab)
    assert not lab.apply(allow_data_loss=True, allow_prune=True).failed
    deleted = [a for verb, a in lab.world.log if verb == "delete"]
    assert deleted[0] == RECORD_A  # DNS before Kubernetes: reverse provider phase
    assert deleted[-1] == "k8s:v1:Namespace:whoami"
    assert "k8s:apps/v1:Deployment:whoami/whoami" in deleted


def test_a_destroy_keeps_what_a_failed_dependent_still_needs(lab: MemoryLab) -> None:
    lab.apply()
    planned = plan_destroy(lab.desired(), lab.targets(), lab.store,
                           EngineOptions(allow_data_loss=True), ["traefik"],
                           with_dependents=True)
    lab.world.failing.add("k8s:apps/v1:Deployment:whoami/whoami")
    result = apply(lab.desired(), lab.targets(), lab.store, EngineOptions(), planned)
    outcomes = {s.stack: s.outcome for s in result.stacks}
    assert outcomes["whoami"] is StackOutcome.FAILED
    assert outcomes["traefik"] is StackOutcome.SKIPPED
    assert "is needed by failed Stack(s) whoami" in (result.stack("traefik").error or "")
    assert lab.store.read_stack("traefik") is not None


def test_pruning_a_removed_stack_needs_its_own_flag_and_lists_what_goes(
        lab: MemoryLab, homelab: Path) -> None:
    lab.apply()
    shutil.rmtree(homelab / "stacks" / "whoami")
    lab.homelab = load(homelab)
    emptied = lab.apply(allow_data_loss=True, allow_empty=True).stack("whoami")
    assert emptied is not None and emptied.outcome is StackOutcome.BLOCKED
    assert "--allow-prune" in emptied.error and RECORD_A in emptied.error
    assert [a for a in lab.world.objects if "whoami" in a]
    pruned = lab.apply(allow_data_loss=True, allow_prune=True).stack("whoami")
    assert pruned is not None and pruned.outcome is StackOutcome.APPLIED
    assert any(note.startswith("--allow-prune allowed pruning all") for note in pruned.notes)
    assert not [a for a in lab.world.objects if "whoami" in a]
