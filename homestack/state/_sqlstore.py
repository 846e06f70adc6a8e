"""The ``StateStore`` over SQL, shared by the SQLite and PostgreSQL backends.

Every public method is one transaction. Writes to a Stack first fence the caller's lease in
the same transaction, so a holder that lost its lease cannot write, and a Stack's record and
the closing of its journal commit together. A lock makes one store safe to share between the
threads of one process (each thread waits for the connection).
"""

from __future__ import annotations

import random
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from homestack.model.secret import assert_no_secret_values
from homestack.state import _sql_leases as leases
from homestack.state import _sql_records as rows
from homestack.state._codec import check_stack, from_epoch
from homestack.state._schema import MIGRATIONS, Migration, migrate
from homestack.state._sql import Dialect, Tx
from homestack.state.errors import LeaseHeldError
from homestack.state.records import (
    Holder,
    JournalEntry,
    Lease,
    ResourceRecord,
    RunRecord,
    RunResult,
    StackRecord,
)

DEFAULT_TTL = 60.0
_POLL = (0.02, 0.2)  # seconds between tries while waiting for a lease: start, cap


class SqlStore:
    """A ``StateStore`` on a SQL database reached through a ``Dialect``."""

    def __init__(
        self, dialect: Dialect, *, ttl: float = DEFAULT_TTL,
        migrations: tuple[Migration, ...] = MIGRATIONS,
    ) -> None:
        self._db = dialect
        self._ttl = ttl
        self._lock = threading.RLock()
        try:
            with self._db.transaction(write=True) as tx:
                self._db.lock_schema(tx)
                migrate(tx, self._db.location, migrations)
        except BaseException:
            self._db.close()  # a refused store must not leak its connection
            raise

    @property
    def location(self) -> str:
        """Where the database lives."""
        return self._db.location

    @contextmanager
    def _write(self, lease: Lease | None = None) -> Iterator[Tx]:
        """A write transaction that first proves ``lease`` (when given) is current."""
        with self._lock, self._db.transaction(write=True) as tx:
            if lease is not None:
                leases.fence(tx, lease)
            yield tx

    # -- records ------------------------------------------------------------------------------
    def stacks(self) -> list[str]:
        """Return the names of the Stacks that have a record, sorted."""
        with self._lock, self._db.transaction(write=False) as tx:
            return [str(r[0]) for r in tx.rows("SELECT stack FROM stacks ORDER BY stack")]

    def read_stack(self, stack: str) -> StackRecord | None:
        """Return the Stack's last record, or ``None``."""
        with self._lock, self._db.transaction(write=False) as tx:
            return rows.read_stack(tx, check_stack(stack))

    def write_stack(
        self, lease: Lease, record: StackRecord, *, expected_revision: int | None = None
    ) -> StackRecord:
        """Write ``record`` as the next revision and close the Stack's journal."""
        if record.stack != lease.stack:
            raise leases.lost(lease, None, f"the record is for Stack {record.stack!r}")
        with self._write(lease) as tx:
            stored = record.model_copy(
                update={"revision": rows.next_revision(tx, record.stack, expected_revision)}
            )
            rows.write_stack(tx, stored)
            rows.close(tx, record.stack, None)
            return stored

    def delete_stack(self, lease: Lease) -> None:
        """Forget the Stack's record and close its journal."""
        with self._write(lease) as tx:
            rows.delete_stack(tx, lease.stack)
            rows.close(tx, lease.stack, None)

    # -- leases -------------------------------------------------------------------------------
    def acquire(
        self, stack: str, holder: Holder, *, wait: float = 0.0, ttl: float | None = None
    ) -> Lease:
        """Take the Stack's lease, waiting up to ``wait`` seconds."""
        check_stack(stack)
        deadline = time.monotonic() + wait
        pause = _POLL[0]
        while True:
            with self._write() as tx:
                granted, previous = leases.take(tx, stack, holder, ttl or self._ttl)
                if granted is not None and previous is not None:
                    rows.record_run(tx, _takeover(granted, previous))
            if granted is not None:
                return granted
            left = deadline - time.monotonic()
            if left <= 0:
                raise _held(stack, previous, wait)
            # Jitter spreads the pollers so they do not all hit the database at once.
            time.sleep(min(left, pause * random.uniform(0.5, 1.5)))
            pause = min(pause * 2, _POLL[1])

    def heartbeat(self, lease: Lease, *, ttl: float | None = None) -> Lease:
        """Extend the lease's expiry."""
        with self._write() as tx:
            return leases.extend(tx, lease, ttl or self._ttl)

    def release(self, lease: Lease) -> None:
        """Give the lease back if it is still this grant."""
        with self._write() as tx:
            leases.give_back(tx, lease)

    def read_lease(self, stack: str) -> Lease | None:
        """Return the Stack's current lease, or ``None``."""
        with self._lock, self._db.transaction(write=False) as tx:
            return leases.current(tx, check_stack(stack), lock=False)

    def break_lease(self, stack: str, *, reason: str, by: str) -> Lease | None:
        """Remove the Stack's lease and record that in the history."""
        check_stack(stack)
        assert_no_secret_values({"reason": reason, "by": by}, stack)
        with self._write() as tx:
            removed = leases.remove(tx, stack)
            rows.record_run(tx, unlock_record(stack, removed, reason=reason, by=by,
                                              now=tx.now()))
            return removed

    # -- journal ------------------------------------------------------------------------------
    def journal_intent(self, lease: Lease, address: str, action: str, content_hash: str) -> None:
        """Record the intent to change ``address``."""
        assert_no_secret_values([address, action, content_hash], address)
        with self._write(lease) as tx:
            rows.intent(tx, lease, address, action, content_hash)

    def journal_done(self, lease: Lease, address: str, result: ResourceRecord | None) -> None:
        """Record that the change at ``address`` happened."""
        with self._write(lease) as tx:
            rows.done(tx, lease, address, result)

    def journal_open(self, stack: str) -> list[JournalEntry]:
        """Return the Stack's open journal entries."""
        with self._lock, self._db.transaction(write=False) as tx:
            return rows.open_entries(tx, check_stack(stack))

    def journaled(self) -> list[str]:
        """Return the Stacks with open journal entries, sorted."""
        with self._lock, self._db.transaction(write=False) as tx:
            return rows.journaled(tx)

    def journal_close(self, lease: Lease, *, run_id: str | None = None) -> int:
        """Close the Stack's open entries; return how many."""
        with self._write(lease) as tx:
            return rows.close(tx, lease.stack, run_id)

    # -- history ------------------------------------------------------------------------------
    def record_run(self, run: RunRecord) -> None:
        """Add or replace one entry of the history."""
        with self._write() as tx:
            rows.record_run(tx, run)

    def history(self, limit: int = 50) -> list[RunRecord]:
        """Return the newest ``limit`` entries, newest first."""
        with self._lock, self._db.transaction(write=False) as tx:
            return rows.history(tx, limit)

    # -- marks --------------------------------------------------------------------------------
    def read_marks(self, scope: str) -> dict[str, str]:
        """Return the values kept under ``scope``."""
        with self._lock, self._db.transaction(write=False) as tx:
            return {str(k): str(v) for k, v in
                    tx.rows("SELECT key, value FROM marks WHERE scope = ?", scope)}

    def write_marks(self, scope: str, marks: dict[str, str]) -> None:
        """Replace the values kept under ``scope``."""
        with self._write() as tx:
            tx.run("DELETE FROM marks WHERE scope = ?", scope)
            if marks:
                tx.many("INSERT INTO marks (scope, key, value) VALUES (?, ?, ?)",
                        [(scope, k, v) for k, v in sorted(marks.items())])

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._db.close()


