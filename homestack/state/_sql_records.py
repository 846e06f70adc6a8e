"""Record, journal and history statements of the SQL store.

Functions take an open ``Tx``; the store decides the transaction boundaries (a Stack's record
and the closing of its journal are written in the same transaction).
"""

from __future__ import annotations

from homestack.state._codec import dump_json, from_epoch, from_epoch_or_none, load_json
from homestack.state._sql import Row, Tx
from homestack.state.errors import StateConflictError, StateError
from homestack.state.records import (
    JournalEntry,
    Lease,
    ResourceRecord,
    RunRecord,
    RunResult,
    StackRecord,
)


def result_json(result: ResourceRecord | None, subject: str) -> str | None:
    """Serialise a Resource record (checked for secret values) or ``None``."""
    if result is None:
        return None
    dump_json(result.outputs, subject)
    return result.model_dump_json()


# -- Stack records ----------------------------------------------------------------------------
def read_stack(tx: Tx, stack: str) -> StackRecord | None:
    """Return the Stack's record with its Resources, sorted by address."""
    row = tx.one(
        "SELECT revision, content_hash, applied_at, applied_by, target, gitops_commit"
        " FROM stacks WHERE stack = ?", stack,
    )
    if row is None:
        return None
    # Rows were validated (and scanned for secret values) when written: read back as they
    # are, which keeps a plan of 2,000 Resources from validating each again. Sorted in
    # Python, not by the database's collation: a record reads back equal from every backend.
    resources = sorted(
        (ResourceRecord.model_construct(address=r[0], provider_id=r[1], content_hash=r[2],
                                        outputs=load_json(r[3]))
         for r in tx.rows("SELECT address, provider_id, content_hash, outputs FROM resources"
                          " WHERE stack = ?", stack)),
        key=lambda r: r.address)
    return StackRecord.model_construct(
        stack=stack, revision=int(row[0]), content_hash=row[1], applied_at=from_epoch(row[2]),
        applied_by=row[3], target=row[4], gitops_commit=row[5], resources=tuple(resources))


def next_revision(tx: Tx, stack: str, expected: int | None) -> int:
    """Return the revision a write must get; check it against ``expected``."""
    row = tx.one("SELECT revision FROM stacks WHERE stack = ?", stack)
    found = int(row[0]) if row else 0
    if expected is not None and expected != found:
        raise StateConflictError(
            f"recorded revision is {found}, the caller expected {expected}"
            " (another apply wrote this Stack since it was planned)",
            subject=stack,
            hint="Plan again and apply the new plan",
        )
    return found + 1


def write_stack(tx: Tx, record: StackRecord) -> None:
    """Replace the Stack's row and Resource rows with ``record``."""
    rows = [
        (record.stack, r.address, r.provider_id, r.content_hash,
         dump_json(r.outputs, r.address))
        for r in record.resources
    ]
    tx.run("DELETE FROM stacks WHERE stack = ?", record.stack)
    tx.run("DELETE FROM resources WHERE stack = ?", record.stack)
    tx.run(
        "INSERT INTO stacks (stack, revision, content_hash, applied_at, applied_by, target,"
        " gitops_commit) VALUES (?, ?, ?, ?, ?, ?, ?)",
        record.stack, record.revision, record.content_hash, record.applied_at.timestamp(),
        record.applied_by, record.target, record.gitops_commit,
    )
    tx.many(
        "INSERT INTO resources (stack, address, provider_id, content_hash, outputs)"
        " VALUES (?, ?, ?, ?, ?)", rows,
    )


def delete_stack(tx: Tx, stack: str) -> None:
    """Remove the Stack's record and Resource rows."""
    tx.run("DELETE FROM stacks WHERE stack = ?", stack)
    tx.run("DELETE FROM resources WHERE stack = ?", stack)


