"""Change sets: what every verb returns (plan, apply, destroy, drift); the CLI renders them.

Part of the model so that providers (below the engine) can speak it too; so is the
``Recorder`` protocol through which a target reports each change to the engine's journal.

A ``Change`` is one Resource's (subject, action, diff) plus what apply needs from the plan
(``observed``: the version the target saw, fields yielded to other managers) and why it is
what it is, as typed values: ``skip``, ``failure``, ``conflict``, ``drift``. A
``StackChanges`` groups a Stack's changes with its outcome and the revision of its record the
plan saw; a ``ChangeSet`` is the run: its mode (apply or destroy) and the permissions it was
made with. Every one of them is frozen: apply returns a new value (``ApplyResult``) and the
approved plan stays what it was.
"""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass, field, replace
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
    (DriftKind.DRIFT, Action.UNCHANGED): "added to outside Homestack (apply keeps it)",
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
    """What the target saw of the live object when it planned a change.

    ``version`` is the live object's version token, compared only for equality (a Kubernetes
    resourceVersion, a KV version, a PVE config digest; "" when it has none); ``provider_id``
    the object's id at the provider (a uid, record ids, a VM id); ``yielded`` the
    owned-elsewhere fields another manager holds, which apply leaves out. Anything else a
    provider needs at apply is its own business: ``Change.private``.
    """

    version: str = ""
    provider_id: str = ""
    yielded: tuple[str, ...] = ()


@dataclass(frozen=True)
class Change:
    """One Resource's planned or performed change. ``diff`` never holds a secret value.

    ``fields`` lists what differs (for display); ``location`` is where the target keeps the
    object (a file path for the GitOps target); ``private`` is the planning target's own data
    for apply (Terraform's planned-private): opaque text only that provider reads, carried
    and saved with the plan, never a secret value.
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
    conflict: Failure | None = None
    private: str = ""

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
        if self.conflict is not None:
            holders = ", ".join(self.conflict.managers) or "another field manager"
            parts.append(f"conflict: declared fields held by {holders}")
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


@dataclass(frozen=True)
class StackChanges:
    """A Stack's changes and outcome; ``error`` says why it failed or was blocked, and
    ``failure`` what kind of failure it was.

    ``recorded_revision`` is the revision of the Stack's record the plan was made against
    (None: never applied), ``content_hash`` the hash of its desired Resources; apply refuses
    a plan when either moved since.
    """

    stack: str
    changes: tuple[Change, ...] = ()
    outcome: StackOutcome = StackOutcome.PLANNED
    error: str = ""
    notes: tuple[str, ...] = ()
    recorded_revision: int | None = None
    content_hash: str = ""
    failure: FailureKind | None = None

    def failed_as(self, outcome: StackOutcome, error: str,
                  kind: FailureKind = FailureKind.OTHER) -> StackChanges:
        """This Stack failed, blocked or skipped, with why as text and as a kind."""
        return replace(self, outcome=outcome, error=error, failure=kind)

    def noted(self, *notes: str) -> StackChanges:
        """This Stack with ``notes`` added."""
        return replace(self, notes=(*self.notes, *notes)) if notes else self

    @property
    def has_changes(self) -> bool:
        """True when at least one change would alter the world."""
        return any(change.action.is_change for change in self.changes)

    @property
    def conflicts(self) -> tuple[Change, ...]:
        """Changes whose declared fields another field manager holds."""
        return tuple(c for c in self.changes if c.conflict is not None)


class PlanMode(enum.Enum):
    """What a plan was made for: converge on the homelab, or delete named Stacks."""

    APPLY = "apply"
    DESTROY = "destroy"


@dataclass(frozen=True)
class Permissions:
    """What a plan was allowed to do, fixed when it was made and carried to apply.

    - ``allow_data_loss``: delete or replace data holders (PVCs, Namespaces, PVs, databases).
    - ``allow_empty``: a Stack still in the homelab may lose all its objects.
    - ``force_conflicts``: take back declared fields another field manager holds.
    - ``allow_prune``: a Stack that left the homelab (its folder is gone) is pruned: every
      object it holds is deleted.
    """

    allow_data_loss: bool = False
    allow_empty: bool = False
    force_conflicts: bool = False
    allow_prune: bool = False

    def flags(self) -> tuple[str, ...]:
        """The command-line flags that grant these permissions."""
        return tuple(flag for flag, on in (("--allow-data-loss", self.allow_data_loss),
                                           ("--allow-empty", self.allow_empty),
                                           ("--force-conflicts", self.force_conflicts),
                                           ("--allow-prune", self.allow_prune)) if on)


@dataclass(frozen=True)
class ChangeSet:
    """The result of a verb over many Stacks, in apply order.

    ``mode`` and ``permissions`` are the plan's: apply executes the plan under them.
    ``context`` names the cluster context the plan was made against ("" for the default).
    """

    stacks: tuple[StackChanges, ...] = ()
    commit: str | None = None
    mode: PlanMode = PlanMode.APPLY
    permissions: Permissions = field(default_factory=Permissions)
    context: str = ""

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

    def with_stacks(self, stacks: tuple[StackChanges, ...] | list[StackChanges]) -> ChangeSet:
        """This change set with ``stacks`` in place of its own."""
        return replace(self, stacks=tuple(stacks))

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
        conflicts = sum(len(s.conflicts) for s in self.stacks)
        if conflicts:
            text += f"; {conflicts} with conflicts"
        if self.failed:
            text += f"; {len(self.failed)} Stacks failed"
        skipped = sum(1 for s in self.stacks if s.outcome is StackOutcome.SKIPPED)
        if skipped:
            text += f"; {skipped} Stacks skipped"
        return text


@dataclass(frozen=True)
class ApplyResult(ChangeSet):
    """What an apply (or a destroy) did: the plan's Stacks with their outcomes, a value of
    its own. ``run_id`` names the run in the history."""

    run_id: str = ""


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
