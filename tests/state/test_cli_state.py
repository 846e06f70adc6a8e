"""``homestack state``: list, show, history and an audited unlock, as tables and as JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from homestack.cli.state import state_app
from homestack.model.state_settings import StateSettings
from homestack.state import ResourceRecord, RunRecord, open_store

from .support import holder, stack_record


@pytest.fixture
def homelab(tmp_path: Path, age_key: tuple[Path, str],
            monkeypatch: pytest.MonkeyPatch) -> SimpleNamespace:
    """A homelab root with immich applied (standard) and dbaas applied (bootstrap)."""
    monkeypatch.setenv("HOMESTACK_AGE_IDENTITY", str(age_key[0]))
    settings = StateSettings(bootstrap_stacks=("dbaas",), age_recipients=(age_key[1],))
    store = open_store(tmp_path, settings)
    server = ResourceRecord(address="k8s:apps/v1:Deployment:immich/server",
                            provider_id="uid-1", content_hash="abc", outputs={"replicas": 1})
    for name, resources in (("immich", (server,)), ("dbaas", ())):
        lease = store.acquire(name, holder("seed"))
        store.write_stack(lease, stack_record(name, *resources))
        store.release(lease)
    store.acquire("immich", holder("stuck-run"))
    store.close()
    return SimpleNamespace(root=tmp_path, json=False, state_settings=settings)


def _run(obj: SimpleNamespace, *args: str, as_json: bool = False) -> tuple[int, str]:
    obj.json = as_json
    result = CliRunner().invoke(state_app, list(args), obj=obj, env={"COLUMNS": "250"})
    return result.exit_code, result.output


def test_list_shows_both_state_tiers(homelab: SimpleNamespace) -> None:
    code, out = _run(homelab, "list")
    assert code == 0
    assert "immich" in out and "dbaas" in out and "bootstrap" in out and "stuck-run" in out


def test_list_as_json(homelab: SimpleNamespace) -> None:
    code, out = _run(homelab, "list", as_json=True)
    rows = {row["stack"]: row for row in json.loads(out)["stacks"]}
    assert code == 0
    assert rows["immich"]["revision"] == 1 and rows["immich"]["resources"] == 1
    assert rows["immich"]["lease"]["holder"]["run_id"] == "stuck-run"
    assert rows["dbaas"]["tier"] == "bootstrap" and rows["dbaas"]["lease"] is None


def test_show_lists_resources(homelab: SimpleNamespace) -> None:
    code, out = _run(homelab, "show", "immich")
    assert code == 0 and "k8s:apps/v1:Deployment:immich/server" in out and "uid-1" in out


def test_show_as_json(homelab: SimpleNamespace) -> None:
    code, out = _run(homelab, "show", "immich", as_json=True)
    body = json.loads(out)
    assert code == 0
    assert body["record"]["resources"][0]["outputs"] == {"replicas": 1}
    assert body["journal"] == []


def test_show_of_unknown_stack_fails(homelab: SimpleNamespace) -> None:
    code, out = _run(homelab, "show", "nextcloud")
    assert code == 3 and "nextcloud: has no recorded state" in out


def test_unlock_needs_a_reason(homelab: SimpleNamespace) -> None:
    code, out = _run(homelab, "unlock", "immich")
    assert code == 3 and "--reason" in out


def test_unlock_breaks_and_is_in_history(homelab: SimpleNamespace) -> None:
    code, out = _run(homelab, "unlock", "immich", "--reason", "runner died", "--by", "alice")
    assert code == 0 and "stuck-run" in out
    code, out = _run(homelab, "history", as_json=True)
    [entry] = [r for r in json.loads(out) if r["command"] == "state unlock"]
    assert entry["by"] == "alice" and "runner died" in entry["message"]
    code, out = _run(homelab, "history")
    assert code == 0 and "state unlock" in out
    code, out = _run(homelab, "list", as_json=True)
    assert all(row["lease"] is None for row in json.loads(out)["stacks"])


def test_list_shows_a_first_run_that_holds_a_lease_before_any_record(
        homelab: SimpleNamespace) -> None:
    store = open_store(homelab.root, homelab.state_settings)
    store.acquire("newcomer", holder("first-run"))
    store.record_run(RunRecord(run_id="first-run", command="apply", by="ci",
                               started_at=datetime.now(UTC), stacks=("newcomer",)))
    store.close()
    homelab.homelab = lambda: SimpleNamespace(stacks={"newcomer": None, "immich": None})
    code, out = _run(homelab, "list", as_json=True)
    listed = json.loads(out)
    rows = {row["stack"]: row for row in listed["stacks"]}
    assert code == 0
    assert rows["newcomer"]["revision"] is None
    assert rows["newcomer"]["lease"]["holder"]["run_id"] == "first-run"
    [running] = listed["running"]
    assert running["run_id"] == "first-run" and running["holds"] == ["newcomer"]
    assert running["alive"] == "yes"  # held by this very process


def test_keygen_prints_the_public_key_and_says_where_the_private_one_went(
        tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from homestack.cli import app

    path = tmp_path / "keys" / "age.key"
    path.parent.mkdir()
    done = CliRunner().invoke(app, ["state", "keygen", "-o", str(path)])
    assert done.exit_code == 0, done.output
    assert done.stdout.strip().startswith("age1") and len(done.stdout.split()) == 1
    assert f"wrote the age identity to {path}" in done.stderr
    assert path.stat().st_mode & 0o777 == 0o600
    again = CliRunner().invoke(app, ["state", "keygen", "-o", str(path)])
    assert again.exit_code == 1 and "exists; keeping it" in again.stderr