# -- journal ----------------------------------------------------------------------------------
def intent(tx: Tx, lease: Lease, address: str, action: str, content_hash: str) -> None:
    """Record (or re-record) the intent to change ``address`` in the lease's run."""
    tx.run(
        "INSERT INTO journal (run_id, stack, address, action, content_hash, intent_at,"
        " done_at, result) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)"
        " ON CONFLICT (run_id, stack, address) DO UPDATE SET action = excluded.action,"
        " content_hash = excluded.content_hash, intent_at = excluded.intent_at,"
        " done_at = NULL, result = NULL",
        lease.run_id, lease.stack, address, action, content_hash, tx.now(),
    )


def done(tx: Tx, lease: Lease, address: str, result: ResourceRecord | None) -> None:
    """Mark the intent at ``address`` as done; an unknown intent is an error."""
    text = result_json(result, address)
    touched = tx.run(
        "UPDATE journal SET done_at = ?, result = ? WHERE run_id = ? AND stack = ?"
        " AND address = ?", tx.now(), text, lease.run_id, lease.stack, address,
    )
    if touched != 1:
        raise StateError(
            f"journal has no intent for this change in run {lease.run_id}",
            subject=address,
            hint="Call journal_intent before the change and journal_done after it",
        )


def _entry(row: Row) -> JournalEntry:
    return JournalEntry(
        run_id=row[0], stack=row[1], address=row[2], action=row[3], content_hash=row[4],
        intent_at=from_epoch(row[5]), done_at=from_epoch_or_none(row[6]),
        result=None if row[7] is None else ResourceRecord.model_validate_json(row[7]),
    )


def open_entries(tx: Tx, stack: str) -> list[JournalEntry]:
    """Return the Stack's open journal entries in the order they were intended."""
    return [
        _entry(row)
        for row in tx.rows(
            "SELECT run_id, stack, address, action, content_hash, intent_at, done_at, result"
            " FROM journal WHERE stack = ? ORDER BY intent_at, run_id, address", stack,
        )
    ]


def journaled(tx: Tx) -> list[str]:
    """Return the Stacks with open journal entries, sorted."""
    return [str(r[0]) for r in tx.rows("SELECT DISTINCT stack FROM journal ORDER BY stack")]


def close(tx: Tx, stack: str, run_id: str | None) -> int:
    """Drop the Stack's open entries (of one run, if given): the record now holds them."""
    if run_id is None:
        return tx.run("DELETE FROM journal WHERE stack = ?", stack)
    return tx.run("DELETE FROM journal WHERE stack = ? AND run_id = ?", stack, run_id)


# -- history ----------------------------------------------------------------------------------
def record_run(tx: Tx, run: RunRecord) -> None:
    """Insert or replace one history entry."""
    tx.run("DELETE FROM runs WHERE run_id = ?", run.run_id)
    tx.run(
        "INSERT INTO runs (run_id, command, by_whom, started_at, ended_at, stacks, counts,"
        " result, message, host, pid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        run.run_id, run.command, run.by, run.started_at.timestamp(),
        None if run.ended_at is None else run.ended_at.timestamp(),
        dump_json(list(run.stacks), run.run_id), dump_json(run.counts, run.run_id),
        run.result.value, run.message, run.host, run.pid,
    )


def history(tx: Tx, limit: int) -> list[RunRecord]:
    """Return the newest ``limit`` history entries, newest first."""
    return [
        RunRecord(run_id=r[0], command=r[1], by=r[2], started_at=from_epoch(r[3]),
                  ended_at=from_epoch_or_none(r[4]), stacks=tuple(load_json(r[5])),
                  counts=load_json(r[6]), result=RunResult(r[7]), message=r[8],
                  host=r[9], pid=int(r[10]))
        for r in tx.rows(
            "SELECT run_id, command, by_whom, started_at, ended_at, stacks, counts, result,"
            " message, host, pid FROM runs ORDER BY started_at DESC, run_id DESC LIMIT ?",
            limit,
        )
    ]
