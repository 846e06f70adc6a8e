"""Errors of the engine layer.

Hierarchy::

    HomestackError
    └── EngineError
        ├── ApplyError      a target failed to perform a change (subject: the address)
        ├── GuardError      a change was refused: data loss or an emptied Stack
        └── ReadinessError  an object did not become ready in time
"""

from __future__ import annotations

from homestack.model.errors import HomestackError


class EngineError(HomestackError):
    """The engine could not finish a verb."""


class ApplyError(EngineError):
    """A target failed to perform a change."""


class GuardError(EngineError):
    """A change was refused because it could lose data or empty a Stack."""


class ReadinessError(ApplyError):
    """An applied object did not become ready before its timeout."""
