"""Waits that end with the reason: a claim that cannot bind, a claim that binds on first use,
and a rollout stuck past its progress deadline (pods the node agent reports crash-looping)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from homestack.engine import FailureKind, StackOutcome
from homestack.providers.kubernetes import KubeOptions

if TYPE_CHECKING:
    from tests.providers.conftest import KubeLab

WFFC = {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
        "metadata": {"name": "local-wffc"}, "provisioner": "rancher.io/local-path",
        "volumeBindingMode": "WaitForFirstConsumer"}


def _slow_timeout(lab: KubeLab) -> None:
    # Long enough that finishing early proves the wait stopped on the reason.
    lab.kube_options = KubeOptions(poll=0.02, timeout=60.0)


def test_a_claim_whose_storage_class_is_missing_fails_at_once_with_the_reason(
        kubelab: KubeLab) -> None:
    _slow_timeout(kubelab)
    kubelab.edit("data", '"proxmox-lvm"', '"no-such-class"')
    started = time.monotonic()
    result = kubelab.apply()
    assert time.monotonic() - started < 20
    data = result.stack("data")
    assert data is not None and data.outcome is StackOutcome.FAILED
    assert data.failure is FailureKind.NOT_READY
    assert "k8s:v1:PersistentVolumeClaim:apps/files" in data.error
    assert 'StorageClass "no-such-class" not found' in data.error
    assert result.stack("web") is not None and result.stack("web").outcome is \
        StackOutcome.APPLIED


def test_a_claim_that_binds_on_first_consumer_is_settled_once_it_exists(kubelab: KubeLab
                                                                        ) -> None:
    _slow_timeout(kubelab)
    assert kubelab.client.post("/apis/storage.k8s.io/v1/storageclasses", WFFC).ok
    kubelab.edit("data", '"proxmox-lvm"', '"local-wffc"')
    started = time.monotonic()
    result = kubelab.apply()
    assert not result.failed, [s.error for s in result.failed]
    assert time.monotonic() - started < 20
    claim = kubelab.client.get(
        "/api/v1/namespaces/apps/persistentvolumeclaims/files").body
    assert claim["status"]["phase"] == "Pending"


def test_a_stuck_rollout_fails_its_stack_and_skips_only_its_dependents(kubelab: KubeLab
                                                                       ) -> None:
    _slow_timeout(kubelab)
    # The node agent reports the pods crash-looping; the deployment controller gives up
    # after the progress deadline.
    kubelab.edit("web", '"template": {"metadata": {"labels": {"app": "web"}},',
                 '"template": {"metadata": {"labels": {"app": "web"}, "annotations": '
                 '{"kubeapi.homestack.test/fail": "true"}},')
    kubelab.edit("web", '"spec": {"replicas": REPLICAS, ',
                 '"spec": {"replicas": REPLICAS, "progressDeadlineSeconds": 3, ')
    result = kubelab.apply()
    web, tail, data = (result.stack(n) for n in ("web", "tail", "data"))
    assert web is not None and web.outcome is StackOutcome.FAILED
    assert "ProgressDeadlineExceeded" in web.error
    assert "k8s:apps/v1:Deployment:apps/web" in web.error
    assert tail is not None and tail.outcome is StackOutcome.SKIPPED
    assert data is not None and data.outcome is StackOutcome.APPLIED


def test_a_rollout_that_cannot_schedule_names_what_its_pods_say(kubelab: KubeLab) -> None:
    # No node has 64 CPUs: the scheduler says so on the Pod, and the timeout repeats it.
    kubelab.kube_options = KubeOptions(poll=0.05, timeout=3.0)
    kubelab.edit("web", '"requests": {"cpu": "50m", "memory": "64Mi"}',
                 '"requests": {"cpu": "64", "memory": "64Mi"}')
    result = kubelab.apply()
    web = result.stack("web")
    assert web is not None and web.outcome is StackOutcome.FAILED
    assert "not ready in time" in web.error
    assert "pods: Unschedulable: 0/2 nodes are available: 2 Insufficient cpu" in web.error
