"""Turning records into stored text and back: times as epoch seconds, outputs as JSON.

Every value that leaves the process for a store passes through here, so this is where the
last check for secret values happens (a frozen record can still carry a mutated dict).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from homestack.model.secret import assert_no_secret_values
from homestack.state.errors import StateError

# Stack names become file names in the bootstrap tier: keep them to a safe alphabet.
_STACK = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,127}$")


def check_stack(stack: str) -> str:
    """Return ``stack`` if it is a valid Stack name, else raise ``StateError``."""
    if not isinstance(stack, str) or not _STACK.match(stack) or ".." in stack:
        raise StateError(
            f"invalid Stack name {stack!r} (expected lower-case letters, digits, '-', '_', '.')",
            subject="state",
            hint="Use the Stack's folder name, e.g. 'immich'",
        )
    return stack


def to_epoch(moment: datetime) -> float:
    """Seconds since the epoch of an aware datetime."""
    return moment.timestamp()


def from_epoch(seconds: float) -> datetime:
    """The UTC datetime of ``seconds`` since the epoch."""
    return datetime.fromtimestamp(float(seconds), UTC)


def from_epoch_or_none(seconds: float | None) -> datetime | None:
    """Like ``from_epoch``, passing ``None`` through."""
    return None if seconds is None else from_epoch(seconds)


def dump_json(value: Any, subject: str) -> str:
    """Serialise ``value`` as compact JSON after proving it holds no secret value."""
    assert_no_secret_values(value, subject)
    try:
        return json.dumps(value, sort_keys=True, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as error:
        raise StateError(
            f"value is not JSON ({error})",
            subject=subject,
            hint="Record only strings, numbers, booleans, lists and dicts as outputs",
        ) from error


def load_json(text: str) -> Any:
    """Parse JSON text written by ``dump_json``."""
    return json.loads(text)
