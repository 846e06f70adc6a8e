"""Errors of the engine layer.

Hierarchy::

    HomestackError
    └── EngineError
        └── StalePlanError   (also a StateConflictError) a plan no longer matches the homelab
                             or a Stack's record: it is refused, never applied in part
"""

from __future__ import annotations

from collections.abc import Sequence

from homestack.model.errors import HomestackError
from homestack.state.errors import StateConflictError


class EngineError(HomestackError):
    """The engine could not finish a verb."""


class StalePlanError(EngineError, StateConflictError):
    """The plan was made against a homelab or a record that has moved since."""

    @classmethod
    def for_stack(cls, stack: str, planned: int | None, now: int | None, by: str
                  ) -> StalePlanError:
        """A Stack whose record moved from revision ``planned`` to ``now``."""
        seen = "no record" if planned is None else f"revision {planned}"
        current = "no record" if now is None else f"revision {now}"
        who = f" by {by}" if by else ""
        return cls(f"the record changed since the plan ({seen} then, {current} now{who})",
                   subject=f"Stack {stack}", hint="Plan again and apply the new plan")

    @classmethod
    def for_content(cls, stacks: Sequence[str]) -> StalePlanError:
        """Stacks whose desired content differs from the saved plan's."""
        return cls(f"the homelab changed since the plan in Stack(s) {', '.join(stacks)}",
                   subject="plan", hint="Plan again and apply the new plan; nothing was applied")
