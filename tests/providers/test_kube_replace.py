"""Immutable fields against the loopback API server (which refuses them with 422 as a real one
does): a change there plans a replace naming the field, and apply deletes, waits, creates."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from homestack.engine import Action, EngineOptions

if TYPE_CHECKING:
    from homestack.engine import ChangeSet
    from tests.providers.conftest import KubeLab

JOB = '''from homestack import Stack
from homestack.kit import raw

stack = Stack("jobs", namespace="apps", needs=["base"])
raw(stack, {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "migrate"},
            "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [{
                "name": "migrate", "image": "docker.io/library/busybox:1.36",
                "resources": {"requests": {"cpu": "0.5"}}}]}}}})
'''


def _changes(changeset: ChangeSet, action: Action) -> list[tuple[str, tuple[str, ...]]]:
    return sorted((str(c.address), c.fields) for s in changeset.stacks for c in s.changes
                  if c.action is action)


def _add_stack(lab: KubeLab, name: str, text: str) -> None:
    folder = Path(lab.root) / "stacks" / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "stack.py").write_text(text)


def test_a_job_image_change_is_planned_and_applied_as_a_replace(kubelab: KubeLab) -> None:
    _add_stack(kubelab, "jobs", JOB)
    assert not kubelab.apply().failed
    uid = kubelab.client.get("/apis/batch/v1/namespaces/apps/jobs/migrate").body[
        "metadata"]["uid"]
    # A quantity stored canonically (0.5 → 500m) is not a difference.
    assert not kubelab.plan(["jobs"]).has_changes
    kubelab.edit("jobs", "busybox:1.36", "busybox:1.37")
    planned = kubelab.plan(["jobs"])
    assert _changes(planned, Action.REPLACE) == [
        ("k8s:batch/v1:Job:apps/migrate",
         ("spec.template: immutable, forces a replace (delete, then create)",))]
    applied = kubelab.apply(names=["jobs"])
    assert not applied.failed, [s.error for s in applied.failed]
    live = kubelab.client.get("/apis/batch/v1/namespaces/apps/jobs/migrate").body
    assert live["metadata"]["uid"] != uid
    assert live["spec"]["template"]["spec"]["containers"][0]["image"].endswith("busybox:1.37")
    assert not kubelab.plan(["jobs"]).has_changes


def test_a_deployment_that_switches_to_recreate_with_a_volume_applies(kubelab: KubeLab
                                                                      ) -> None:
    assert not kubelab.apply().failed
    # What the kit renders for a Deployment that gains a block volume: Recreate, no
    # rollingUpdate, the claim mounted.
    kubelab.edit("web", '"spec": {"replicas": REPLICAS, ',
                 '"spec": {"replicas": 1, "strategy": {"type": "Recreate"}, ')
    kubelab.edit("web", '"ports": [{"containerPort": 80}],',
                 '"ports": [{"containerPort": 80}], "volumeMounts": [{"name": "files", '
                 '"mountPath": "/files"}],')
    kubelab.edit("web", '"spec": {"containers": [{',
                 '"spec": {"volumes": [{"name": "files", "persistentVolumeClaim": '
                 '{"claimName": "files"}}], "containers": [{')
    planned = kubelab.plan()
    replaced = _changes(planned, Action.REPLACE)
    assert [a for a, _ in replaced] == ["k8s:apps/v1:Deployment:apps/web"]
    assert replaced[0][1][0].startswith("spec.strategy.rollingUpdate: immutable")
    applied = kubelab.apply()
    assert not applied.failed, [s.error for s in applied.failed]
    live = kubelab.client.get("/apis/apps/v1/namespaces/apps/deployments/web").body
    assert live["spec"]["strategy"] == {"type": "Recreate"}
    assert live["spec"]["template"]["spec"]["volumes"][0]["name"] == "files"
    assert not kubelab.plan().has_changes


def test_a_data_holder_that_needs_a_replace_is_guarded(kubelab: KubeLab) -> None:
    assert not kubelab.apply().failed
    kubelab.edit("data", '"ReadWriteOnce"', '"ReadWriteMany"')
    planned = kubelab.plan(["data"])
    assert [a for a, _ in _changes(planned, Action.REPLACE)] == [
        "k8s:v1:PersistentVolumeClaim:apps/files"]
    refused = kubelab.apply(names=["data"])
    assert refused.failed and "--allow-data-loss" in refused.failed[0].error
    uid = kubelab.client.get(
        "/api/v1/namespaces/apps/persistentvolumeclaims/files").body["metadata"]["uid"]
    allowed = kubelab.apply(EngineOptions(parallelism=2, allow_data_loss=True), ["data"])
    assert not allowed.failed, [s.error for s in allowed.failed]
    live = kubelab.client.get(
        "/api/v1/namespaces/apps/persistentvolumeclaims/files").body
    assert live["metadata"]["uid"] != uid and live["spec"]["accessModes"] == ["ReadWriteMany"]


def test_the_immutable_table_compares_quantities_by_amount_and_pvcs_may_only_grow() -> None:
    from homestack.providers.kubernetes.immutable import forced_fields

    def claim(size: str, mode: str = "ReadWriteOnce") -> dict[str, object]:
        return {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                "spec": {"accessModes": [mode], "resources": {"requests": {"storage": size}}}}

    live = {**claim("1Gi"), "status": {"phase": "Bound"}}
    assert forced_fields(live, claim("1024Mi")) == ()
    assert forced_fields(live, claim("2Gi")) == ()
    assert forced_fields(live, claim("512Mi")) == ("spec.resources.requests.storage",)
    assert forced_fields(live, claim("1Gi", "ReadWriteMany")) == ("spec.accessModes",)
    # An unbound claim may not change at all, its size included.
    assert forced_fields(claim("1Gi"), claim("2Gi")) == ("spec.resources",)
    assert forced_fields(claim("1Gi"), claim("1024Mi")) == ()
    service = {"apiVersion": "v1", "kind": "Service", "spec": {"clusterIP": "10.0.0.9"}}
    assert forced_fields({"spec": {"clusterIP": "10.0.0.5"}}, service) == ("spec.clusterIP",)
    assert forced_fields({"spec": {}}, service) == ()
    frozen = {"apiVersion": "v1", "kind": "ConfigMap", "immutable": True, "data": {"a": "1"}}
    assert forced_fields(frozen, {**frozen, "data": {"a": "2"}}) == ("data",)
    assert forced_fields({**frozen, "immutable": False}, {**frozen, "data": {"a": "2"}}) == ()
