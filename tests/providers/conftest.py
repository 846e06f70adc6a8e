"""A copy of a small homelab, a runner for the engine, and the cluster it applies to.

``kubelab`` applies to the real control plane (``homestack_testing.controlplane``): every
behaviour of the kube target is tested against the real API server, controllers and
scheduler, and request counts come from its audit log. ``fake_kubelab`` applies to the
loopback fake, for what a real server cannot give a test: injected faults and latency.
"""

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
from homestack_testing.controlplane import ControlPlane
from homestack_testing.controlplane.audit import AuditLog
from homestack_testing.controlplane.storage import install_storage_classes
from homestack_testing.kubeapi import KubeApiServer
from homestack_testing.kubeapi.client import Client
from homestack_testing.pytest_plugin import kubeapi, kubeapi_factory

__all__ = ["kubeapi", "kubeapi_factory"]

FIXTURE = Path(__file__).parent / "fixtures" / "kubelab"


class KubeLab:
    """A homelab copy, its SQLite state, and the cluster it applies to.

    ``client`` speaks to that cluster directly (as someone other than Homestack);
    ``server`` counts Homestack's requests (``stats()``, ``reset_stats()``, ``requests``):
    the real server's audit log, or the fake itself, which also injects faults and latency.
    """

    def __init__(self, root: Path, kubeconfig: Path, client: Client,
                 server: KubeApiServer | AuditLog, cluster: ControlPlane | None = None
                 ) -> None:
        self.root = root
        self.kubeconfig = kubeconfig
        self.client = client
        self.server = server
        self.cluster = cluster
        # A real rollout goes through controllers, the scheduler and the node agent.
        self.kube_options = KubeOptions(poll=0.05, timeout=60.0) if cluster else \
            KubeOptions(poll=0.02, timeout=5.0)
        self.lease_ttl = 60.0

    @property
    def fake(self) -> KubeApiServer:
        """The loopback fake (only for tests of faults and latency)."""
        assert isinstance(self.server, KubeApiServer), "a fake_kubelab test"
        return self.server

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
def kubelab(tmp_path: Path, kube_cluster: ControlPlane) -> KubeLab:
    """The small homelab and the real cluster, with a homelab's StorageClasses installed."""
    root = tmp_path / "lab"
    shutil.copytree(FIXTURE, root)
    client = kube_cluster.client()
    install_storage_classes(client)
    kube_cluster.audit.reset_stats()
    return KubeLab(root, kube_cluster.kubeconfig, client, kube_cluster.audit, kube_cluster)


@pytest.fixture
def fake_kubelab(tmp_path: Path, kubeapi: KubeApiServer) -> Iterator[KubeLab]:
    """The small homelab and the loopback fake (faults, latency)."""
    root = tmp_path / "lab"
    shutil.copytree(FIXTURE, root)
    yield KubeLab(root, tmp_path / "kubeconfig", Client(kubeapi.url), kubeapi)
