"""Options of plan and apply: frozen, documented, with a safe default."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class EngineOptions:
    """How plan and apply behave.

    - ``allow_data_loss``: prune/destroy may delete data holders (PVCs, Namespaces, PVs, DBs).
    - ``allow_empty``: a Stack may lose all its objects.
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

    @classmethod
    def default(cls) -> EngineOptions:
        """The safe defaults."""
        return cls()
