"""Errors of the graph layer.

Hierarchy::

    HomestackError
    └── GraphError (ValueError)
        └── CycleError          Stacks need each other in a circle; ``cycle`` holds the path
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
