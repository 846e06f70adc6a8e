"""Change sets: what every verb returns (plan, apply, prune, destroy, drift); the CLI renders them.

Part of the model so that providers (below the engine) can speak it too; so is the
``Recorder`` protocol through which a target reports each change to the engine's journal.

A ``Change`` is one Resource's (subject, action, diff). A ``StackChanges`` groups a Stack's
changes with its outcome; a ``ChangeSet`` is the run.
"""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol

from homestack.model.resource import Resource


class Action(enum.Enum):
    """What happens (plan) or happened (apply) to one Resource."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"
    FAILED = "failed"

    @property
    def is_change(self) -> bool:
        """True for actions that change the world."""
        return self in (Action.CREATE, Action.UPDATE, Action.DELETE)


@dataclass(frozen=True)
class Change:
    """One Resource's planned or performed change. ``diff`` never holds a secret value.

    ``reason`` explains a skip or failure; ``location`` is where the target keeps the object
    (a file path for the GitOps target).
    """

    stack: str
    address: str
    action: Action
    diff: str = ""
    reason: str = ""
    resource: Resource | None = None
    location: str = ""


class StackOutcome(enum.Enum):
    """How a Stack fared in a run."""

    PLANNED = "planned"
    APPLIED = "applied"
    UNCHANGED = "unchanged"
    FAILED = "failed"
    BLOCKED = "blocked"
    SKIPPED = "skipped"


@dataclass
class StackChanges:
    """A Stack's changes and outcome; ``error`` says why it failed or was blocked."""

    stack: str
    changes: list[Change] = field(default_factory=list)
    outcome: StackOutcome = StackOutcome.PLANNED
    error: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        """True when at least one change would alter the world."""
        return any(change.action.is_change for change in self.changes)


@dataclass
class ChangeSet:
    """The result of a verb over many Stacks, in apply order."""

    stacks: list[StackChanges] = field(default_factory=list)
    commit: str | None = None

    def counts(self) -> dict[str, int]:
        """How many Resources each action hit, over every Stack."""
        counter = Counter(c.action.value for s in self.stacks for c in s.changes)
        return dict(sorted(counter.items()))

    @property
    def has_changes(self) -> bool:
        """True when any Stack has a change."""
        return any(stack.has_changes for stack in self.stacks)

    @property
    def failed(self) -> list[StackChanges]:
        """Stacks that failed or were blocked."""
        return [s for s in self.stacks
                if s.outcome in (StackOutcome.FAILED, StackOutcome.BLOCKED)]

    def summary(self) -> str:
        """One line: counts per action and failed Stacks."""
        counts = self.counts()
        parts = [f"{counts.get(a.value, 0)} to {a.value}" for a in
                 (Action.CREATE, Action.UPDATE, Action.DELETE)]
        text = ", ".join(parts) + f", {counts.get('unchanged', 0)} unchanged"
        if counts.get("skipped"):
            text += f", {counts['skipped']} skipped"
        if self.failed:
            text += f"; {len(self.failed)} Stacks failed"
        return text

    def to_json(self) -> dict[str, object]:
        """A JSON-able view (no Resource bodies: diffs are already masked)."""
        return {
            "summary": self.counts(),
            "commit": self.commit,
            "stacks": [
                {
                    "stack": s.stack,
                    "outcome": s.outcome.value,
                    "error": s.error,
                    "notes": s.notes,
                    "changes": [
                        {"address": c.address, "action": c.action.value, "diff": c.diff,
                         "reason": c.reason}
                        for c in s.changes
                    ],
                }
                for s in self.stacks
            ],
        }


class Recorder(Protocol):
    """Journal callbacks a target calls around every change it makes (the engine's journal)."""

    def intent(self, change: Change) -> None:
        """The target is about to perform ``change``."""
        ...

    def done(self, change: Change, provider_id: str | None, changed: bool = True) -> None:
        """The target performed ``change``; ``provider_id`` is e.g. the object's uid.

        ``changed`` is False when the write turned out to change nothing.
        """
        ...
