"""The SQL schema and its forward migrations, shared by SQLite and PostgreSQL.

``MIGRATIONS`` is an ordered list; the format version of a database is the number of
migrations applied to it, kept in the ``meta`` table. Opening a store applies the missing
ones in one transaction; a database with a higher version than this Homestack knows is refused,
so an older Homestack never writes state it does not understand.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from homestack.state._sql import Tx
from homestack.state.errors import StateVersionError

Migration = Callable[[Tx], None]


def _v1_tables(tx: Tx) -> None:
    """Stacks, Resources, leases, journal and runs."""
    tx.run(
        "CREATE TABLE stacks (stack TEXT PRIMARY KEY, revision BIGINT NOT NULL,"
        " content_hash TEXT NOT NULL, applied_at DOUBLE PRECISION NOT NULL,"
        " applied_by TEXT NOT NULL, target TEXT NOT NULL, gitops_commit TEXT)"
    )
    tx.run(
        "CREATE TABLE resources (stack TEXT NOT NULL, address TEXT NOT NULL,"
        " provider_id TEXT, content_hash TEXT NOT NULL, outputs TEXT NOT NULL,"
        " PRIMARY KEY (stack, address))"
    )
    tx.run(
        "CREATE TABLE leases (stack TEXT PRIMARY KEY, token TEXT NOT NULL,"
        " holder_user TEXT NOT NULL, holder_host TEXT NOT NULL, holder_pid BIGINT NOT NULL,"
        " run_id TEXT NOT NULL, acquired_at DOUBLE PRECISION NOT NULL,"
        " heartbeat_at DOUBLE PRECISION NOT NULL, expires_at DOUBLE PRECISION NOT NULL)"
    )
    tx.run(
        "CREATE TABLE journal (run_id TEXT NOT NULL, stack TEXT NOT NULL, address TEXT NOT NULL,"
        " action TEXT NOT NULL, content_hash TEXT NOT NULL,"
        " intent_at DOUBLE PRECISION NOT NULL, done_at DOUBLE PRECISION, result TEXT,"
        " PRIMARY KEY (run_id, stack, address))"
    )
    tx.run("CREATE INDEX journal_by_stack ON journal (stack)")
    tx.run(
        "CREATE TABLE runs (run_id TEXT PRIMARY KEY, command TEXT NOT NULL, by_whom TEXT NOT NULL,"
        " started_at DOUBLE PRECISION NOT NULL, ended_at DOUBLE PRECISION,"
        " stacks TEXT NOT NULL, counts TEXT NOT NULL, result TEXT NOT NULL,"
        " message TEXT NOT NULL)"
    )
    tx.run("CREATE INDEX runs_by_start ON runs (started_at)")


def _v2_marks(tx: Tx) -> None:
    """Small named values per scope: the last applied commit, drift first seen per object."""
    tx.run("CREATE TABLE marks (scope TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
           " PRIMARY KEY (scope, key))")


def _v3_run_process(tx: Tx) -> None:
    """Where each run's process ran, so that a later command can tell it is gone."""
    tx.run("ALTER TABLE runs ADD COLUMN host TEXT NOT NULL DEFAULT ''")
    tx.run("ALTER TABLE runs ADD COLUMN pid BIGINT NOT NULL DEFAULT 0")


MIGRATIONS: tuple[Migration, ...] = (_v1_tables, _v2_marks, _v3_run_process)
"""Forward migrations, oldest first; append only, never edit a released one."""


def format_version(tx: Tx) -> int:
    """Return the database's format version (0 for an empty database)."""
    tx.run("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    row = tx.one("SELECT value FROM meta WHERE key = ?", "format_version")
    return int(row[0]) if row else 0


def migrate(tx: Tx, location: str, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Bring the database to the newest format; return the version it had before."""
    found = format_version(tx)
    if found > len(migrations):
        raise StateVersionError(
            f"state has format version {found} but this Homestack knows up to"
            f" {len(migrations)} (written by a newer Homestack)",
            subject=location,
            hint="Upgrade Homestack; never downgrade a state store",
        )
    for migration in migrations[found:]:
        migration(tx)
    if found < len(migrations):
        if found == 0:
            tx.run("INSERT INTO meta (key, value) VALUES (?, ?)", "format_version",
                   str(len(migrations)))
        else:
            tx.run("UPDATE meta SET value = ? WHERE key = ?", str(len(migrations)),
                   "format_version")
    return found
