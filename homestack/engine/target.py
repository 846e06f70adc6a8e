"""What the engine needs from a target (``kube``, ``gitops``): the consumer owns the interface.

A target plans one Stack's Resources against what it observes, applies the planned changes
while reporting each one to a ``Recorder`` (the journal), and finishes the run (the GitOps
target commits there).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from homestack.model import Resource
from homestack.model.changeset import Change, ChangeSet
from homestack.state import StackRecord


class Recorder(Protocol):
    """Journal callbacks a target calls around every change it makes."""

    def intent(self, change: Change) -> None:
        """The target is about to perform ``change``."""
        ...

    def done(self, change: Change, provider_id: str | None, changed: bool = True) -> None:
        """The target performed ``change``; ``provider_id`` is e.g. the object's uid.

        ``changed`` is False when the write turned out to change nothing.
        """
        ...


class Target(Protocol):
    """Where Kubernetes objects go."""

    @property
    def name(self) -> str:
        """``kube`` or ``gitops``."""
        ...

    def handles(self, resource: Resource) -> bool:
        """True for the Resources this target applies (others are another provider's)."""
        ...

    def plan_stack(
        self, stack: str, desired: Sequence[Resource], recorded: StackRecord | None,
        *, confirm: bool = True,
    ) -> list[Change]:
        """Changes that bring the Stack's handled Resources from observed to ``desired``.

        With ``confirm``, suspected differences are confirmed with the target first.

        Deletes cover objects the Stack owned before (recorded or labelled) that left it.
        """
        ...

    def apply_stack(self, stack: str, changes: Sequence[Change], recorder: Recorder) -> None:
        """Perform ``changes`` in kind order; raise ``ApplyError`` on the first failure."""
        ...

    def forget(self) -> None:
        """Drop cached observations, so the next plan reads the target afresh."""
        ...

    def finish(self, changeset: ChangeSet) -> str | None:
        """End of run (after every wave); returns a commit id when the target makes one."""
        ...
