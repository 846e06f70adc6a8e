"""Policy rules as data: an id, a title, a severity, why it exists, how to fix, and a check.

A check reads the whole homelab through a ``PolicyContext`` and yields ``Hit``s; the engine turns
hits into ``Finding``s, applies silencing and fills in the rule's fix when a hit has none.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from homestack.model import Resource

if TYPE_CHECKING:
    from homestack.policy.context import PolicyContext

RULE_ID = re.compile(r"^HS-[A-Z]+-[0-9]{3}$")
SITE_STACK = "(site)"


class Scope(enum.Enum):
    """What a rule's findings about a Stack depend on.

    ``stack``: that Stack's own governed Resources and the Site, nothing of another Stack (no
    lookup of another object, no namespace facts, no comparison across Stacks): checking the
    Stack alone gives the same findings as checking it within the homelab, so a Stack whose
    Resources did not change keeps them. ``homelab``: anything, the safe default.
    """

    STACK = "stack"
    HOMELAB = "homelab"


class Severity(enum.Enum):
    """``error`` blocks plan and apply; ``warning`` does not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Hit:
    """One thing a check found: where (Stack, Resource address) and what."""

    stack: str
    address: str
    message: str
    fix: str = ""


Check = Callable[["PolicyContext"], Iterable[Hit]]


def declared_at(resource: Resource) -> str:
    """``stacks/<name>/stack.py:<line>: `` when the Resource knows where it was declared, so a
    message starts at the author's line; "" otherwise."""
    origin = resource.origin
    if origin is None:
        return ""
    cut = origin.file.rfind("stacks/")
    return f"{origin.file[cut:] if cut >= 0 else origin.file}:{origin.line}: "


@dataclass(frozen=True)
class Rule:
    """One named convention."""

    id: str
    title: str
    severity: Severity
    rationale: str
    fix: str
    check: Check
    silenceable: bool = True
    scope: Scope = Scope.HOMELAB

    def __post_init__(self) -> None:
        if not RULE_ID.match(self.id):
            raise ValueError(f"rule id {self.id!r} is not of the form HS-AREA-NNN")

    @property
    def area(self) -> str:
        """The area part of the id (``AUTH`` in ``HS-AUTH-001``)."""
        return self.id.split("-")[1]


@dataclass(frozen=True)
class Finding:
    """A rule's verdict on one Resource (or Site entry), possibly silenced with a reason."""

    rule: str
    severity: Severity
    stack: str
    address: str
    message: str
    fix: str
    silenced: bool = False
    reason: str = ""

    @property
    def blocking(self) -> bool:
        """True for a non-silenced error: plan and apply refuse to run."""
        return self.severity is Severity.ERROR and not self.silenced

    def to_json(self) -> dict[str, Any]:
        """The finding as the ``validate --json`` output shows it."""
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "stack": self.stack,
            "address": self.address,
            "message": self.message,
            "fix": self.fix,
            "silenced": self.silenced,
            "reason": self.reason,
        }

    def sort_key(self) -> tuple[int, str, str, str, str]:
        """Errors first, then by rule, Stack, address and message."""
        rank = 0 if self.severity is Severity.ERROR else 1
        return (rank, self.rule, self.stack, self.address, self.message)
