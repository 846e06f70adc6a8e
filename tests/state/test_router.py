"""``open_store``: bootstrap Stacks go to the age files, the rest to SQLite or PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from homestack.model.state_settings import StateBackend, StateSettings
from homestack.state import (
    PostgresStore,
    RoutedStore,
    RunRecord,
    SqliteStore,
    StateConfigError,
    open_store,
)
from homestack_testing.homelabs import copy_homelab

from .conftest import PostgresServer
from .support import holder, stack_record


def _settings(age_key: tuple[Path, str], **changes: object) -> StateSettings:
    return StateSettings(bootstrap_stacks=("dbaas",), age_recipients=(age_key[1],),
                         **changes)  # type: ignore[arg-type]


def test_sqlite_alone_without_bootstrap_stacks(tmp_path: Path) -> None:
    store = open_store(tmp_path, StateSettings())
    assert isinstance(store, SqliteStore)
    assert store.path == tmp_path / ".homestack" / "state.db"
    store.close()


def test_stacks_are_routed_by_state_tier(tmp_path: Path, age_key: tuple[Path, str]) -> None:
    store = open_store(tmp_path, _settings(age_key), identity=age_key[0])
    assert isinstance(store, RoutedStore)
    for name in ("dbaas", "immich"):
        lease = store.acquire(name, holder("r1"))
        store.journal_intent(lease, f"k8s:v1:Namespace:{name}", "create", "h")
        store.write_stack(lease, stack_record(name))
        store.release(lease)
    assert (tmp_path / "state" / "dbaas.age").is_file()
    assert not (tmp_path / "state" / "immich.age").exists()
    assert store.standard.stacks() == ["immich"]
    assert store.bootstrap.stacks() == ["dbaas"]
    assert store.stacks() == ["dbaas", "immich"]
    read = store.read_stack("dbaas")
    assert read is not None and read.revision == 1
    store.close()


def test_history_merges_both_tiers(tmp_path: Path, age_key: tuple[Path, str]) -> None:
    store = open_store(tmp_path, _settings(age_key), identity=age_key[0])
    assert isinstance(store, RoutedStore)
    now = datetime.now(UTC)
    store.record_run(RunRecord(run_id="both", command="apply", by="me", started_at=now,
                               stacks=("dbaas", "immich")))
    store.break_lease("dbaas", reason="stuck", by="me")
    assert [r.run_id for r in store.standard.history()] == ["both"]
    assert len(store.bootstrap.history()) == 2
    merged = store.history()
    assert [r.command for r in merged].count("apply") == 1
    assert {r.command for r in merged} == {"apply", "state unlock"}
    store.close()


def test_postgres_backend_from_settings(
    tmp_path: Path, postgres_server: PostgresServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HOMESTACK_STATE_URL", raising=False)
    url = postgres_server.database()
    store = open_store(tmp_path, StateSettings(backend=StateBackend.POSTGRES, url=url))
    assert isinstance(store, PostgresStore)
    store.close()


def test_postgres_url_from_environment_wins(
    tmp_path: Path, postgres_server: PostgresServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOMESTACK_STATE_URL", postgres_server.database())
    settings = StateSettings(backend=StateBackend.POSTGRES, url="postgresql://nobody@[::1]:1/x")
    store = open_store(tmp_path, settings)
    assert isinstance(store, PostgresStore)
    store.close()


def test_postgres_without_url_says_how_to_give_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HOMESTACK_STATE_URL", raising=False)
    with pytest.raises(StateConfigError, match="HOMESTACK_STATE_URL"):
        open_store(tmp_path, StateSettings(backend=StateBackend.POSTGRES))


def test_unreachable_postgres_names_the_url_without_password(tmp_path: Path) -> None:
    settings = StateSettings(backend=StateBackend.POSTGRES,
                             url="postgresql://bob:hunter2@127.0.0.1:1/state?connect_timeout=2")
    with pytest.raises(StateConfigError) as caught:
        open_store(tmp_path, settings)
    assert "postgresql://bob@127.0.0.1:1/state" in str(caught.value)
    assert "hunter2" not in str(caught.value)


def test_the_environment_url_alone_selects_postgres(
    tmp_path: Path, postgres_server: PostgresServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOMESTACK_STATE_URL", postgres_server.database())
    store = open_store(tmp_path, StateSettings())
    try:
        assert isinstance(store, PostgresStore)
    finally:
        store.close()
    assert not (tmp_path / ".homestack" / "state.db").exists()


@pytest.mark.parametrize("url", [
    "postgresql://hs:SEKRIT/PW@127.0.0.1:1/state?connect_timeout=2",
    "postgresql//hs:SEKRIT@127.0.0.1:1/state",
    "postgresql://hs:SEKRIT@PW@127.0.0.1:1/state?connect_timeout=2",
    "postgresql://hs:SEKRIT:PW@127.0.0.1:notaport/state",
    "host=127.0.0.1 port=1 user=hs password=SEKRIT connect_timeout=2",
    "host=127.0.0.1 port=1 user=hs password='SEKRIT PW' broken",
])
def test_malformed_or_unreachable_urls_never_print_the_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str, small_homelab: Path
) -> None:
    """Through the CLI: exit 1, one line, no part of the password."""

    from typer.testing import CliRunner

    from homestack.cli import app

    root = tmp_path / "lab"
    copy_homelab(small_homelab, root)
    monkeypatch.setenv("HOMESTACK_STATE_URL", url)
    result = CliRunner().invoke(app, ["-C", str(root), "plan", "--from-state"])
    assert result.exit_code == 1, result.output
    assert "SEKRIT" not in result.output and "PW@" not in result.output
    assert "state" in result.output
    assert "Traceback" not in result.output
    assert not (root / ".homestack" / "state.db").exists()


def test_state_files_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    store = open_store(tmp_path, StateSettings())
    lease = store.acquire("immich", holder("me"))
    store.write_stack(lease, stack_record("immich"))
    store.release(lease)
    store.close()
    state = tmp_path / ".homestack"
    assert state.stat().st_mode & 0o777 == 0o700
    files = [p for p in state.iterdir() if p.name.startswith("state.db")]
    assert files
    assert {p.name: p.stat().st_mode & 0o777 for p in files} == dict.fromkeys(
        (p.name for p in files), 0o600)


def test_an_existing_world_readable_state_file_is_narrowed(tmp_path: Path) -> None:
    open_store(tmp_path, StateSettings()).close()
    path = tmp_path / ".homestack" / "state.db"
    path.chmod(0o644)
    open_store(tmp_path, StateSettings()).close()
    assert path.stat().st_mode & 0o777 == 0o600
