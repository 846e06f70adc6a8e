"""drift: live vs recorded vs desired, each difference explained.

A difference is *drift* when the recorded state says Homestack applied exactly what is desired
now, yet the target differs: somebody or something changed it (the field managers say who).
A difference where the desired content changed since the last apply is *pending*, not drift.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from homestack.engine.desired import Desired
from homestack.engine.options import EngineOptions
from homestack.engine.plan import plan
from homestack.engine.target import Target
from homestack.model.changeset import Action, Change, ChangeSet, StackOutcome
from homestack.state import StateStore


def drift(
    desired: Desired,
    target: Target,
    store: StateStore,
    options: EngineOptions,
    names: Sequence[str] | None = None,
) -> ChangeSet:
    """Plan against the live target and label every change as drift or pending."""
    result = plan(desired, target, store, replace(options, refresh=True), names)
    for stack in result.stacks:
        recorded = store.read_stack(stack.stack)
        labelled = []
        conflicts = [c for c in stack.changes if _is_conflict(c)]
        if conflicts and len(conflicts) == len([c for c in stack.changes
                                                if c.action is Action.FAILED]):
            # Another manager took fields Homestack applied: that is drift, not a failure.
            stack.outcome, stack.error = StackOutcome.PLANNED, ""
        for change in stack.changes:
            if _is_conflict(change):
                labelled.append(replace(change, action=Action.UPDATE,
                                        reason=f"drift: {change.reason}"))
                continue
            if not change.action.is_change:
                labelled.append(change)
                continue
            before = recorded.resource(change.address) if recorded else None
            labelled.append(replace(change, reason=_why(change, before is not None,
                                                        before.content_hash if before else "")))
        stack.changes = labelled
    return result


def _is_conflict(change: Change) -> bool:
    return change.action is Action.FAILED and "conflict with" in change.reason


def _why(change: Change, was_recorded: bool, recorded_hash: str) -> str:
    desired_hash = change.resource.content_hash if change.resource else ""
    if change.action is Action.CREATE:
        return "drift: deleted outside Homestack" if was_recorded else "pending: not applied yet"
    if change.action is Action.DELETE:
        return ("pending: left the Stack" if was_recorded
                else "drift: labelled for this Stack but never applied by it")
    if was_recorded and recorded_hash == desired_hash:
        return f"drift: {change.reason}" if change.reason else "drift: changed outside Homestack"
    return f"pending: desired content changed{'; ' + change.reason if change.reason else ''}"


def drift_count(changeset: ChangeSet) -> int:
    """How many changes are drift (not pending work)."""
    return sum(1 for s in changeset.stacks for c in s.changes if c.reason.startswith("drift"))
