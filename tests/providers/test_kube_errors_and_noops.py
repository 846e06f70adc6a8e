"""The kube target against the loopback API server: failed LISTs fail, gone is gone, a no-op
write is not a change, and a field no longer declared is a change."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import pytest

from homestack.catalog import load
from homestack.engine import Action, EngineOptions, StackOutcome, apply, desired, plan
from homestack.model import Provider
from homestack.providers.kubernetes import KubeOptions, open_kube
from homestack.providers.kubernetes.retry import RetryPolicy
from homestack.state import SqliteStore
from homestack_testing.kubeapi.client import Client

if TYPE_CHECKING:
    from tests.providers.conftest import KubeLab

SERVICE = ('    {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},\n'
           '     "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, '
           '"targetPort": 80}]}},\n')


def _actions(changeset, action: Action) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(str(c.address) for s in changeset.stacks for c in s.changes if c.action is action)


@pytest.mark.parametrize("code", [403, 500])
def test_a_failed_list_fails_the_stacks_instead_of_planning_creates(
        kubelab: KubeLab, code: int) -> None:
    kubelab.apply()
    kubelab.kube_options = KubeOptions(poll=0.02, timeout=5.0,
                                       retry=RetryPolicy(attempts=2, base_delay=0.01))
    kubelab.server.set_faults(f"list/deployments:{code}:always")
    planned = kubelab.plan()
    web = planned.stack("web")
    assert web is not None and web.outcome is StackOutcome.FAILED
    assert str(code) in web.error or "orbidden" in web.error, web.error
    assert _actions(planned, Action.CREATE) == []
    assert _actions(planned, Action.DELETE) == []


def test_an_object_already_gone_at_delete_is_a_success(kubelab: KubeLab) -> None:
    kubelab.apply()
    kubelab.edit("web", SERVICE, "")
    kubelab.server.set_faults("delete/services:404:first1")
    result = kubelab.apply()
    assert not result.failed, [s.error for s in result.failed]
    assert _actions(result, Action.DELETE) == ["k8s:v1:Service:apps/web"]
    assert kubelab.store_record("web").resource("k8s:v1:Service:apps/web") is None


def test_a_declared_field_that_is_removed_is_a_change(kubelab: KubeLab) -> None:
    kubelab.apply()
    kubelab.edit("web", '"ports": [{"containerPort": 80}],\n', "")
    planned = kubelab.plan()
    assert _actions(planned, Action.UPDATE) == ["k8s:apps/v1:Deployment:apps/web"]
    kubelab.apply()
    live = Client(kubelab.server.url).get("/apis/apps/v1/namespaces/apps/deployments/web").body
    assert "ports" not in live["spec"]["template"]["spec"]["containers"][0]
    assert not kubelab.plan().has_changes


def test_a_write_the_server_did_not_change_is_reported_unchanged(kubelab: KubeLab) -> None:
    kubelab.apply()
    wanted = desired(load(kubelab.root))
    target = open_kube(str(kubelab.kubeconfig), options=kubelab.kube_options,
                       homelab=wanted.all_resources())
    store = SqliteStore(kubelab.root / ".homestack" / "state.db")
    try:
        targets = {Provider.K8S: target}
        options = EngineOptions(parallelism=1)
        planned = plan(wanted, targets, store, options, ["web"])
        web = planned.stack("web")
        assert web is not None and not web.has_changes
        # As an unconfirmed plan would: every object suspected; the writes tell the truth.
        web.changes = [replace(c, action=Action.UPDATE) for c in web.changes]
        kubelab.server.reset_stats()
        result = apply(wanted, targets, store, options, planned)
        assert kubelab.server.stats()["by_verb"].get("patch", 0) == len(web.changes)
        assert {c.action for c in result.stack("web").changes} == {Action.UNCHANGED}  # type: ignore[union-attr]
    finally:
        store.close()
        target.close()
