"""Apply executes exactly the plan it was given, and refuses a plan that no longer holds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from homestack.engine import (
    Action,
    FailureKind,
    StackOutcome,
    StalePlanError,
    admit,
    apply,
    plan_and_apply,
    plan_from_json,
    plan_to_json,
)
from tests.engine.memory_lab import MemoryLab, dns_record


@pytest.fixture
def lab(small_homelab: Path, tmp_path: Path) -> MemoryLab:
    return MemoryLab(small_homelab, tmp_path)


def _saved(lab: MemoryLab) -> dict[str, object]:
    planned = lab.plan(confirm=False)
    return json.loads(json.dumps(plan_to_json(planned, lab.targets(),
                                              lab.homelab.site.name)))


def test_a_saved_plan_applies_exactly_its_changes(lab: MemoryLab) -> None:
    data = _saved(lab)
    approved = admit(data, lab.desired(), lab.targets(), lab.store, lab.options)
    planned_writes = sorted(str(c.address) for s in approved.stacks for c in s.changes
                            if c.action.is_change)
    result = apply(lab.desired(), lab.targets(), lab.store, lab.options, approved)
    assert not result.failed
    assert sorted(a for _, a in lab.world.log) == planned_writes
    assert not lab.plan().has_changes


def test_a_saved_plan_is_refused_when_a_stack_changed_since(lab: MemoryLab) -> None:
    data = _saved(lab)
    lab.extra["whoami"] = [dns_record("whoami.home.arpa", "10.0.20.99")]
    with pytest.raises(StalePlanError) as caught:
        plan_from_json(data, lab.desired(), lab.targets())
    assert "whoami" in str(caught.value)
    assert lab.world.log == []


def test_a_stack_applied_by_another_run_since_the_plan_is_refused(lab: MemoryLab) -> None:
    approved = lab.plan(confirm=False)
    plan_and_apply(lab.desired(), lab.targets(), lab.store, lab.options, ["whoami"])
    writes = len(lab.world.log)
    result = apply(lab.desired(), lab.targets(), lab.store, lab.options, approved)
    whoami = result.stack("whoami")
    assert whoami is not None and whoami.outcome is StackOutcome.FAILED
    assert whoami.failure is FailureKind.STALE
    assert "changed since the plan" in whoami.error
    assert not [a for _, a in lab.world.log[writes:] if "whoami" in a]
    assert result.stack("platform").outcome is StackOutcome.APPLIED  # type: ignore[union-attr]


def test_the_record_is_written_against_the_revision_the_plan_saw(lab: MemoryLab) -> None:
    lab.apply()
    first = lab.store.read_stack("whoami")
    lab.extra["whoami"] = [dns_record("whoami.home.arpa", "10.0.20.99")]
    result = lab.apply()
    assert [str(c.address) for s in result.stacks for c in s.changes
            if c.action is Action.UPDATE] == ["dns:rfc2136:A:whoami.home.arpa"]
    second = lab.store.read_stack("whoami")
    assert first is not None and second is not None
    assert second.revision == first.revision + 1
