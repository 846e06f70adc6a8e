"""Lease statements of the SQL store: take, extend, release, break and fence.

Each function runs inside one write transaction, so the check and the change are a single
atomic step: SQLite's ``BEGIN IMMEDIATE`` serialises all writers, and PostgreSQL locks the
lease row (``FOR UPDATE``) or lets ``ON CONFLICT DO NOTHING`` settle a race to insert.
"""

from __future__ import annotations

import uuid

from homestack.state._codec import from_epoch
from homestack.state._sql import Row, Tx
from homestack.state.errors import LeaseLostError
from homestack.state.records import Holder, Lease

_COLUMNS = (
    "stack, token, holder_user, holder_host, holder_pid, run_id,"
    " acquired_at, heartbeat_at, expires_at"
)


def _lease(row: Row) -> Lease:
    return Lease(
        stack=row[0], token=row[1],
        holder=Holder(user=row[2], host=row[3], pid=int(row[4]), run_id=row[5]),
        acquired_at=from_epoch(row[6]), heartbeat_at=from_epoch(row[7]),
        expires_at=from_epoch(row[8]),
    )


def current(tx: Tx, stack: str, *, lock: bool) -> Lease | None:
    """Return the Stack's lease row (locked against takeover when ``lock``)."""
    suffix = tx.for_update if lock else ""
    row = tx.one(f"SELECT {_COLUMNS} FROM leases WHERE stack = ?{suffix}", stack)
    return _lease(row) if row else None


def take(tx: Tx, stack: str, holder: Holder, ttl: float) -> tuple[Lease | None, Lease | None]:
    """Try to take the lease; return ``(granted, previous)``.

    ``granted`` is ``None`` when a live lease is held (``previous`` is it); when an expired
    lease, or one whose holder is known dead (a process of this host that no longer exists),
    was taken over, ``previous`` is that lease.
    """
    now = tx.now()
    previous = current(tx, stack, lock=True)
    dead = previous is not None and previous.holder.is_known_dead()
    if previous is not None and previous.expires_at.timestamp() > now and not dead:
        return None, previous
    token = uuid.uuid4().hex
    values = (stack, token, holder.user, holder.host, holder.pid, holder.run_id,
              now, now, now + ttl)
    if previous is None:
        # Two inserters racing for a free Stack: the loser touches no row and retries.
        done = tx.run(
            f"INSERT INTO leases ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (stack) DO NOTHING",
            *values,
        )
    else:
        done = tx.run(
            "UPDATE leases SET token = ?, holder_user = ?, holder_host = ?, holder_pid = ?,"
            " run_id = ?, acquired_at = ?, heartbeat_at = ?, expires_at = ?"
            " WHERE stack = ? AND token = ?",
            *values[1:], stack, previous.token,
        )
    if done != 1:
        return None, current(tx, stack, lock=False)
    return _lease((*values,)), previous


def lost(lease: Lease, found: Lease | None, why: str) -> LeaseLostError:
    """The error for a lease that is no longer the current grant."""
    detail = why if found is None else f"{why}; now held by {found.holder}"
    return LeaseLostError(
        f"lease of {lease.holder} is no longer current ({detail})",
        subject=lease.stack,
        hint="Stop changing this Stack; heartbeat more often than the lease TTL",
    )


def fence(tx: Tx, lease: Lease) -> None:
    """Raise ``LeaseLostError`` unless ``lease`` is the Stack's current, unexpired grant."""
    found = current(tx, lease.stack, lock=True)
    if found is None or found.token != lease.token:
        raise lost(lease, found, "taken over or broken")
    if found.expires_at.timestamp() <= tx.now():
        raise lost(lease, None, "expired")


def extend(tx: Tx, lease: Lease, ttl: float) -> Lease:
    """Push the lease's expiry to now + ``ttl``; it may have expired if nobody took it."""
    now = tx.now()
    done = tx.run(
        "UPDATE leases SET heartbeat_at = ?, expires_at = ? WHERE stack = ? AND token = ?",
        now, now + ttl, lease.stack, lease.token,
    )
    if done != 1:
        raise lost(lease, current(tx, lease.stack, lock=False), "taken over or broken")
    return lease.model_copy(update={"heartbeat_at": from_epoch(now),
                                    "expires_at": from_epoch(now + ttl)})


def give_back(tx: Tx, lease: Lease) -> None:
    """Delete the lease if it is still this grant."""
    tx.run("DELETE FROM leases WHERE stack = ? AND token = ?", lease.stack, lease.token)


def remove(tx: Tx, stack: str) -> Lease | None:
    """Delete the Stack's lease whoever holds it; return what was removed."""
    found = current(tx, stack, lock=True)
    if found is not None:
        tx.run("DELETE FROM leases WHERE stack = ? AND token = ?", stack, found.token)
    return found
