"""What the state layer records: Stacks, Resources, leases, journal entries and runs.

These are the values the ``StateStore`` protocol speaks. They are frozen pydantic models whose
free-form parts (Resource outputs) must be JSON and can never hold a ``SecretValue``: a secret
travels as a ``SecretRef`` or not at all. Stores check again when they serialise, because a
caller can still mutate the dict inside a frozen model.
"""

from __future__ import annotations

import enum
import getpass
import itertools
import os
import socket
from datetime import UTC, datetime
from typing import Any

from pydantic import (
    AwareDatetime,
    BaseModel,
    Field,
    JsonValue,
    field_validator,
    model_validator,
)

from homestack.model.modelconfig import FROZEN
from homestack.model.secret import assert_no_secret_values


class _Record(BaseModel):
    model_config = FROZEN

    @model_validator(mode="before")
    @classmethod
    def _no_secret_values(cls, data: Any) -> Any:
        # Runs before field validation so the message names the field that held the secret.
        assert_no_secret_values(data, subject=cls.__name__)
        return data


class Holder(_Record):
    """Who holds a lease: user, host, process id and the run id of the apply."""

    user: str
    host: str
    pid: int
    run_id: str

    @classmethod
    def current(cls, run_id: str) -> Holder:
        """Return the holder that describes this process for the run ``run_id``."""
        return cls(user=getpass.getuser(), host=socket.gethostname(), pid=os.getpid(),
                   run_id=run_id)

    def __str__(self) -> str:
        return f"{self.user}@{self.host} (pid {self.pid}, run {self.run_id})"

    def is_known_dead(self) -> bool:
        """True when the holder ran on this host and its process no longer exists.

        A holder on another host, or a live process (possibly a reused pid), is never called
        dead: only certainty lets a lease be taken over before it expires.
        """
        return process_gone(self.host, self.pid)


def process_gone(host: str, pid: int) -> bool:
    """True when ``pid`` ran on this host and no longer exists (never for another host, an
    unknown pid, or a live process, which may be a reused pid)."""
    if host != socket.gethostname() or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # exists, owned by another user
    return False


class Lease(_Record):
    """A time-limited right to change one Stack's state; ``token`` names this very grant."""

    stack: str
    holder: Holder
    token: str
    acquired_at: AwareDatetime
    heartbeat_at: AwareDatetime
    expires_at: AwareDatetime

    @property
    def run_id(self) -> str:
        """The run id of the holder."""
        return self.holder.run_id

    def age_seconds(self, now: datetime | None = None) -> float:
        """Seconds since the lease was acquired."""
        return ((now or datetime.now(UTC)) - self.acquired_at).total_seconds()


class ResourceRecord(_Record):
    """The applied state of one Resource: its address, provider id, content hash, outputs."""

    address: str = Field(min_length=1)
    provider_id: str | None = None
    content_hash: str
    outputs: dict[str, JsonValue] = Field(default_factory=dict)


class StackRecord(_Record):
    """The applied state of one Stack; ``revision`` grows by one with every write."""

    stack: str
    revision: int = Field(default=0, ge=0)
    content_hash: str
    applied_at: AwareDatetime
    applied_by: str
    target: str = "kube"
    gitops_commit: str | None = None
    resources: tuple[ResourceRecord, ...] = ()

    @field_validator("resources")
    @classmethod
    def _sorted_and_unique(
        cls, resources: tuple[ResourceRecord, ...]
    ) -> tuple[ResourceRecord, ...]:
        # Sorted by address so a record reads back equal from every backend.
        ordered = tuple(sorted(resources, key=lambda r: r.address))
        for first, second in itertools.pairwise(ordered):
            if first.address == second.address:
                raise ValueError(f"Resource {first.address} is recorded twice")
        return ordered

    def resource(self, address: str) -> ResourceRecord | None:
        """Return the record of the Resource at ``address``, if there is one."""
        return next((r for r in self.resources if r.address == address), None)


class JournalEntry(_Record):
    """One Resource change of a run: intended, and done once the provider confirmed it.

    An entry with no ``done_at`` may or may not have happened: re-check it against the
    provider. ``result`` is the Resource's record after the change (``None`` for deletes).
    """

    run_id: str
    stack: str
    address: str
    action: str
    content_hash: str
    intent_at: AwareDatetime
    done_at: AwareDatetime | None = None
    result: ResourceRecord | None = None

    @property
    def done(self) -> bool:
        """Whether the change was confirmed."""
        return self.done_at is not None


class RunResult(enum.Enum):
    """How a run ended (``running`` while it has not)."""

    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    INTERRUPTED = "interrupted"


class RunRecord(_Record):
    """One entry of the history: an apply, a prune, a ``state unlock``...

    ``counts`` maps an action name (``created``, ``deleted``...) to how many Resources it hit.
    """

    run_id: str
    command: str
    by: str
    started_at: AwareDatetime
    ended_at: AwareDatetime | None = None
    stacks: tuple[str, ...] = ()
    counts: dict[str, int] = Field(default_factory=dict)
    result: RunResult = RunResult.RUNNING
    message: str = ""
    host: str = ""
    pid: int = 0
