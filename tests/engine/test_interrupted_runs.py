"""A plan names the runs whose journal is still open for a Stack: interrupted ones, and ones
still in progress (they hold the Stack's lease and their process lives)."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

from homestack.catalog import load
from homestack.engine import EngineOptions, desired, plan
from homestack.model import GitopsFlavour, Provider
from homestack.providers.gitops import Layout, open_gitops
from homestack.state import Holder, SqliteStore


def _journal(store: SqliteStore, holder: Holder) -> None:
    lease = store.acquire("whoami", holder)
    store.journal_intent(lease, "k8s:apps/v1:Deployment:whoami/whoami", "create", "h1")
    store.journal_done(lease, "k8s:apps/v1:Deployment:whoami/whoami", None)
    store.journal_intent(lease, "k8s:v1:Namespace:whoami", "create", "h2")


def _notes(small_homelab: Path, tmp_path: Path, store: SqliteStore) -> dict[str, list[str]]:
    wanted = desired(load(small_homelab))
    target = open_gitops(tmp_path, "repo", Layout(GitopsFlavour.FLUX, wanted.graph))
    try:
        result = plan(wanted, {Provider.K8S: target}, store, EngineOptions())
    finally:
        store.close()
    return {s.stack: list(s.notes) for s in result.stacks}


def test_open_journal_of_a_dead_run_is_reported_as_interrupted(small_homelab: Path,
                                                               tmp_path: Path) -> None:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    store = SqliteStore(tmp_path / "state.db")
    _journal(store, Holder(user="ci", host=socket.gethostname(), pid=process.pid,
                           run_id="deadrun"))
    notes = _notes(small_homelab, tmp_path, store)
    assert notes["whoami"] == [
        "run deadrun was interrupted: 1 changes completed, 1 may have completed; "
        "the plan re-checked them against the target"
    ]
    assert notes["traefik"] == []


def test_a_live_run_is_reported_in_progress(small_homelab: Path, tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "state.db")
    _journal(store, Holder.current("liverun"))
    notes = _notes(small_homelab, tmp_path, store)
    [note] = notes["whoami"]
    assert note.startswith("run liverun is in progress (")
    assert "1 of 2 changes completed so far" in note
