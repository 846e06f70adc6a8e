"""Errors of the graph layer.

Hierarchy::

    HomestackError
    └── GraphError (ValueError)
        ├── CycleError          Stacks need each other in a circle; ``cycle`` holds the path
        └── UnknownStackError   a command named a Stack the homelab does not declare
"""

from __future__ import annotations

from homestack.model.errors import HomestackError


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
