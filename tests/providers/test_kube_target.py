"""The kube target and the engine against the loopback API server."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homestack.engine import Action, EngineOptions, StackOutcome

if TYPE_CHECKING:
    from tests.providers.conftest import KubeLab


def _actions(changeset, action: Action) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(str(c.address) for s in changeset.stacks for c in s.changes if c.action is action)


def test_apply_into_an_empty_server_then_plan_is_a_no_op(kubelab: KubeLab) -> None:
    first = kubelab.apply()
    assert not first.failed, [s.error for s in first.failed]
    assert {
        "k8s:v1:Namespace:apps", "k8s:v1:ConfigMap:apps/shared", "k8s:apps/v1:Deployment:apps/web",
        "k8s:v1:Service:apps/web", "k8s:v1:PersistentVolumeClaim:apps/files",
        "k8s:v1:ConfigMap:apps/tail",
    } <= set(_actions(first, Action.CREATE))
    kubelab.server.reset_stats()
    again = kubelab.plan()
    assert not again.has_changes
    stats = kubelab.server.stats()
    assert stats["by_verb"].get("patch", 0) == 0
    assert set(stats["by_verb"]) == {"list"}
    kinds = {resource for (_verb, resource) in stats["counts"]}
    assert all(count <= 2 for count in stats["counts"].values())
    assert stats["total"] <= 2 * len(kinds)


def test_objects_carry_inventory_labels(kubelab: KubeLab) -> None:
    kubelab.apply()
    client = kubelab.client
    deployment = client.get("/apis/apps/v1/namespaces/apps/deployments/web").body
    labels = deployment["metadata"]["labels"]
    assert labels["homestack.dev/stack"] == "web"
    assert labels["app.kubernetes.io/managed-by"] == "homestack"
    part_of = labels["applyset.kubernetes.io/part-of"]
    parent = client.get("/api/v1/namespaces/kube-system/configmaps/homestack-applyset-web").body
    assert parent["metadata"]["labels"]["applyset.kubernetes.io/id"] == part_of
    managers = {e["manager"] for e in deployment["metadata"]["managedFields"]}
    assert "homestack" in managers


def test_editing_one_stack_changes_only_it(kubelab: KubeLab) -> None:
    kubelab.apply()
    kubelab.edit("web", '"value": "fast"', '"value": "slow"')
    planned = kubelab.plan()
    assert _actions(planned, Action.UPDATE) == ["k8s:apps/v1:Deployment:apps/web"]
    [update] = [c for s in planned.stacks for c in s.changes if c.action is Action.UPDATE]
    assert "-          value: fast" in update.diff or "- value: fast" in update.diff.replace(
        "  ", "")
    applied = kubelab.apply()
    assert [s.stack for s in applied.stacks if s.outcome is StackOutcome.APPLIED] == ["web"]
    assert not kubelab.plan().has_changes


def test_removing_an_object_prunes_it(kubelab: KubeLab) -> None:
    kubelab.apply()
    kubelab.edit("web", '    {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},\n'
                 '     "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, '
                 '"targetPort": 80}]}},\n', "")
    result = kubelab.apply()
    assert _actions(result, Action.DELETE) == ["k8s:v1:Service:apps/web"]
    client = kubelab.client
    assert client.get("/api/v1/namespaces/apps/services/web").code == 404


def test_removing_a_pvc_is_refused_without_the_flag(kubelab: KubeLab) -> None:
    kubelab.apply()
    kubelab.edit("data", 'raw(stack, {"apiVersion": "v1", "kind": "PersistentVolumeClaim"',
                 'raw(stack, {"apiVersion": "v1", "kind": "ConfigMap", "data": {}, '
                 '"metadata": {"name": "marker"}})\nunused = ({"apiVersion": "v1", '
                 '"kind": "PersistentVolumeClaim"')
    refused = kubelab.apply()
    [blocked] = refused.failed
    assert blocked.stack == "data"
    assert blocked.outcome is StackOutcome.BLOCKED
    assert "PersistentVolumeClaim:apps/files" in blocked.error
    client = kubelab.client
    assert client.get("/api/v1/namespaces/apps/persistentvolumeclaims/files").code == 200
    allowed = kubelab.apply(EngineOptions(parallelism=2, allow_data_loss=True))
    assert not allowed.failed
    assert client.get("/api/v1/namespaces/apps/persistentvolumeclaims/files").code == 404


def test_an_emptied_stack_is_refused(kubelab: KubeLab) -> None:
    kubelab.apply()
    path = kubelab.root / "stacks" / "tail" / "stack.py"
    path.write_text('from homestack import Stack\n\nstack = Stack("tail", namespace="apps", '
                    'needs=["web"])\n')
    refused = kubelab.apply()
    [blocked] = refused.failed
    assert blocked.stack == "tail"
    assert "--allow-empty" in blocked.error


def test_conflict_with_another_manager_names_it(kubelab: KubeLab) -> None:
    kubelab.apply()
    client = kubelab.client
    client.apply("/api/v1/namespaces/apps/configmaps/shared",
                 {"apiVersion": "v1", "kind": "ConfigMap",
                  "metadata": {"name": "shared", "namespace": "apps"},
                  "data": {"greeting": "hi"}},
                 manager="someone-else", force=True)
    kubelab.edit("base", '"greeting": "hello"', '"greeting": "bonjour"')
    result = kubelab.apply()
    [failed] = result.failed
    assert failed.stack == "base"
    assert "someone-else" in failed.error
    assert ".data.greeting" in failed.error
    # dependents of the failed Stack are skipped, independent ones are not touched
    outcomes = {s.stack: s.outcome for s in result.stacks}
    assert outcomes["web"] is StackOutcome.SKIPPED
    assert outcomes["tail"] is StackOutcome.SKIPPED


def test_readiness_timeout_fails_the_stack_and_skips_only_dependents(kubelab: KubeLab) -> None:
    kubelab.kube_options = kubelab.kube_options.__class__(poll=0.02, timeout=0.5)
    # The node agent reports the Deployment's pods running but never ready.
    kubelab.edit("web", '"template": {"metadata": {"labels": {"app": "web"}},',
                 '"template": {"metadata": {"labels": {"app": "web"}, "annotations": '
                 '{"kubeapi.homestack.test/never-ready": "true"}},')
    result = kubelab.apply()
    outcomes = {s.stack: s.outcome for s in result.stacks}
    assert outcomes["web"] is StackOutcome.FAILED
    assert outcomes["tail"] is StackOutcome.SKIPPED
    assert outcomes["data"] is StackOutcome.APPLIED
    assert outcomes["base"] is StackOutcome.APPLIED
    [web] = [s for s in result.stacks if s.stack == "web"]
    assert "not ready in time" in web.error


def test_apply_converges_under_injected_faults(fake_kubelab: KubeLab) -> None:
    lab = fake_kubelab
    lab.fake.set_faults("patch:500:10%;list:429:10%:retry-after=0;get:500:10%", seed=7)
    result = lab.apply()
    assert not result.failed, [s.error for s in result.failed]
    lab.fake.set_faults("")
    assert not lab.plan().has_changes


def test_fields_owned_elsewhere_are_yielded_once_taken(kubelab: KubeLab) -> None:
    kubelab.edit("web", 'raw(stack, [', 'raw(stack, owned_elsewhere=["spec.replicas"], manifests=[')
    kubelab.apply()
    assert not kubelab.plan().has_changes  # nobody else owns replicas: still declared, in sync
    client = kubelab.client
    scaled = client.request(
        "PATCH", "/apis/apps/v1/namespaces/apps/deployments/web?fieldManager=sablier",
        {"spec": {"replicas": 0}}, "application/merge-patch+json")
    assert scaled.ok
    assert not kubelab.plan().has_changes
    kubelab.edit("web", '"value": "fast"', '"value": "slow"')
    assert not kubelab.apply().failed
    live = client.get("/apis/apps/v1/namespaces/apps/deployments/web").body
    assert live["spec"]["replicas"] == 0
    env = live["spec"]["template"]["spec"]["containers"][0]["env"]
    assert env == [{"name": "MODE", "value": "slow"}]


def test_apply_of_an_edit_writes_once_without_a_dry_run(kubelab: KubeLab) -> None:
    kubelab.apply()
    kubelab.edit("web", '"value": "fast"', '"value": "slow"')
    kubelab.server.reset_stats()
    result = kubelab.apply()
    assert _actions(result, Action.UPDATE) == ["k8s:apps/v1:Deployment:apps/web"]
    patches = [r for r in kubelab.server.requests if r.verb == "patch"]
    assert [(r.resource, "dryRun" in r.path) for r in patches] == [("deployments", False)]


def test_leases_shorter_than_the_apply_are_kept_alive(fake_kubelab: KubeLab) -> None:
    lab = fake_kubelab
    lab.lease_ttl = 0.3
    lab.fake.set_latency(60)  # each Stack's apply outlives several lease lifetimes
    result = lab.apply()
    assert not result.failed, [(s.stack, s.error) for s in result.failed]
    assert {s.outcome for s in result.stacks} == {StackOutcome.APPLIED}
