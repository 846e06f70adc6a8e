"""Backends of the contract suite: the loopback API server, and a real cluster: the one
``HOMESTACK_E2E_KUBECONFIG`` names (the person running the suite's own), else the test
control plane (``homestack_testing.controlplane``: the real kube-apiserver, controller
manager and scheduler), which every run starts.

Each test gets a homelab of its own in a namespace with a random name, so runs against a
shared real cluster do not meet; the namespace is destroyed at the end. Changes "from
outside" are made with the stock kubectl, which speaks to either backend the same way.
"""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from homestack.catalog import load
from homestack.engine import ChangeSet, EngineOptions, desired, destroy, plan, plan_and_apply
from homestack.model import Provider
from homestack.providers.kubernetes import KubeOptions, open_kube
from homestack.state import SqliteStore
from homestack_testing.controlplane import ControlPlane
from homestack_testing.kubeapi import KubeApiServer
from homestack_testing.kubeapi.samples import HOMELAB_STORAGE_CLASSES
from homestack_testing.kubectl import KUBECTL, Kubectl

E2E_ENV = "HOMESTACK_E2E_KUBECONFIG"
SITE = '''from homestack import Cluster, Domains, Site

site = Site(name="contract", domains=Domains(public="example.org", internal="home.arpa"),
            cluster=Cluster())
'''


class ContractLab:
    """A homelab folder, its state, a backend's kubeconfig and kubectl for outside changes."""

    def __init__(self, root: Path, kubeconfig: Path, real: bool) -> None:
        self.root = root
        self.kubeconfig = kubeconfig
        self.real = real
        self.namespace = f"hs-contract-{uuid.uuid4().hex[:8]}"
        # Real rollouts and image pulls take a while; the loopback server answers at once.
        self.kube_options = KubeOptions(poll=0.1 if real else 0.02,
                                        timeout=180.0 if real else 10.0)
        (root / "stacks").mkdir(parents=True)
        (root / "site.py").write_text(SITE)
        workdir = root.parent / "kubectl-home"
        workdir.mkdir(exist_ok=True)
        self.kubectl = Kubectl(kubeconfig, workdir)

    def stack(self, name: str, text: str) -> None:
        """Write stacks/<name>/stack.py; ``NS`` in the text is the lab's namespace."""
        folder = self.root / "stacks" / name
        folder.mkdir(exist_ok=True)
        (folder / "stack.py").write_text(text.replace("NS", self.namespace))

    def _run(self, verb: str, options: EngineOptions, names: list[str] | None,
             kube: KubeOptions | None = None) -> ChangeSet:
        wanted = desired(load(self.root))
        target = open_kube(str(self.kubeconfig), options=kube or self.kube_options,
                           homelab=wanted.all_resources())
        store = SqliteStore(self.root / ".homestack" / "state.db")
        try:
            if verb == "destroy":
                return destroy(wanted, {Provider.K8S: target}, store, options, names or [])
            run = plan_and_apply if verb == "apply" else plan
            return run(wanted, {Provider.K8S: target}, store, options, names)
        finally:
            store.close()
            target.close()

    def apply(self, names: list[str] | None = None, *, allow_data_loss: bool = False,
              kube: KubeOptions | None = None) -> ChangeSet:
        return self._run("apply", EngineOptions(allow_data_loss=allow_data_loss), names, kube)

    def plan(self, names: list[str] | None = None, kube: KubeOptions | None = None
             ) -> ChangeSet:
        return self._run("plan", EngineOptions(), names, kube)

    def destroy(self, names: list[str]) -> ChangeSet:
        return self._run("destroy", EngineOptions(allow_data_loss=True), names)

    def get(self, kind: str, name: str) -> dict[str, Any] | None:
        """The live object (kubectl get -o json), or None when it does not exist."""
        done = self.kubectl("get", kind, name, "-n", self.namespace, "-o", "json")
        if done.returncode != 0:
            assert "NotFound" in done.stderr or "not found" in done.stderr, done.stderr
            return None
        found: dict[str, Any] = json.loads(done.stdout)
        return found

    def out_of_band(self, *args: str) -> None:
        """A change by someone else (kubectl), which must succeed."""
        done = self.kubectl(*args)
        assert done.returncode == 0, done.stderr


@pytest.fixture(params=["loopback", "cluster"])
def lab(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ContractLab]:
    if KUBECTL is None:
        if os.environ.get("CI") == "true":
            pytest.fail("kubectl is not installed (bin/setup --dev installs it)")
        pytest.skip("kubectl is not installed")
    if request.param == "cluster":
        if os.environ.get(E2E_ENV):
            kubeconfig = Path(os.environ[E2E_ENV])
        else:
            cluster: ControlPlane = request.getfixturevalue("kube_cluster")
            kubeconfig = cluster.kubeconfig
        lab = ContractLab(tmp_path / "lab", kubeconfig, real=True)
        try:
            yield lab
        finally:
            _cleanup(lab)
        return
    with KubeApiServer(ready_after_ms=0, storage_classes=HOMELAB_STORAGE_CLASSES) as server:
        server.write_kubeconfig(tmp_path / "kubeconfig")
        yield ContractLab(tmp_path / "lab", tmp_path / "kubeconfig", real=False)


def _cleanup(lab: ContractLab) -> None:
    """Leave nothing on a real cluster, whatever the test did."""
    subprocess.run([str(KUBECTL), "--kubeconfig", str(lab.kubeconfig), "delete", "namespace",
                    lab.namespace, "--ignore-not-found", "--wait=false"],
                   capture_output=True, timeout=60, check=False)
