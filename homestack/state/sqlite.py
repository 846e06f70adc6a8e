"""The SQLite backend: the default store, one file in the homelab repository, no set-up.

WAL mode lets ``plan`` read while an apply writes; ``BEGIN IMMEDIATE`` takes the write lock at
the start of every write transaction, so the check-then-change of a lease is atomic across
processes. ``synchronous=NORMAL`` in WAL mode keeps every committed entry through a killed
process and skips an fsync per commit (two per applied object); only a power loss can drop the
newest entries, and the next run re-checks the target anyway, so the journal stays a safe hint.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from homestack.state._schema import MIGRATIONS, Migration
from homestack.state._sql import Tx
from homestack.state._sqlstore import DEFAULT_TTL, SqlStore
from homestack.state.errors import StateCorruptError, StateError

BUSY_TIMEOUT = 30.0  # seconds a writer waits for another process's write transaction


def _wall_clock(tx: Tx) -> float:
    return time.time()


def _private(path: Path) -> None:
    """Create the state file readable by its owner only (0600), or narrow an existing one.

    State names every object and its content hash; other users of the machine have no business
    reading it. SQLite gives its ``-wal`` and ``-shm`` files the database file's mode.
    """
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    try:
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)
    except OSError as error:
        raise StateError(f"cannot create the state file ({error.strerror})", subject=str(path),
                         hint="Check the folder's permissions") from error


class _SqliteDialect:
    """``Dialect`` over one SQLite file."""

    def __init__(self, path: Path) -> None:
        self._path = path
        _private(path)
        with self._errors():
            self._conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None,
                                         check_same_thread=False)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")

    @property
    def location(self) -> str:
        return str(self._path)

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.DatabaseError as error:
            text = str(error)
            if "not a database" in text or "malformed" in text:
                raise StateCorruptError(
                    f"state database cannot be read ({text})", subject=self.location,
                    hint="Restore the file from a backup; do not edit it by hand",
                ) from error
            raise StateError(f"state database failed ({text})", subject=self.location,
                             hint="Check the file's permissions and free space") from error

    @contextmanager
    def transaction(self, *, write: bool) -> Iterator[Tx]:
        with self._errors():
            cursor = self._conn.cursor()
            try:
                cursor.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                try:
                    yield Tx(cursor, placeholder="?", clock=_wall_clock, for_update="")
                except BaseException:
                    self._conn.rollback()
                    raise
                self._conn.commit()
            finally:
                cursor.close()

    def lock_schema(self, tx: Tx) -> None:
        """``BEGIN IMMEDIATE`` already serialises writers."""

    def close(self) -> None:
        self._conn.close()


class SqliteStore(SqlStore):
    """The state store in one SQLite file (``.homestack/state.db`` by default)."""

    def __init__(
        self, path: Path, *, ttl: float = DEFAULT_TTL,
        migrations: tuple[Migration, ...] = MIGRATIONS,
    ) -> None:
        super().__init__(_SqliteDialect(path), ttl=ttl, migrations=migrations)
        self.path = path
