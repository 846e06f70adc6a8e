"""The loopback Kubernetes API server, a copy of a small homelab and a runner for the engine."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from homestack.catalog import load
from homestack.engine import ChangeSet, EngineOptions, desired, plan, plan_and_apply
from homestack.model import Provider
from homestack.providers.kubernetes import KubeOptions, open_kube
from homestack.state import SqliteStore, StackRecord
from homestack_testing.kubeapi import KubeApiServer
from homestack_testing.pytest_plugin import kubeapi, kubeapi_factory

__all__ = ["kubeapi", "kubeapi_factory"]

FIXTURE = Path(__file__).parent / "fixtures" / "kubelab"


class KubeLab:
    """A homelab copy, its SQLite state, and the fake API server it applies to."""

    def __init__(self, root: Path, server: KubeApiServer, kubeconfig: Path) -> None:
        self.root = root
        self.server = server
        self.kubeconfig = kubeconfig
        self.kube_options = KubeOptions(poll=0.02, timeout=5.0)
        self.lease_ttl = 60.0

    def _run(self, verb: str, options: EngineOptions | None, names: list[str] | None
             ) -> ChangeSet:
        wanted = desired(load(self.root))
        target = open_kube(str(self.kubeconfig), options=self.kube_options,
                           homelab=wanted.all_resources())
        store = SqliteStore(self.root / ".homestack" / "state.db", ttl=self.lease_ttl)
        try:
            run = plan_and_apply if verb == "apply" else plan
            return run(wanted, {Provider.K8S: target}, store,
                       options or EngineOptions(parallelism=2), names)
        finally:
            store.close()
            target.close()

    def apply(self, options: EngineOptions | None = None, names: list[str] | None = None
              ) -> ChangeSet:
        return self._run("apply", options, names)

    def plan(self, names: list[str] | None = None) -> ChangeSet:
        return self._run("plan", None, names)

    def store_record(self, stack: str) -> StackRecord:
        """The recorded state of ``stack`` (it must have one)."""
        store = SqliteStore(self.root / ".homestack" / "state.db", ttl=self.lease_ttl)
        try:
            record = store.read_stack(stack)
        finally:
            store.close()
        assert record is not None, stack
        return record

    def edit(self, stack: str, old: str, new: str) -> None:
        path = self.root / "stacks" / stack / "stack.py"
        text = path.read_text()
        assert old in text
        path.write_text(text.replace(old, new))


@pytest.fixture
def kubelab(tmp_path: Path, kubeapi: KubeApiServer) -> Iterator[KubeLab]:
    root = tmp_path / "lab"
    shutil.copytree(FIXTURE, root)
    yield KubeLab(root, kubeapi, tmp_path / "kubeconfig")
