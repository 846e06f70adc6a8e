"""A run whose process is gone is marked interrupted by the next command that looks, in every
backend; a run that may still live (this process, another host) is left running."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from typer.testing import CliRunner

from homestack.cli import app
from homestack.state import RunRecord, RunResult, SqliteStore, StateStore, settle_runs


def _gone_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _running(run_id: str, host: str, pid: int) -> RunRecord:
    return RunRecord(run_id=run_id, command="apply", by=f"me@{host}", host=host, pid=pid,
                     started_at=datetime.now(UTC), stacks=("web",))


def test_only_a_run_whose_process_is_gone_here_is_interrupted(store: StateStore) -> None:
    here = socket.gethostname()
    dead = _gone_pid()
    store.record_run(_running("killed", here, dead))
    store.record_run(_running("alive", here, os.getpid()))
    store.record_run(_running("remote", "another-host", dead))
    store.record_run(_running("old-format", "", 0))
    marked = settle_runs(store)
    assert [r.run_id for r in marked] == ["killed"]
    results = {r.run_id: r for r in store.history()}
    assert results["killed"].result is RunResult.INTERRUPTED
    assert f"process {dead} on {here} is gone" in results["killed"].message
    assert results["killed"].ended_at is not None
    assert {results[n].result for n in ("alive", "remote", "old-format")} == {RunResult.RUNNING}
    assert settle_runs(store) == []  # marked once


def test_state_history_shows_a_killed_run_as_interrupted(tmp_path: Path) -> None:
    root = tmp_path / "lab"
    (root / ".homestack").mkdir(parents=True)
    (root / "site.py").write_text(
        "from homestack.model import Domains, Site\n"
        "site = Site(name='lab', domains=Domains(public='example.org', internal='home.arpa'))\n")
    store = SqliteStore(root / ".homestack" / "state.db")
    store.record_run(_running("killed", socket.gethostname(), _gone_pid()))
    store.close()
    done = CliRunner().invoke(app, ["-C", str(root), "--json", "state", "history"])
    assert done.exit_code == 0, done.output
    [run] = json.loads(done.stdout)
    assert run["result"] == "interrupted" and run["pid"] > 0
