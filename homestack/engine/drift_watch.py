"""Drift over time, for scheduled runs: a confirmation pass and first-seen tracking.

A rollout in progress looks like drift for a moment; ``confirmed`` keeps only the drift that is
still there after a delay. ``track`` keeps, in the state store's ``drift`` marks, when each
drifted object was first seen, so a report can say how old the drift is, and tells whether the
set of drifted objects changed since the last run (notifications go out only then).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from homestack.model.changeset import ChangeSet, DriftKind
from homestack.state import StateStore

SCOPE = "drift"


@dataclass(frozen=True)
class DriftedObject:
    """One object that drifted: where, since when, and how long ago that was."""

    stack: str
    address: str
    first_seen: datetime
    age: timedelta
    note: str = ""


@dataclass(frozen=True)
class DriftReport:
    """The drifted objects of a run, and whether their set differs from the last run's."""

    objects: tuple[DriftedObject, ...]
    changed: bool
    previous: dict[str, str] = field(default_factory=dict)  # the marks this run replaced

    def per_stack(self) -> dict[str, int]:
        """How many objects drifted per Stack."""
        counts: dict[str, int] = {}
        for obj in self.objects:
            counts[obj.stack] = counts.get(obj.stack, 0) + 1
        return counts


def drifted(changeset: ChangeSet) -> dict[str, tuple[str, str]]:
    """Address → (Stack, note) of every change labelled as drift."""
    return {str(c.address): (s.stack, c.note) for s in changeset.stacks for c in s.changes
            if c.drift is DriftKind.DRIFT}


def confirmed(run: Callable[[], ChangeSet], delay: float,
              sleep: Callable[[float], None]) -> ChangeSet:
    """Run the drift check; when it finds drift, wait ``delay`` seconds and check again.

    Only drift found both times stays labelled as drift in the returned (second) change set.
    """
    first = run()
    if delay <= 0 or not drifted(first):
        return first
    sleep(delay)
    second = run()
    before = set(drifted(first))
    return second.with_stacks([
        replace(stack, changes=tuple(
            c if c.drift is not DriftKind.DRIFT or str(c.address) in before
            else replace(c, drift=None) for c in stack.changes))
        for stack in second.stacks])


def track(store: StateStore, changeset: ChangeSet, now: datetime | None = None) -> DriftReport:
    """Record first-seen times of the drift in ``changeset``; forget drift that is gone."""
    now = now or datetime.now(UTC)
    previous = store.read_marks(SCOPE)
    current = drifted(changeset)
    marks = {address: previous.get(address, now.isoformat()) for address in current}
    if marks != previous:
        store.write_marks(SCOPE, marks)
    objects = tuple(
        DriftedObject(stack, address, seen := datetime.fromisoformat(marks[address]),
                      now - seen, note)
        for address, (stack, note) in sorted(current.items()))
    return DriftReport(objects, changed=set(marks) != set(previous), previous=previous)


def untrack(store: StateStore, report: DriftReport) -> None:
    """Put back the marks ``report`` replaced: a notification of the change failed, so the
    next run must see the same change and notify again."""
    store.write_marks(SCOPE, report.previous)
