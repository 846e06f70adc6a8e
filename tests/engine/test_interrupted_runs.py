"""A plan names the interrupted runs whose journal is still open for a Stack."""

from __future__ import annotations

from pathlib import Path

from homestack.catalog import load
from homestack.engine import EngineOptions, desired, plan
from homestack.model import GitopsFlavour, Provider
from homestack.providers.gitops import Layout, open_gitops
from homestack.state import Holder, SqliteStore


def test_open_journal_is_reported_in_the_plan(small_homelab: Path, tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "state.db")
    lease = store.acquire("whoami", Holder.current("deadrun"))
    store.journal_intent(lease, "k8s:apps/v1:Deployment:whoami/whoami", "create", "h1")
    store.journal_done(lease, "k8s:apps/v1:Deployment:whoami/whoami", None)
    store.journal_intent(lease, "k8s:v1:Namespace:whoami", "create", "h2")
    wanted = desired(load(small_homelab))
    target = open_gitops(tmp_path, "repo", Layout(GitopsFlavour.FLUX, wanted.graph))
    try:
        result = plan(wanted, {Provider.K8S: target}, store, EngineOptions())
    finally:
        store.close()
    notes = {s.stack: s.notes for s in result.stacks}
    assert notes["whoami"] == [
        "run deadrun was interrupted: 1 changes completed, 1 may have completed; "
        "the plan re-checked them against the target"
    ]
    assert notes["traefik"] == []
