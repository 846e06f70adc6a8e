"""Contract: the run history, and the format version that refuses a newer state."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pyrage  # type: ignore[import-untyped]
import pytest

from homestack.state import RunRecord, RunResult, StateStore, StateVersionError
from homestack.state._schema import MIGRATIONS
from homestack.state._sql import Tx
from homestack.state.encrypted import FILE_FORMAT_VERSION
from homestack.state.sqlite import SqliteStore

from .support import StoreSpec, holder, stack_record

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def run(run_id: str, minutes: int, **changes: object) -> RunRecord:
    base = RunRecord(run_id=run_id, command="apply", by="alice", started_at=T0 +
                     timedelta(minutes=minutes), stacks=("immich", "traefik"))
    return base.model_copy(update=changes)


def test_history_is_newest_first_and_limited(store: StateStore) -> None:
    for index in range(5):
        store.record_run(run(f"run-{index}", index))
    assert [r.run_id for r in store.history(limit=3)] == ["run-4", "run-3", "run-2"]


def test_run_reads_back_equal(store: StateStore) -> None:
    entry = run("run-1", 0, ended_at=T0 + timedelta(seconds=42), result=RunResult.FAILED,
                counts={"created": 3, "deleted": 1}, message="traefik: timed out")
    store.record_run(entry)
    assert store.history() == [entry]


def test_recording_a_run_again_replaces_it(store: StateStore) -> None:
    store.record_run(run("run-1", 0))
    store.record_run(run("run-1", 0, result=RunResult.SUCCEEDED, counts={"created": 1}))
    [entry] = store.history()
    assert entry.result is RunResult.SUCCEEDED and entry.counts == {"created": 1}


def _write_newer_version(spec: StoreSpec) -> None:
    """Make the state look as if a newer Homestack wrote it."""
    newer = str(len(MIGRATIONS) + 1)
    if spec.kind == "postgres":
        with psycopg.connect(spec.url, autocommit=True) as conn:
            conn.execute("UPDATE homestack.meta SET value = %s WHERE key = 'format_version'",
                         (newer,))
    else:  # the encrypted backend keeps leases, journal and history in a sidecar SQLite
        name = "state.db" if spec.kind == "sqlite" else "bootstrap.db"
        conn = sqlite3.connect(spec.root / ".homestack" / name)
        with conn:
            conn.execute("UPDATE meta SET value = ? WHERE key = 'format_version'", (newer,))
        conn.close()


def test_newer_database_is_refused(spec: StoreSpec) -> None:
    spec.open().close()
    _write_newer_version(spec)
    with pytest.raises(StateVersionError, match="newer Homestack") as caught:
        spec.open()
    assert "Upgrade Homestack" in str(caught.value)


def test_newer_state_file_is_refused(tmp_path: Path, age_key: tuple[Path, str]) -> None:
    spec = StoreSpec("encrypted", tmp_path, identity=age_key[0], recipient=age_key[1])
    store = spec.open()
    store.write_stack(store.acquire("dbaas", holder("r1")), stack_record("dbaas"))
    body = {"format_version": FILE_FORMAT_VERSION + 1, "record": {}}
    recipient = pyrage.x25519.Recipient.from_str(age_key[1])
    (tmp_path / "state" / "dbaas.age").write_bytes(
        pyrage.encrypt(json.dumps(body).encode(), [recipient]))
    with pytest.raises(StateVersionError, match=r"dbaas\.age.*newer Homestack"):
        store.read_stack("dbaas")
    store.close()


def test_missing_migrations_run_once_in_order(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    SqliteStore(path).close()
    applied: list[str] = []

    def add_notes(tx: Tx) -> None:
        applied.append("notes")
        tx.run("CREATE TABLE notes (stack TEXT PRIMARY KEY, note TEXT)")

    for _ in range(2):
        SqliteStore(path, migrations=(*MIGRATIONS, add_notes)).close()
    assert applied == ["notes"]
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT value FROM meta").fetchone() == (str(len(MIGRATIONS) + 1),)
        assert conn.execute("SELECT count(*) FROM notes").fetchone() == (0,)
    finally:
        conn.close()
