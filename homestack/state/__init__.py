"""State: what was applied, who may change it now, and what a run was doing when it stopped.

``open_store(root, settings)`` gives the Site's ``StateStore``; backends are SQLite (default),
PostgreSQL and age-encrypted files for the bootstrap state tier. See ``store.StateStore`` for
the protocol, ``records`` for what is recorded and ``errors`` for what can fail.
"""

from __future__ import annotations

from homestack.state._age import generate as generate_identity
from homestack.state.encrypted import EncryptedFileStore, default_identity
from homestack.state.errors import (
    LeaseHeldError,
    LeaseLostError,
    StateConfigError,
    StateConflictError,
    StateCorruptError,
    StateError,
    StateVersionError,
)
from homestack.state.records import (
    Holder,
    JournalEntry,
    Lease,
    ResourceRecord,
    RunRecord,
    RunResult,
    StackRecord,
)
from homestack.state.router import RoutedStore, bootstrap_identity, open_store
from homestack.state.runs import settle_runs
from homestack.state.sqlite import SqliteStore
from homestack.state.store import StateStore

__all__ = [
    "EncryptedFileStore",
    "Holder",
    "JournalEntry",
    "Lease",
    "LeaseHeldError",
    "LeaseLostError",
    "PostgresStore",
    "ResourceRecord",
    "RoutedStore",
    "RunRecord",
    "RunResult",
    "SqliteStore",
    "StackRecord",
    "StateConfigError",
    "StateConflictError",
    "StateCorruptError",
    "StateError",
    "StateStore",
    "StateVersionError",
    "bootstrap_identity",
    "default_identity",
    "generate_identity",
    "open_store",
    "settle_runs",
]


def __getattr__(name: str) -> object:
    # psycopg costs ~85 ms to import; only PostgreSQL users should pay it.
    if name == "PostgresStore":
        from homestack.state.postgres import PostgresStore

        return PostgresStore
    raise AttributeError(name)
