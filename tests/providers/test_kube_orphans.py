"""Nothing orphaned: whatever a failed or killed apply wrote, the next plan shows.

Against the real control plane. A failed Stack records what it wrote before it failed; the
ApplySet parent lists a kind before anything of it is written and drops it only after its
prune succeeded; a Stack a killed run left a journal for is found even when its folder is
gone.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lightkube import Client

from homestack.catalog import load
from homestack.engine import Action, EngineOptions, StackOutcome, desired, plan_and_apply
from homestack.model import Provider
from homestack.model.annotations import MANAGED_BY, STACK
from homestack.providers.kubernetes import KubeOptions, KubeTarget
from homestack.providers.kubernetes.inventory import MANAGER
from homestack.providers.kubernetes.kinds import KindMap
from homestack.providers.kubernetes.kubeconfig import load_config
from homestack.state import SqliteStore
from homestack_testing.controlplane.killswitch import Killed, KillSwitch
from homestack_testing.controlplane.kubelet import NEVER_READY
from homestack_testing.controlplane.storage import install_storage_classes
from tests.providers.conftest import FIXTURE, KubeLab

if TYPE_CHECKING:
    from homestack_testing.controlplane.fixtures import SessionCluster

JOBS = f'''from homestack import Stack
from homestack.kit import raw

stack = Stack("jobs", namespace="apps", needs=["base"])
raw(stack, [
    {{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {{"name": "jobs"}},
     "data": {{"schedule": "nightly"}}}},
    {{"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {{"name": "sweep"}},
     "spec": {{"schedule": "0 3 * * *", "jobTemplate": {{"spec": {{"template": {{"spec": {{
         "restartPolicy": "Never",
         "containers": [{{"name": "sweep", "image": "docker.io/library/busybox:1.36"}}]}}}}}}}}}}}},
    {{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {{"name": "worker"}},
     "spec": {{"replicas": 1, "selector": {{"matchLabels": {{"app": "worker"}}}},
              "template": {{"metadata": {{"labels": {{"app": "worker"}},
                                        "annotations": {{"{NEVER_READY}": "true"}}}},
                           "spec": {{"containers": [{{"name": "worker",
                                     "image": "docker.io/library/busybox:1.36"}}]}}}}}}}},
])
'''
ONLY_CONFIG = JOBS[:JOBS.index('    {"apiVersion": "batch/v1"')] + "])\n"


def _failing_lab(kubelab: KubeLab) -> None:
    (kubelab.root / "stacks" / "jobs").mkdir()
    (kubelab.root / "stacks" / "jobs" / "stack.py").write_text(JOBS)
    kubelab.kube_options = KubeOptions(poll=0.05, timeout=3.0)


def _live(client: Client | Any, path: str) -> list[str]:
    body = client.get(f"{path}?labelSelector={MANAGED_BY}%3D{MANAGER}").body
    return sorted(item["metadata"]["name"] for item in body["items"])


def test_a_failed_first_apply_records_what_it_wrote(kubelab: KubeLab) -> None:
    _failing_lab(kubelab)
    first = kubelab.apply()
    jobs = first.stack("jobs")
    assert jobs is not None and jobs.outcome is StackOutcome.FAILED
    assert _live(kubelab.client, "/apis/apps/v1/namespaces/apps/deployments") == \
        ["web", "worker"]
    recorded = {r.address for r in kubelab.store_record("jobs").resources}
    assert {"k8s:apps/v1:Deployment:apps/worker", "k8s:batch/v1:CronJob:apps/sweep",
            "k8s:v1:ConfigMap:apps/jobs"} <= recorded
    # The failure is not an interruption: no note about it in any later plan.
    assert not [n for s in kubelab.plan().stacks for n in s.notes if "interrupted" in n]


def test_objects_a_failed_apply_wrote_are_pruned_once_they_leave_the_stack(
        kubelab: KubeLab) -> None:
    _failing_lab(kubelab)
    assert kubelab.apply().failed
    (kubelab.root / "stacks" / "jobs" / "stack.py").write_text(ONLY_CONFIG)
    planned = kubelab.plan(["jobs"])
    deletes = {str(c.address) for s in planned.stacks for c in s.changes
               if c.action is Action.DELETE}
    assert deletes == {"k8s:apps/v1:Deployment:apps/worker",
                       "k8s:batch/v1:CronJob:apps/sweep"}
    applied = kubelab.apply(names=["jobs"])
    assert not applied.failed, applied.failed
    assert _live(kubelab.client, "/apis/apps/v1/namespaces/apps/deployments") == ["web"]
    assert _live(kubelab.client, "/apis/batch/v1/namespaces/apps/cronjobs") == []
    assert not kubelab.plan().has_changes


def test_a_stack_folder_removed_after_a_failed_apply_is_still_pruned(kubelab: KubeLab
                                                                      ) -> None:
    _failing_lab(kubelab)
    assert kubelab.apply().failed
    shutil.rmtree(kubelab.root / "stacks" / "jobs")
    planned = kubelab.plan()
    jobs = planned.stack("jobs")
    assert jobs is not None and jobs.outcome is StackOutcome.BLOCKED  # --allow-prune first
    assert {str(c.address) for c in jobs.changes if c.action is Action.DELETE} >= {
        "k8s:apps/v1:Deployment:apps/worker", "k8s:batch/v1:CronJob:apps/sweep",
        "k8s:v1:ConfigMap:apps/jobs"}
    assert not kubelab.apply(EngineOptions(allow_prune=True)).failed
    assert _live(kubelab.client, "/apis/apps/v1/namespaces/apps/deployments") == ["web"]
    assert not kubelab.plan().has_changes


def _killed_apply(lab: KubeLab, after: int, cluster: SessionCluster) -> list[str] | None:
    """Apply the lab with a client that dies after ``after`` writes: the writes made, or
    None when the apply finished first."""
    wanted = desired(load(lab.root))
    switch = KillSwitch(cluster.cluster.credentials("homestack-admin", ("system:masters",)),
                        after)
    client = Client(config=load_config(str(lab.kubeconfig), None), field_manager=MANAGER,
                    transport=switch)
    target = KubeTarget(client, KindMap(), KubeOptions(wait=False))
    store = SqliteStore(lab.root / ".homestack" / "state.db")
    try:
        plan_and_apply(wanted, {Provider.K8S: target}, store, EngineOptions(parallelism=1))
    except Killed:
        return switch.writes
    finally:
        store.close()
        target.close()
    return None


def _labelled(lab: KubeLab) -> dict[str, str]:
    """Every object on the cluster labelled as Homestack's: address → Stack."""
    found = {}
    for path, address in (
            ("/api/v1/namespaces", "k8s:v1:Namespace:{name}"),
            ("/api/v1/configmaps", "k8s:v1:ConfigMap:{namespace}/{name}"),
            ("/api/v1/services", "k8s:v1:Service:{namespace}/{name}"),
            ("/api/v1/persistentvolumeclaims", "k8s:v1:PersistentVolumeClaim:{namespace}/{name}"),
            ("/apis/apps/v1/deployments", "k8s:apps/v1:Deployment:{namespace}/{name}")):
        body = lab.client.get(f"{path}?labelSelector={MANAGED_BY}%3D{MANAGER}").body
        for item in body["items"]:
            meta = item["metadata"]
            found[address.format(**{"namespace": "", **meta})] = meta["labels"][STACK]
    return found


