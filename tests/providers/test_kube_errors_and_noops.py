"""The kube target against the loopback API server: failed LISTs fail, gone is gone, a no-op
write is not a change, and a field no longer declared is a change."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import TYPE_CHECKING

import pytest

from homestack.catalog import load
from homestack.engine import (
    Action,
    ChangeSet,
    DriftKind,
    EngineOptions,
    StackOutcome,
    apply,
    desired,
    drift,
    drift_count,
    plan,
)
from homestack.model import Provider
from homestack.providers.kubernetes import KubeOptions, open_kube
from homestack.providers.kubernetes.retry import RetryPolicy
from homestack.state import SqliteStore

if TYPE_CHECKING:
    from tests.providers.conftest import KubeLab

SERVICE = ('    {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},\n'
           '     "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, '
           '"targetPort": 80}]}},\n')


def _actions(changeset, action: Action) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(str(c.address) for s in changeset.stacks for c in s.changes if c.action is action)


@pytest.mark.parametrize("code", [403, 500])
def test_a_failed_list_fails_the_stacks_instead_of_planning_creates(
        fake_kubelab: KubeLab, code: int) -> None:
    lab = fake_kubelab
    lab.apply()
    lab.kube_options = KubeOptions(poll=0.02, timeout=5.0,
                                   retry=RetryPolicy(attempts=2, base_delay=0.01))
    lab.fake.set_faults(f"list/deployments:{code}:always")
    planned = lab.plan()
    web = planned.stack("web")
    assert web is not None and web.outcome is StackOutcome.FAILED
    assert str(code) in web.error or "orbidden" in web.error, web.error
    assert _actions(planned, Action.CREATE) == []
    assert _actions(planned, Action.DELETE) == []


def test_an_object_already_gone_at_delete_is_a_success(fake_kubelab: KubeLab) -> None:
    lab = fake_kubelab
    lab.apply()
    lab.edit("web", SERVICE, "")
    lab.fake.set_faults("delete/services:404:first1")
    result = lab.apply()
    assert not result.failed, [s.error for s in result.failed]
    assert _actions(result, Action.DELETE) == ["k8s:v1:Service:apps/web"]
    assert lab.store_record("web").resource("k8s:v1:Service:apps/web") is None


def test_a_declared_field_that_is_removed_is_a_change(kubelab: KubeLab) -> None:
    kubelab.apply()
    kubelab.edit("web", '"ports": [{"containerPort": 80}],\n', "")
    planned = kubelab.plan()
    assert _actions(planned, Action.UPDATE) == ["k8s:apps/v1:Deployment:apps/web"]
    kubelab.apply()
    live = kubelab.client.get("/apis/apps/v1/namespaces/apps/deployments/web").body
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
        web = replace(web, changes=tuple(replace(c, action=Action.UPDATE)
                                         for c in web.changes))
        planned = planned.with_stacks([web])
        kubelab.server.reset_stats()
        result = apply(wanted, targets, store, options, planned)
        assert kubelab.server.stats()["by_verb"].get("patch", 0) == len(web.changes)
        assert {c.action for c in result.stack("web").changes} == {Action.UNCHANGED}  # type: ignore[union-attr]
    finally:
        store.close()
        target.close()


def _drift_and_plan(lab: KubeLab) -> tuple[ChangeSet, ChangeSet]:
    """A drift run and a plan of the lab's homelab against its cluster, as the CLI makes
    them."""
    wanted = desired(load(lab.root))
    target = open_kube(str(lab.kubeconfig), options=lab.kube_options,
                       homelab=wanted.all_resources())
    store = SqliteStore(lab.root / ".homestack" / "state.db")
    try:
        return (drift(wanted, {Provider.K8S: target}, store, EngineOptions(parallelism=1)),
                plan(wanted, {Provider.K8S: target}, store, EngineOptions(parallelism=1)))
    finally:
        store.close()
        target.close()


def test_a_field_taken_by_another_manager_is_drift_not_a_failure(kubelab: KubeLab) -> None:
    kubelab.apply()
    patched = kubelab.client.request(
        "PATCH", "/apis/apps/v1/namespaces/apps/deployments/web?fieldManager=kubectl-edit",
        {"spec": {"replicas": 5}}, "application/merge-patch+json")
    assert patched.ok
    found, _ = _drift_and_plan(kubelab)
    web = found.stack("web")
    assert web is not None and web.outcome is StackOutcome.PLANNED, web.error
    [changed] = [c for c in web.changes if c.action.is_change]
    assert (str(changed.address), changed.action, changed.drift) == (
        "k8s:apps/v1:Deployment:apps/web", Action.UPDATE, DriftKind.DRIFT)
    # the value diff and the field with its owner, not the refusal, say what changed
    assert changed.failure is None
    assert changed.fields == (".spec.replicas 2 → 5 by kubectl-edit",)
    assert "-  replicas: 5" in changed.diff
    # only what Homestack declares: no server defaults, no other managers' fields
    for undeclared in ("progressDeadlineSeconds", "terminationMessagePath", "managedFields",
                       "uid:", "status:"):
        assert undeclared not in changed.diff, undeclared
    assert drift_count(found) == 1


WIDGETS = '''from homestack import Stack
from homestack.kit import raw

stack = Stack("widgets", namespace="apps", needs=["base"])
raw(stack, [
    {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
     "metadata": {"name": "widgets.example.org"},
     "spec": {"group": "example.org", "scope": "Namespaced",
              "names": {"kind": "Widget", "plural": "widgets", "singular": "widget",
                        "listKind": "WidgetList"},
              "versions": [{"name": "v1", "served": True, "storage": True,
                            "schema": {"openAPIV3Schema": {
                                "type": "object",
                                "x-kubernetes-preserve-unknown-fields": True}}}]}},
    {"apiVersion": "example.org/v1", "kind": "Widget", "metadata": {"name": "blue"},
     "spec": {"colour": "blue"}},
])
'''


def test_a_crd_and_its_objects_apply_in_one_run_then_plan_clean(kubelab: KubeLab) -> None:
    (kubelab.root / "stacks" / "widgets").mkdir()
    (kubelab.root / "stacks" / "widgets" / "stack.py").write_text(WIDGETS)
    first = kubelab.apply()
    assert not first.failed, [s.error for s in first.failed]
    assert "k8s:example.org/v1:Widget:apps/blue" in _actions(first, Action.CREATE)
    widget = kubelab.client.get("/apis/example.org/v1/namespaces/apps/widgets/blue")
    assert widget.body["spec"] == {"colour": "blue"}
    assert not kubelab.plan().has_changes


def test_a_dropped_field_another_applier_keeps_is_confirmed_unchanged(kubelab: KubeLab) -> None:
    kubelab.apply()
    shared = kubelab.client.request(
        "PATCH", "/api/v1/namespaces/apps/configmaps/shared?fieldManager=other",
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "shared"},
         "data": {"greeting": "hello"}}, "application/apply-patch+yaml")
    assert shared.ok, shared.body
    kubelab.edit("base", '"data": {"greeting": "hello"}', '"data": {}')
    kubelab.server.reset_stats()
    planned = kubelab.plan(["base"])
    # The heuristic suspects a change (a field Homestack applied is no longer declared); the
    # dry-run shows the object stays as it is, since "other" still applies the field.
    assert kubelab.server.stats()["by_verb"].get("patch", 0) == 1
    [change] = [c for s in planned.stacks for c in s.changes
                if str(c.address) == "k8s:v1:ConfigMap:apps/shared"]
    assert change.action is Action.UNCHANGED


# A kind of its own: lightkube registers each kind's class process-wide, and a kind another
# test already registered would look built in.
GADGET_ONLY = '''from homestack import Stack
from homestack.kit import raw

stack = Stack("gadgets", namespace="apps", needs=["base"])
raw(stack, {"apiVersion": "gadgets.example.org/v1", "kind": "Gadget",
            "metadata": {"name": "green"}, "spec": {"colour": "green"}})
'''


def test_a_kind_whose_crd_only_the_server_has_is_applied_and_planned(kubelab: KubeLab) -> None:
    created = kubelab.client.request(
        "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
        _crd_body(), "application/json")
    assert created.ok, created.body
    _wait_established(kubelab, "gadgets.gadgets.example.org")
    (kubelab.root / "stacks" / "gadgets").mkdir()
    (kubelab.root / "stacks" / "gadgets" / "stack.py").write_text(GADGET_ONLY)
    first = kubelab.apply()  # the homelab declares no CRD: the kind map must ask the server
    assert not first.failed, [s.error for s in first.failed]
    assert "k8s:gadgets.example.org/v1:Gadget:apps/green" in _actions(first, Action.CREATE)
    assert not kubelab.plan().has_changes


def _wait_established(lab: KubeLab, name: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        crd = lab.client.get(f"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{name}")
        conditions = (crd.body.get("status") or {}).get("conditions") or []
        if any(c["type"] == "Established" and c["status"] == "True" for c in conditions):
            return
        time.sleep(0.05)
    raise AssertionError(f"CRD {name} not Established")


def _crd_body() -> dict[str, object]:
    return {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": "gadgets.gadgets.example.org"},
            "spec": {"group": "gadgets.example.org", "scope": "Namespaced",
                     "names": {"kind": "Gadget", "plural": "gadgets", "singular": "gadget",
                               "listKind": "GadgetList"},
                     "versions": [{"name": "v1", "served": True, "storage": True,
                                   "schema": {"openAPIV3Schema": {
                                       "type": "object",
                                       "x-kubernetes-preserve-unknown-fields": True}}}]}}


def test_an_answer_that_is_no_status_is_classified_by_its_code() -> None:
    import httpx2

    from homestack.providers.errors import NotFoundError, TransientError
    from homestack.providers.kubernetes.retry import with_retry

    request = httpx2.Request("GET", "https://127.0.0.1/apis/example.org/v1/widgets")

    def plain(code: int) -> None:
        # kube-apiserver's answer for a group it does not serve (yet): text, not a Status
        answer = httpx2.Response(code, text="404 page not found\n", request=request,
                                 headers={"Content-Type": "text/plain; charset=utf-8"})
        raise httpx2.HTTPStatusError("plain", request=request, response=answer)

    with pytest.raises(NotFoundError, match="404 NotFound: 404 page not found"):
        with_retry(lambda: plain(404), RetryPolicy(attempts=3, base_delay=0), "k8s:x")
    calls: list[float] = []
    with pytest.raises(TransientError):
        with_retry(lambda: plain(503), RetryPolicy(attempts=3, base_delay=0), "k8s:x",
                   sleep=calls.append)
    assert len(calls) == 2  # retried, as any 5xx


SLICE = '''    {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
     "metadata": {"name": "external", "labels": {"kubernetes.io/service-name": "web"}},
     "addressType": "IPv4", "endpoints": [{"addresses": ["192.168.1.20"]}],
     "ports": [{"name": "http", "port": 80, "protocol": "TCP"}]},
'''


def test_objects_a_controller_made_from_ours_are_never_pruned(kubelab: KubeLab) -> None:
    # The Stack declares an EndpointSlice of its own, so EndpointSlices are in scope; the
    # endpointslice controller makes another for the Service and copies its labels onto it.
    kubelab.edit("web", '    {"apiVersion": "v1", "kind": "Service",', SLICE +
                 '    {"apiVersion": "v1", "kind": "Service",')
    assert not kubelab.apply().failed
    deadline = time.monotonic() + 30
    while len(_slices(kubelab)) < 2:
        assert time.monotonic() < deadline, _slices(kubelab)
        time.sleep(0.1)
    made = [s for s in _slices(kubelab) if s["metadata"]["name"] != "external"]
    assert made[0]["metadata"]["labels"]["homestack.dev/stack"] == "web"  # copied
    planned = kubelab.plan()
    assert not planned.has_changes, [(str(c.address), c.action) for s in planned.stacks
                                     for c in s.changes if c.action.is_change]


def _slices(lab: KubeLab) -> list[dict[str, object]]:
    listed = lab.client.get("/apis/discovery.k8s.io/v1/namespaces/apps/endpointslices").body
    return list(listed["items"])


def test_an_env_var_another_manager_adds_is_drift_that_apply_leaves(kubelab: KubeLab) -> None:
    kubelab.apply()
    patched = kubelab.client.request(
        "PATCH", "/apis/apps/v1/namespaces/apps/deployments/web?fieldManager=kubectl-set-env",
        {"spec": {"template": {"spec": {"containers": [
            {"name": "web", "env": [{"name": "DEBUG", "value": "1"}]}]}}}},
        "application/strategic-merge-patch+json")
    assert patched.ok, patched.body
    found, planned = _drift_and_plan(kubelab)
    web = found.stack("web")
    assert web is not None
    [added] = [c for c in web.changes if c.drift is DriftKind.DRIFT]
    assert (str(added.address), added.action) == (
        "k8s:apps/v1:Deployment:apps/web", Action.UNCHANGED)
    assert added.fields == (".spec.template.spec.containers[web].env[DEBUG] added by "
                            "kubectl-set-env",)
    assert "apply keeps it" in added.note
    assert drift_count(found) == 1
    assert not planned.has_changes  # nothing apply could do: server-side apply keeps it