def _held(stack: str, holder: Lease | None, wait: float) -> LeaseHeldError:
    if holder is None:  # released between the try and the read: report plainly
        return LeaseHeldError(f"lease stayed busy for {wait:g}s", subject=stack,
                              hint="Try again")
    age = holder.age_seconds()
    left = (holder.expires_at - datetime.now(UTC)).total_seconds()
    here = holder.holder.host == socket.gethostname()
    alive = "; its process is alive on this host" if here else ""
    return LeaseHeldError(
        f"lease is held by {holder.holder} for {age:.1f}s (waited {wait:g}s;"
        f" it expires in {max(left, 0):.1f}s without a heartbeat{alive})",
        subject=stack,
        hint="Wait for that run to finish, or run 'homestack state unlock"
        f" {stack} --reason ...' if it is dead",
    )


def _takeover(granted: Lease, previous: Lease) -> RunRecord:
    at = granted.acquired_at
    late = (at - previous.expires_at).total_seconds()
    why = (f"expired {late:.1f}s earlier" if late >= 0
           else "whose process no longer exists on this host")
    return RunRecord(
        run_id=f"takeover-{uuid.uuid4().hex}", command="lease takeover",
        by=str(granted.holder), started_at=at, ended_at=at, stacks=(granted.stack,),
        result=RunResult.SUCCEEDED,
        message=f"took over the lease of {previous.holder}, {why}",
    )


def unlock_record(
    stack: str, removed: Lease | None, *, reason: str, by: str, now: float
) -> RunRecord:
    """The history entry of a ``state unlock``."""
    at = from_epoch(now)
    what = f"broke the lease of {removed.holder}" if removed else "no lease was held"
    return RunRecord(
        run_id=f"unlock-{uuid.uuid4().hex}", command="state unlock", by=by, started_at=at,
        ended_at=at, stacks=(stack,), result=RunResult.SUCCEEDED,
        message=f"{what}; reason: {reason}",
    )
