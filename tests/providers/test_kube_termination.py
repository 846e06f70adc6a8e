"""Deletion is asynchronous: finalizers hold objects and a Namespace terminates (the namespace
controller empties it) before it goes. Deletes wait until the object is gone
(boundedly, naming it), terminating objects plan as not yet gone, and destroy then apply
converges."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import pytest

from homestack.catalog import load
from homestack.engine import Action, EngineOptions, desired, destroy
from homestack.model import Provider
from homestack.providers.kubernetes import KubeOptions, open_kube
from homestack.state import SqliteStore

if TYPE_CHECKING:
    from homestack.engine import ChangeSet
    from tests.providers.conftest import KubeLab

SHARED = "/api/v1/namespaces/apps/configmaps/shared"
NAMESPACE = "/api/v1/namespaces/apps"
HOLD = "example.com/hold"


def _destroy(lab: KubeLab, names: list[str]) -> ChangeSet:
    wanted = desired(load(lab.root))
    target = open_kube(str(lab.kubeconfig), options=lab.kube_options,
                       homelab=wanted.all_resources())
    store = SqliteStore(lab.root / ".homestack" / "state.db", ttl=lab.lease_ttl)
    try:
        return destroy(wanted, {Provider.K8S: target}, store,
                       EngineOptions(allow_data_loss=True), names)
    finally:
        store.close()
        target.close()


def _change(changeset: ChangeSet, address: str):  # type: ignore[no-untyped-def]
    [found] = [c for s in changeset.stacks for c in s.changes if str(c.address) == address]
    return found


def test_destroy_then_apply_of_a_stack_with_a_namespace_converges(
        kubelab: KubeLab, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="homestack.providers.kubernetes.waiting")
    client = kubelab.client
    assert not kubelab.apply().failed
    # A finalizer some controller removes later: destroy must wait for it, not report done.
    assert client.patch(SHARED, {"metadata": {"finalizers": [HOLD]}}).ok
    patient = kubelab.kube_options
    kubelab.kube_options = KubeOptions(poll=0.02, timeout=0.5)
    stuck = _destroy(kubelab, ["tail", "web", "data", "base"])
    assert [s.stack for s in stuck.failed] == ["base"]
    assert "k8s:v1:ConfigMap:apps/shared" in stuck.failed[0].error
    assert HOLD in stuck.failed[0].error
    assert f"waiting for k8s:v1:ConfigMap:apps/shared to be deleted (held by {HOLD})" \
        in caplog.messages
    assert client.get(SHARED).body["metadata"].get("deletionTimestamp")
    # While it terminates, a plan shows it as not yet gone, never as unchanged.
    planned = kubelab.plan(["base"])
    shared = _change(planned, "k8s:v1:ConfigMap:apps/shared")
    assert shared.action is Action.CREATE and shared.fields[0].startswith("terminating")
    assert client.patch(SHARED, {"metadata": {"finalizers": None}}).ok
    kubelab.kube_options = patient  # the namespace controller takes its time
    assert not _destroy(kubelab, ["base"]).failed
    assert client.get(NAMESPACE).code == 404
    applied = kubelab.apply()
    assert not applied.failed, [s.error for s in applied.failed]
    assert client.get(SHARED).ok
    assert not kubelab.plan().has_changes


def test_an_apply_meeting_a_terminating_namespace_waits_and_recreates(kubelab: KubeLab
                                                                      ) -> None:
    client = kubelab.client
    assert not kubelab.apply().failed
    assert client.delete(NAMESPACE).ok  # deleted behind Homestack's back: Terminating
    assert client.get(NAMESPACE).body["status"]["phase"] == "Terminating"
    planned = kubelab.plan()
    for address in ("k8s:v1:Namespace:apps", "k8s:v1:ConfigMap:apps/shared",
                    "k8s:apps/v1:Deployment:apps/web"):
        assert _change(planned, address).action is Action.CREATE, address
    applied = kubelab.apply()
    assert not applied.failed, [s.error for s in applied.failed]
    assert client.get(NAMESPACE).body["status"]["phase"] == "Active"
    assert not kubelab.plan().has_changes