def test_a_kill_after_any_of_the_first_writes_leaves_nothing_unaccounted(
        tmp_path: Path, _session_cluster: SessionCluster) -> None:
    cluster = _session_cluster.cluster
    after, total = 1, 20
    while after <= total:
        _session_cluster.reset()
        install_storage_classes(cluster.client())
        root = tmp_path / f"lab{after}"
        shutil.copytree(FIXTURE, root)
        lab = KubeLab(root, cluster.kubeconfig, cluster.client(), cluster.audit, cluster)
        writes = _killed_apply(lab, after, _session_cluster)
        if writes is None:  # the whole apply took fewer writes: every kill point was seen
            break
        # The Stacks that were being written leave the homelab: what they wrote must show.
        shutil.rmtree(root / "stacks" / "web")
        shutil.rmtree(root / "stacks" / "tail")
        written = _labelled(lab)
        planned = lab.plan()
        shown = {str(c.address): (s.stack, c.action) for s in planned.stacks
                 for c in s.changes}
        for address, stack in written.items():
            assert address in shown, (after, address, writes)
            if stack in ("web", "tail") and address != "k8s:v1:ConfigMap:kube-system/" \
                    f"homestack-applyset-{stack}":
                assert shown[address] == (stack, Action.DELETE), (after, address)
        after += 1
    assert after > 5, "the apply made too few writes to test"
