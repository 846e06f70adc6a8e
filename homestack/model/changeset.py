"""Change sets: what every verb returns (plan, apply, prune, destroy, drift); the CLI renders them.

Part of the model so that providers (below the engine) can speak it too; so is the
``Recorder`` protocol through which a target reports each change to the engine's journal.

A ``Change`` is one Resource's (subject, action, diff) plus what apply needs from the plan
(``observed``: the version the target saw, fields yielded to other managers) and why it is
what it is, as typed values: ``skip``, ``failure``, ``drift``. A ``StackChanges`` groups a
Stack's changes with its outcome and the revision of its record the plan saw; a ``ChangeSet``
is the run.
"""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol

from homestack.model.address import Address
from homestack.model.resource import Resource


class Action(enum.Enum):
    """What happens (plan) or happened (apply) to one Resource."""

    CREATE = "create"
    UPDATE = "update"
    REPLACE = "replace"
    DELETE = "delete"
    ADOPT = "adopt"  # exists with the desired identity, not Homestack's yet: take it over
    MOVE = "move"  # Homestack's, recorded or labelled for another Stack: re-home it in place
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"
    FAILED = "failed"

    @property
    def is_change(self) -> bool:
        """True for actions that change the world."""
        return self in (Action.CREATE, Action.UPDATE, Action.REPLACE, Action.DELETE,
                        Action.ADOPT, Action.MOVE)

    @property
    def writes(self) -> bool:
        """True for actions that write the desired object."""
        return self in (Action.CREATE, Action.UPDATE, Action.REPLACE, Action.ADOPT,
                        Action.MOVE)


class SkipReason(enum.Enum):
    """Why a Resource was left alone."""

    PROVIDER_NOT_CONFIGURED = "provider-not-configured"


class DriftKind(enum.Enum):
    """Why a live object differs from the desired one."""

    DRIFT = "drift"  # applied as desired, changed since by somebody else
    PENDING = "pending"  # the desired content changed and was not applied yet


# How a drift label reads for each action (rules are data).
DRIFT_WORDS: dict[tuple[DriftKind, Action], str] = {
    (DriftKind.DRIFT, Action.CREATE): "deleted outside Homestack",
    (DriftKind.DRIFT, Action.DELETE): "labelled for this Stack but never applied by it",
    (DriftKind.DRIFT, Action.UPDATE): "changed outside Homestack",
    (DriftKind.PENDING, Action.CREATE): "not applied yet",
    (DriftKind.PENDING, Action.DELETE): "left the Stack",
    (DriftKind.PENDING, Action.UPDATE): "desired content changed",
}


class FailureKind(enum.Enum):
    """Classes of failure, decided from the provider's answer (never from its wording)."""

    CONFLICT = "conflict"  # another field manager owns a declared field
    INVALID = "invalid"  # the API refused the object as invalid; retrying cannot help
    IMMUTABLE = "immutable"  # a field that cannot change after creation differs
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not-found"
    TRANSIENT = "transient"  # 429, 5xx or transport failures, retries exhausted
    NOT_READY = "not-ready"
    STALE = "stale"  # the Stack's record moved since the plan
    GUARD = "guard"  # refused to lose data or empty a Stack
    OTHER = "other"


@dataclass(frozen=True)
class Failure:
    """Why a change failed: its kind, the message, and who or what is involved."""

    kind: FailureKind
    message: str
    managers: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Observed:
    """What the target saw when it planned a change; apply uses it instead of looking again.

    ``version`` is the object's version (a Kubernetes resourceVersion, a record's id);
    ``yielded`` are owned-elsewhere fields another manager holds, which apply leaves out.
    """

    version: str = ""
    provider_id: str = ""
    yielded: tuple[str, ...] = ()


@dataclass(frozen=True)
class Change:
    """One Resource's planned or performed change. ``diff`` never holds a secret value.

    ``fields`` lists what differs (for display); ``location`` is where the target keeps the
    object (a file path for the GitOps target).
    """

    stack: str
    address: Address
    action: Action
    diff: str = ""
    resource: Resource | None = None
    observed: Observed | None = None
    fields: tuple[str, ...] = ()
    skip: SkipReason | None = None
    failure: Failure | None = None
    drift: DriftKind | None = None
    location: str = ""

    @property
    def note(self) -> str:
        """A one-line human explanation composed from the typed parts."""
        parts = []
        if self.drift is not None:
            why = DRIFT_WORDS.get((self.drift, self.action), "")
            parts.append(f"{self.drift.value}: {why}" if why else f"{self.drift.value}:")
        if self.skip is SkipReason.PROVIDER_NOT_CONFIGURED:
            parts.append(f"provider {self.address.provider} not configured")
        if self.failure is not None:
            parts.append(self.failure.message)
        if self.fields:
            shown = "; ".join(self.fields[:5]) + (" ..." if len(self.fields) > 5 else "")
            parts.append(shown)
        return " ".join(parts) or self.location


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
    """A Stack's changes and outcome; ``error`` says why it failed or was blocked, and
    ``failure`` what kind of failure it was.

    ``recorded_revision`` is the revision of the Stack's record the plan was made against
    (None: never applied), ``content_hash`` the hash of its desired Resources; apply refuses
    a plan when either moved since.
    """

    stack: str
    changes: list[Change] = field(default_factory=list)
    outcome: StackOutcome = StackOutcome.PLANNED
    error: str = ""
    notes: list[str] = field(default_factory=list)
    recorded_revision: int | None = None
    content_hash: str = ""
    failure: FailureKind | None = None

    def fail(self, outcome: StackOutcome, error: str,
             kind: FailureKind = FailureKind.OTHER) -> None:
        """Mark the Stack failed, blocked or skipped, with why as text and as a kind."""
        self.outcome, self.error, self.failure = outcome, error, kind

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
        """How many Resources each action hit, over every Stack that was not skipped (the
        changes of a Stack skipped because its needs failed never happened)."""
        counter = Counter(c.action.value for s in self.stacks for c in s.changes
                          if s.outcome is not StackOutcome.SKIPPED)
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

    def stack(self, name: str) -> StackChanges | None:
        """The changes of the Stack ``name``, if it is part of this change set."""
        return next((s for s in self.stacks if s.stack == name), None)

    def summary(self) -> str:
        """One line: counts per action and failed Stacks."""
        counts = self.counts()
        parts = [f"{counts.get(a.value, 0)} to {a.value}" for a in
                 (Action.CREATE, Action.UPDATE, Action.DELETE)]
        for extra in (Action.REPLACE, Action.ADOPT, Action.MOVE):
            if counts.get(extra.value):
                parts.append(f"{counts[extra.value]} to {extra.value}")
        text = ", ".join(parts) + f", {counts.get('unchanged', 0)} unchanged"
        if counts.get("skipped"):
            text += f", {counts['skipped']} skipped"
        if self.failed:
            text += f"; {len(self.failed)} Stacks failed"
        skipped = sum(1 for s in self.stacks if s.outcome is StackOutcome.SKIPPED)
        if skipped:
            text += f"; {skipped} Stacks skipped"
        return text


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
