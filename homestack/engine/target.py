"""What the engine needs from a target (``kube``, ``gitops``): the consumer owns the interface.

A target plans one Stack's Resources against what it observes, applies the planned changes
while reporting each one to a ``Recorder`` (the journal), and finishes the run (the GitOps
target commits there).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from homestack.model import Resource
from homestack.model.changeset import Change, ChangeSet, Recorder
from homestack.state import StackRecord


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
