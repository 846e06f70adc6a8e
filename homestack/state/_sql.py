"""The small seam between the shared SQL store and a database driver.

SQLite (stdlib ``sqlite3``) and PostgreSQL (psycopg 3) run the same SQL: statements are written
with ``?`` placeholders and ANSI types, and a ``Dialect`` supplies what differs — how a
transaction starts, how rows are locked, what time it is, and where the database lives.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

Row = tuple[Any, ...]


class Cursor(Protocol):
    """The DB-API cursor surface that both drivers share."""

    @property
    def rowcount(self) -> int: ...

    def execute(self, sql: Any, params: Sequence[Any] = ..., /) -> Any: ...

    def executemany(self, sql: Any, params: Any, /) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class Tx:
    """One open transaction: run statements, read rows, ask the time."""

    def __init__(
        self, cursor: Cursor, *, placeholder: str, clock: Callable[[Tx], float],
        for_update: str,
    ) -> None:
        self._cursor = cursor
        self._placeholder = placeholder
        self._clock = clock
        self.for_update = for_update
        self._now: float | None = None

    def _sql(self, sql: str) -> str:
        return sql if self._placeholder == "?" else sql.replace("?", self._placeholder)

    def rows(self, sql: str, *params: Any) -> list[Row]:
        """Run a query and return all its rows."""
        self._cursor.execute(self._sql(sql), params)
        return [tuple(row) for row in self._cursor.fetchall()]

    def one(self, sql: str, *params: Any) -> Row | None:
        """Run a query and return its first row, if any."""
        found = self.rows(sql, *params)
        return found[0] if found else None

    def run(self, sql: str, *params: Any) -> int:
        """Run a statement and return how many rows it touched."""
        self._cursor.execute(self._sql(sql), params)
        return self._cursor.rowcount

    def many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run a statement once per parameter row."""
        if rows:
            self._cursor.executemany(self._sql(sql), rows)

    def now(self) -> float:
        """The transaction's time in epoch seconds (asked once, then fixed)."""
        if self._now is None:
            self._now = self._clock(self)
        return self._now


class Dialect(Protocol):
    """What a driver supplies to the shared SQL store."""

    @property
    def location(self) -> str:
        """Where the database lives, for messages (never with a password)."""
        ...

    def transaction(self, *, write: bool) -> AbstractContextManager[Tx]:
        """Open a transaction; ``write`` ones are serialised against each other."""
        ...

    def lock_schema(self, tx: Tx) -> None:
        """Serialise schema migrations across processes for the rest of ``tx``."""
        ...

    def close(self) -> None:
        """Close the connection."""
        ...

