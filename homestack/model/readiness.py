"""Readiness: whether an applied object has finished settling, and whether it settled well.

"Finished, and failed" is a value (``done=True, ok=False``): a failed Job or a Deployment past
its progress deadline stops a wait at once, instead of being polled until its timeout.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Readiness:
    """A readiness verdict: ``done`` settles the wait; ``ok`` says whether it succeeded."""

    done: bool
    ok: bool
    message: str

    @classmethod
    def ready(cls, message: str = "ready") -> Readiness:
        """Finished and healthy."""
        return cls(True, True, message)

    @classmethod
    def waiting(cls, message: str) -> Readiness:
        """Not finished yet: poll again."""
        return cls(False, False, message)

    @classmethod
    def failed(cls, message: str) -> Readiness:
        """Finished, and failed: waiting longer cannot help."""
        return cls(True, False, message)
