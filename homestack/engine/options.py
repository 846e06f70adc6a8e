"""Options of plan and apply: frozen, documented, with a safe default."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

from homestack.model.changeset import Permissions


@dataclass(frozen=True)
class EngineOptions:
    """How plan and apply behave.

    - ``allow_data_loss``: prune/destroy may delete data holders (PVCs, Namespaces, PVs, DBs).
    - ``allow_empty``: a Stack may lose all its objects.
    - ``allow_prune``: a Stack that left the homelab is pruned (all its objects deleted).
    - ``force_conflicts``: take back declared fields another field manager holds.
    - ``parallelism``: Stacks applied at once inside a wave.
    - ``lease_wait``: seconds to wait for another run's lease on a Stack.
    - ``refresh``: plan against the live target (True) or only against recorded state.
    - ``confirm``: confirm suspected differences with the target before reporting them (a
      server-side dry-run); apply turns it off, since its writes report whether they changed
      anything.
    """

    allow_data_loss: bool = False
    allow_empty: bool = False
    parallelism: int = os.cpu_count() or 2
    lease_wait: float = 30.0
    refresh: bool = True
    confirm: bool = True
    force_conflicts: bool = False
    allow_prune: bool = False

    @property
    def permissions(self) -> Permissions:
        """What a plan made with these options may do; it carries them to apply."""
        return Permissions(self.allow_data_loss, self.allow_empty, self.force_conflicts,
                           self.allow_prune)

    def granted(self, permissions: Permissions) -> EngineOptions:
        """These options with ``permissions`` (a saved plan's, or the command line's)."""
        return replace(self, allow_data_loss=permissions.allow_data_loss,
                       allow_empty=permissions.allow_empty,
                       force_conflicts=permissions.force_conflicts,
                       allow_prune=permissions.allow_prune)

    @classmethod
    def default(cls) -> EngineOptions:
        """The safe defaults."""
        return cls()
