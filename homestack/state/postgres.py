"""The PostgreSQL backend: one state for a team or CI, reached by URL (psycopg 3).

Homestack keeps its tables in its own ``homestack`` schema and creates and migrates them itself
(under an advisory lock, so concurrent first runs do not race). Time comes from the server's
clock, so lease expiry does not depend on the clocks of the machines that apply.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg.conninfo import conninfo_to_dict

from homestack.model.redact import password_of
from homestack.model.redact import redact as redact_text
from homestack.model.state_settings import STATE_URL_ENV
from homestack.state._schema import MIGRATIONS, Migration
from homestack.state._sql import Tx
from homestack.state._sqlstore import DEFAULT_TTL, SqlStore
from homestack.state.errors import StateConfigError, StateError

URL_ENV = STATE_URL_ENV
SCHEMA = "homestack"
_MIGRATION_LOCK = 0x486F6D65  # advisory lock key, "Home"


def resolve_url(url: str | None) -> str:
    """Return the PostgreSQL URL: ``HOMESTACK_STATE_URL`` wins over the Site's setting."""
    found = os.environ.get(URL_ENV) or url
    if not found:
        raise StateConfigError(
            "no PostgreSQL URL for the state store (neither the Site's state settings nor"
            f" {URL_ENV} give one)",
            subject="state",
            hint=f"Set StateSettings(url=...) or export {URL_ENV}=postgresql://user@host/db",
        )
    return found


def redact(url: str) -> str:
    """The URL without its password, for messages (whatever the URL's shape).

    A URL that libpq reads differently from its plain shape (a ``/`` or ``@`` inside the
    password) is masked as text, up to the last ``@``: its parsed host could hold the password.
    """
    naive = password_of(url) if "//" in url else ""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return redact_text(url, *_pieces(naive))
    if naive and parts.get("password") != naive:
        return redact_text(url, *_pieces(naive))
    user = f"{parts['user']}@" if parts.get("user") else ""
    port = f":{parts['port']}" if parts.get("port") else ""
    return f"postgresql://{user}{parts.get('host', '')}{port}/{parts.get('dbname', '')}"


def _pieces(password: str) -> list[str]:
    """The password and its parts between URL delimiters: libpq may quote any of them alone
    when a delimiter inside the password made it misread the URL."""
    return [password, *(p for p in re.split(r"[/@:?#]", password) if len(p) >= 2)]


def _scrubbed(error: Exception, url: str) -> str:
    """The driver's message without the URL's credentials (libpq quotes what it cannot parse)."""
    try:
        password = str(conninfo_to_dict(url).get("password") or "")
    except psycopg.ProgrammingError:
        password = ""
    return redact_text(str(error), url, *_pieces(password), *_pieces(password_of(url)))


def _server_clock(tx: Tx) -> float:
    row = tx.one("SELECT extract(epoch FROM clock_timestamp())::float8")
    assert row is not None  # a SELECT without FROM always returns one row
    return float(row[0])


class _PostgresDialect:
    """``Dialect`` over one psycopg connection in autocommit mode with explicit transactions."""

    def __init__(self, url: str, connect_timeout: int) -> None:
        self._location = redact(url)
        self._url = url
        try:
            self._conn = psycopg.connect(url, autocommit=True, connect_timeout=connect_timeout)
        except psycopg.Error as error:
            raise StateConfigError(
                f"cannot connect to the state database ({_scrubbed(error, url)})".strip(),
                subject=self._location,
                hint=f"Check the URL in the Site's state settings or {URL_ENV}",
            ) from error
        self._conn.execute(f"SET search_path TO {SCHEMA}")

    @property
    def location(self) -> str:
        return self._location

    @contextmanager
    def transaction(self, *, write: bool) -> Iterator[Tx]:
        try:
            with self._conn.transaction(), self._conn.cursor() as cursor:
                yield Tx(cursor, placeholder="%s", clock=_server_clock,
                         for_update=" FOR UPDATE")
        except psycopg.Error as error:
            raise StateError(f"state database failed ({_scrubbed(error, self._url)})",
                             subject=self._location,
                             hint="Check that the server is up and reachable") from error

    def lock_schema(self, tx: Tx) -> None:
        tx.rows("SELECT pg_advisory_xact_lock(?)", _MIGRATION_LOCK)
        tx.run(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")

    def close(self) -> None:
        self._conn.close()


class PostgresStore(SqlStore):
    """The state store in a PostgreSQL database (schema ``homestack``)."""

    def __init__(
        self, url: str, *, ttl: float = DEFAULT_TTL, connect_timeout: int = 10,
        migrations: tuple[Migration, ...] = MIGRATIONS,
    ) -> None:
        super().__init__(_PostgresDialect(url, connect_timeout), ttl=ttl, migrations=migrations)
