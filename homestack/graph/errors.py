"""Errors of the graph layer.

Hierarchy::

    HomestackError
    └── GraphError (ValueError)
        ├── CycleError          Stacks need each other in a circle; ``cycle`` holds the path
        ├── MissingCapabilityError  a component requires a capability nothing provides
        └── UnknownStackError   a command named a Stack the homelab does not declare
"""

from __future__ import annotations

from collections.abc import Sequence

from homestack.model.capability import FACTS
from homestack.model.errors import HomestackError
from homestack.model.stack import Requirement


class GraphError(HomestackError, ValueError):
    """The Stack graph cannot be ordered."""


class CycleError(GraphError):
    """A dependency cycle; the message prints it as ``a -> b -> a``."""

    def __init__(self, cycle: list[str], location: str | None = None) -> None:
        self.cycle = cycle
        super().__init__(
            "dependency cycle: " + " -> ".join(cycle),
            subject=location,
            hint="Remove one of these `needs` so the Stacks can be ordered",
        )


class UnknownStackError(GraphError):
    """A Stack name given on the command line that the homelab does not declare."""

    def __init__(self, unknown: list[str], known: list[str]) -> None:
        self.unknown = unknown
        shown = ", ".join(known[:12]) + (" ..." if len(known) > 12 else "")
        super().__init__(
            f"unknown Stack {unknown[0][:80]!r}"
            + ("..." if len(unknown[0]) > 80 else "") + (f" (and {len(unknown) - 1} more)"
                                               if len(unknown) > 1 else ""),
            hint=f"Known Stacks: {shown}; a Stack removed from the homelab is deleted by a "
                 "plan of every Stack",
        )


class MissingCapabilityError(GraphError):
    """A component requires a platform capability that no Stack provides and the Site does
    not declare present; the subject is the stack line of the first such component."""

    def __init__(self, stack: str, missing: Sequence[Requirement],
                 location: str | None = None) -> None:
        self.stack = stack
        self.missing = tuple(missing)
        first = missing[0]
        capability = first.capability
        facts = FACTS[capability]
        others = sorted({m.capability.value for m in missing[1:]} - {capability.value})
        member = f"Capability.{capability.name}"
        super().__init__(
            f"{first.component} requires the platform capability {capability.value!r} "
            f"({facts.stands_for}), and no Stack provides it"
            + (f"; also missing: {', '.join(others)}" if others else ""),
            subject=location or (str(first.origin) if first.origin else f"stack {stack}"),
            hint=f"Add a Stack that provides it (Stack(..., provides=[{member}]), or one "
                 f"named {facts.conventional_stack}), declare it present outside Homestack "
                 f"with Site(platform=Platform(present=[{member}])), or choose a kit option "
                 "that does without it",
        )
