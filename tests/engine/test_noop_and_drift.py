"""A write that changed nothing is reported unchanged; drift is only what nobody asked for."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from homestack.engine import Action, DriftKind, apply, drift
from tests.engine.memory_lab import MemoryLab, dns_record

RECORD = "dns:rfc2136:A:whoami.home.arpa"


@pytest.fixture
def lab(small_homelab: Path, tmp_path: Path) -> MemoryLab:
    return MemoryLab(small_homelab, tmp_path)


def test_a_write_that_changed_nothing_is_reported_unchanged(lab: MemoryLab) -> None:
    lab.apply()
    planned = lab.plan()
    whoami = planned.stack("whoami")
    assert whoami is not None
    # As an unconfirmed plan would: every object suspected, each write tells the truth.
    whoami = replace(whoami, changes=tuple(replace(c, action=Action.UPDATE) if c.resource
                                           else c for c in whoami.changes))
    planned = planned.with_stacks([whoami if s.stack == "whoami" else s
                                   for s in planned.stacks])
    result = apply(lab.desired(), lab.targets(), lab.store, lab.options, planned)
    assert not result.failed
    assert [c.action for c in result.stack("whoami").changes] == \
        [Action.UNCHANGED] * len(whoami.changes)  # type: ignore[union-attr]
    assert result.counts().get("update", 0) == 0


def test_a_real_write_still_counts_as_changed(lab: MemoryLab) -> None:
    lab.apply()
    lab.extra["whoami"] = [dns_record("whoami.home.arpa", "10.0.20.99")]
    result = lab.apply()
    [changed] = [c for s in result.stacks for c in s.changes if c.action.is_change]
    assert (str(changed.address), changed.action) == (RECORD, Action.UPDATE)


def test_a_difference_after_a_desired_change_is_pending_not_drift(lab: MemoryLab) -> None:
    lab.apply()
    lab.extra["whoami"] = [dns_record("whoami.home.arpa", "10.0.20.99")]
    result = drift(lab.desired(), lab.targets(), lab.store, lab.options)
    [changed] = [c for s in result.stacks for c in s.changes if c.action.is_change]
    assert str(changed.address) == RECORD
    assert changed.drift is DriftKind.PENDING


def test_an_outside_edit_of_unchanged_desired_content_is_drift(lab: MemoryLab) -> None:
    lab.apply()
    stored = lab.world.objects[RECORD]
    lab.world.put(RECORD, {**stored.body, "content": "10.9.9.9"}, "whoami")
    result = drift(lab.desired(), lab.targets(), lab.store, lab.options)
    [changed] = [c for s in result.stacks for c in s.changes if c.action.is_change]
    assert changed.drift is DriftKind.DRIFT
