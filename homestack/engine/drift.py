"""drift: live vs recorded vs desired, each difference explained as a typed ``DriftKind``.

A difference is *drift* when the recorded state says Homestack applied exactly what is desired
now, yet the target differs: somebody or something changed it (the field managers say who).
A difference where the desired content changed since the last apply is *pending*, not drift.
A conflict with another field manager over a field Homestack applied is drift too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from homestack.engine.desired import Desired
from homestack.engine.options import EngineOptions
from homestack.engine.plan import plan
from homestack.engine.target import Targets
from homestack.model.changeset import (
    Action,
    Change,
    ChangeSet,
    DriftKind,
    FailureKind,
    StackChanges,
    StackOutcome,
)
from homestack.state import StackRecord, StateStore


def drift(
    desired: Desired,
    targets: Targets,
    store: StateStore,
    options: EngineOptions,
    names: Sequence[str] | None = None,
) -> ChangeSet:
    """Plan against the live targets and label every change as drift or pending."""
    result = plan(desired, targets, store, replace(options, refresh=True), names)
    return result.with_stacks([_labelled(stack, store.read_stack(stack.stack))
                               for stack in result.stacks])


def _labelled(stack: StackChanges, recorded: StackRecord | None) -> StackChanges:
    failed = [c for c in stack.changes if c.action is Action.FAILED]
    if failed and all(_is_taken(c, recorded) for c in failed):
        # Another manager took fields Homestack applied: that is drift, not a failure.
        stack = replace(stack, outcome=StackOutcome.PLANNED, error="", failure=None)
    return replace(stack, changes=tuple(_label(c, recorded) for c in stack.changes))


def _is_taken(change: Change, recorded: StackRecord | None) -> bool:
    """A conflict over something this Stack applied (recorded): somebody took it since.

    A conflict over an object it never applied (a record nobody owns in the way) stays what
    the plan said: that is not drift, it needs adopting or removing.
    """
    found = change.conflict or change.failure
    return (found is not None and found.kind is FailureKind.CONFLICT
            and recorded is not None and recorded.resource(str(change.address)) is not None)


def _label(change: Change, recorded: StackRecord | None) -> Change:
    if _is_taken(change, recorded):
        # The diff and fields already show the values and who holds them: that is the drift.
        return replace(change, action=Action.UPDATE, drift=DriftKind.DRIFT, failure=None,
                       conflict=None)
    if not change.action.is_change:
        return change
    return replace(change, drift=_kind(change, recorded))


def _kind(change: Change, recorded: StackRecord | None) -> DriftKind:
    before = recorded.resource(str(change.address)) if recorded else None
    if change.action is Action.CREATE:
        return DriftKind.DRIFT if before is not None else DriftKind.PENDING
    if change.action is Action.DELETE:
        # Left the Stack since its last apply: pending; labelled but never recorded: drift.
        return DriftKind.PENDING if before is not None else DriftKind.DRIFT
    desired_hash = change.resource.content_hash if change.resource else ""
    if before is not None and before.content_hash == desired_hash:
        return DriftKind.DRIFT
    return DriftKind.PENDING


def drift_count(changeset: ChangeSet) -> int:
    """How many changes are drift (not pending work)."""
    return sum(1 for s in changeset.stacks for c in s.changes if c.drift is DriftKind.DRIFT)
