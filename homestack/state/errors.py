"""Errors of the state layer.

Hierarchy::

    HomestackError                     root (homestack.model.errors)
    └── StateError                     the state store failed or refused an operation
        ├── StateConfigError           the settings or the environment cannot give a store
        ├── StateCorruptError          a state file or row cannot be read (tampered, wrong key)
        ├── StateVersionError          the state was written by a newer Homestack
        ├── StateConflictError         the recorded revision moved since the caller read it
        ├── LeaseHeldError             another holder has the Stack's lease
        └── LeaseLostError             the caller's lease expired and was taken over or broken

Every message reads "<subject>: <what failed> (<why>). <how to fix>".
"""

from __future__ import annotations

from homestack.model.errors import HomestackError


class StateError(HomestackError):
    """The state store failed or refused an operation."""


class StateConfigError(StateError):
    """The settings or the environment cannot give a state store (no URL, no key, ...)."""


class StateCorruptError(StateError):
    """A state file or row cannot be read: tampered, truncated or encrypted for another key."""


class StateVersionError(StateError):
    """The state has a newer format than this Homestack understands."""


class StateConflictError(StateError):
    """The Stack's recorded revision is not the one the caller planned against."""


class LeaseHeldError(StateError):
    """Another holder has the Stack's lease and did not release it within the wait."""


class LeaseLostError(StateError):
    """The caller's lease is no longer current: it expired and was taken over, or broken."""
