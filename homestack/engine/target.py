"""What the engine needs from a target: the consumer owns the interface.

A target is a thin client of one outside system (a Kubernetes cluster, a GitOps repository, a
DNS server, Vault, Proxmox). The engine picks the target of each Resource by its provider
(``Targets``: one target per provider), so one plan and one apply span them all. A target
keeps no state between its calls: it

1. ``observe``s the outside system once per run for the Resources and records in scope and
   returns what it saw as a value (its ``Observation``);
2. ``plan_stack``s one Stack purely from that value, putting on each ``Change`` what apply
   will need (the observed version, the fields yielded to other managers);
3. ``apply_stack``s exactly the changes it is given, reporting each to a ``Recorder``;
4. ``finish``es the run (the GitOps target commits there) and is ``close``d.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from homestack.model import Provider, Resource
from homestack.model.changeset import Change, ChangeSet, Recorder
from homestack.state import StackRecord


class Target(Protocol):
    """One outside system the engine plans and applies against."""

    @property
    def name(self) -> str:
        """``kube``, ``gitops``, ``cloudflare``, ``vault``, ...: recorded with each Stack."""
        ...

    def identity(self) -> str:
        """Which system this is: its endpoint and, where the system has one, its own id (a
        cluster's ``kube-system`` Namespace UID). A saved plan names it, and is refused by a
        target that answers differently."""
        ...

    def handles(self, resource: Resource) -> bool:
        """True for the Resources of its provider this target applies (others are skipped)."""
        ...

    def companions(self, stack: str, handled: Sequence[Resource]) -> list[Resource]:
        """Bookkeeping Resources the target keeps beside a Stack's own (e.g. an ApplySet
        parent); planned, recorded and pruned like the Stack's own. Empty when none."""
        ...

    def observe(self, desired: Sequence[Resource], recorded: Sequence[StackRecord]) -> Any:
        """Read the outside system once for everything in scope; return what was seen.

        The value is immutable and only ever passed back to ``plan_stack``.
        """
        ...

    def plan_stack(
        self, stack: str, desired: Sequence[Resource], recorded: StackRecord | None,
        seen: Any, *, confirm: bool = True,
    ) -> list[Change]:
        """Changes that bring the Stack's handled Resources from ``seen`` to ``desired``.

        With ``confirm``, suspected differences may be confirmed with the system first (a
        dry-run); without, the plan is made from ``seen`` alone. Deletes cover objects the
        Stack owned before (recorded or labelled) that left it.
        """
        ...

    def apply_stack(self, stack: str, changes: Sequence[Change], recorder: Recorder) -> None:
        """Perform ``changes`` (already in order); raise a ``HomestackError`` on the first
        failure, having reported every change it made to ``recorder``."""
        ...

    def finish(self, changeset: ChangeSet) -> str | None:
        """End of run (after every wave); returns a commit id when the target makes one."""
        ...

    def close(self) -> None:
        """Release connections and files."""
        ...


Targets = Mapping[Provider, Target]
