"""The ``StateStore`` protocol: what plan and apply need from any state backend.

Reads (``stacks``, ``read_stack``, ``read_lease``, ``journal_open``, ``history``) take no lease,
so ``plan`` never waits. Every write to a Stack's state goes through a ``Lease`` from
``acquire``; a store refuses writes under a lease that is no longer current
(``LeaseLostError``), which fences off a holder that stalled past its expiry.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from homestack.state.records import (
    Holder,
    JournalEntry,
    Lease,
    ResourceRecord,
    RunRecord,
    StackRecord,
)


@runtime_checkable
class StateStore(Protocol):
    """Per-Stack records, leases, the change journal and the run history."""

    # -- records ------------------------------------------------------------------------------
    def stacks(self) -> list[str]:
        """Return the names of the Stacks that have a record, sorted."""
        ...

    def read_stack(self, stack: str) -> StackRecord | None:
        """Return the Stack's last record, or ``None`` if it was never applied."""
        ...

    def write_stack(
        self, lease: Lease, record: StackRecord, *, expected_revision: int | None = None
    ) -> StackRecord:
        """Write the Stack's record as the next revision and close its open journal.

        The stored revision is the previous one plus one (``record.revision`` is ignored);
        with ``expected_revision`` the write fails with ``StateConflictError`` if the recorded
        revision moved since the caller read it.
        """
        ...

    def delete_stack(self, lease: Lease) -> None:
        """Forget the Stack's record (after a destroy) and close its open journal."""
        ...

    # -- leases -------------------------------------------------------------------------------
    def acquire(
        self, stack: str, holder: Holder, *, wait: float = 0.0, ttl: float | None = None
    ) -> Lease:
        """Take the Stack's lease, waiting up to ``wait`` seconds; take over an expired one.

        Raises ``LeaseHeldError`` naming the holder and the lease's age when it stays held.
        """
        ...

    def heartbeat(self, lease: Lease, *, ttl: float | None = None) -> Lease:
        """Extend the lease's expiry; ``LeaseLostError`` if it is no longer this grant."""
        ...

    def release(self, lease: Lease) -> None:
        """Give the lease back; a lease already taken over is left to its new holder."""
        ...

    def read_lease(self, stack: str) -> Lease | None:
        """Return the Stack's current lease (possibly expired), or ``None``."""
        ...

    def break_lease(self, stack: str, *, reason: str, by: str) -> Lease | None:
        """Remove the Stack's lease whoever holds it and record that in the history."""
        ...

    # -- journal ------------------------------------------------------------------------------
    def journal_intent(self, lease: Lease, address: str, action: str, content_hash: str) -> None:
        """Record that the run of ``lease`` is about to change the Resource at ``address``."""
        ...

    def journal_done(self, lease: Lease, address: str, result: ResourceRecord | None) -> None:
        """Record that the change at ``address`` happened; ``result`` is its new record."""
        ...

    def journal_open(self, stack: str) -> list[JournalEntry]:
        """Return the Stack's journal entries that no record write has closed yet."""
        ...

    def journaled(self) -> list[str]:
        """Return the Stacks with open journal entries, sorted (a run was killed in them)."""
        ...

    def journal_close(self, lease: Lease, *, run_id: str | None = None) -> int:
        """Close the Stack's open entries (of ``run_id`` only, if given); return how many."""
        ...

    # -- history ------------------------------------------------------------------------------
    def record_run(self, run: RunRecord) -> None:
        """Add or replace (by run id) one entry of the history."""
        ...

    def history(self, limit: int = 50) -> list[RunRecord]:
        """Return the newest ``limit`` entries of the history, newest first."""
        ...

    # -- marks --------------------------------------------------------------------------------
    def read_marks(self, scope: str) -> dict[str, str]:
        """Return the named values kept under ``scope`` (``ci``, ``drift``...); never secrets."""
        ...

    def write_marks(self, scope: str, marks: dict[str, str]) -> None:
        """Replace every value kept under ``scope`` with ``marks``, in one transaction."""
        ...

    def close(self) -> None:
        """Release connections and file handles."""
        ...
