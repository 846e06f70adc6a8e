"""Readiness waits end as soon as the outcome is known: a failed Job stops the wait at once."""

from __future__ import annotations

import time

from homestack.engine import FailureKind, StackOutcome
from homestack.model.readiness import Readiness
from homestack.providers.kubernetes import readiness
from tests.providers.conftest import KubeLab

JOB = '''
raw(stack, {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "migrate"},
            "spec": {"backoffLimit": 0, "template": {
                "metadata": {"annotations": {"kubeapi.homestack.test/fail": "true"}},
                "spec": {
                    "restartPolicy": "Never",
                    "containers": [{"name": "migrate",
                                    "image": "docker.io/library/busybox:1.36",
                                    "resources": {"requests": {"cpu": "10m", "memory": "16Mi"},
                                                  "limits": {"memory": "16Mi"}}}]}}}})
'''


def test_a_failed_job_fails_its_stack_without_waiting_for_the_timeout(kubelab: KubeLab) -> None:
    # The node agent reports the Job's pod exiting 1; the job controller gives up at once
    # (backoffLimit 0) with the condition Failed / BackoffLimitExceeded.
    kubelab.kube_options = kubelab.kube_options.__class__(poll=0.05, timeout=120.0)
    path = kubelab.root / "stacks" / "tail" / "stack.py"
    path.write_text(path.read_text() + JOB)
    started = time.monotonic()
    result = kubelab.apply()
    assert time.monotonic() - started < 60
    tail = result.stack("tail")
    assert tail is not None and tail.outcome is StackOutcome.FAILED
    assert tail.failure is FailureKind.NOT_READY
    assert "k8s:batch/v1:Job:apps/migrate" in tail.error
    assert "BackoffLimitExceeded" in tail.error
    assert "not ready in time" not in tail.error


def test_readiness_rules_say_finished_and_failed() -> None:
    failed_job = {"status": {"conditions": [{"type": "Failed", "status": "True",
                                             "reason": "BackoffLimitExceeded"}]}}
    assert readiness.job(failed_job) == Readiness(True, False,
                                                  "failed (BackoffLimitExceeded)")
    stuck = {"metadata": {"generation": 2}, "spec": {"replicas": 1},
             "status": {"observedGeneration": 2, "conditions": [
                 {"type": "Progressing", "status": "False",
                  "reason": "ProgressDeadlineExceeded", "message": "deadline exceeded"}]}}
    verdict = readiness.deployment(stuck)
    assert verdict.done and not verdict.ok and "deadline exceeded" in verdict.message
    rolling = {"metadata": {"generation": 2}, "spec": {"replicas": 2},
               "status": {"observedGeneration": 2, "replicas": 3, "updatedReplicas": 2,
                          "availableReplicas": 2}}
    assert not readiness.deployment(rolling).done  # an old replica is still there
    garbage = {"metadata": {"generation": "x"}, "spec": {"replicas": "three"}, "status": []}
    assert not readiness.deployment(garbage).ok


def test_a_crd_without_its_established_condition_is_still_waiting() -> None:
    assert readiness.crd({"status": {}}) == Readiness.waiting("no Established condition yet")
    established = {"status": {"conditions": [{"type": "Established", "status": "True"}]}}
    assert readiness.crd(established) == Readiness.ready("Established=True")


def test_pod_reasons_name_the_scheduler_and_the_containers_once_each() -> None:
    from homestack.providers.kubernetes.podreasons import pod_reasons, pod_selector

    unschedulable = {"status": {"conditions": [
        {"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
         "message": "0/3 nodes are available:\n 3 Insufficient memory."}]}}
    config = {"status": {"containerStatuses": [
        {"state": {"waiting": {"reason": "CreateContainerConfigError",
                               "message": "secret \"db\" not found"}}},
        {"state": {"waiting": {"reason": "ContainerCreating"}}}]}}
    crashing = {"status": {"containerStatuses": [
        {"state": {"waiting": {"reason": "CrashLoopBackOff"}}}]}}
    assert pod_reasons([unschedulable, unschedulable]) == \
        "pods: Unschedulable: 0/3 nodes are available: 3 Insufficient memory."
    assert pod_reasons([config, crashing, unschedulable]) == (
        'pods: CreateContainerConfigError: secret "db" not found; CrashLoopBackOff (+1 more)')
    assert pod_reasons([{"status": {"phase": "Running"}}]) == ""
    assert pod_selector({"spec": {"selector": {"matchLabels": {"app": "web"}}}}) == \
        {"app": "web"}
    assert pod_selector({"spec": {}}) is None


def test_a_quota_is_ready_once_the_controller_counted_every_limit() -> None:
    quota = {"spec": {"hard": {"pods": "10", "requests.memory": "3Gi"}}}
    assert not readiness.resource_quota(quota).done
    partly = {**quota, "status": {"hard": {"pods": "10"}}}
    assert not readiness.resource_quota(partly).done
    counted = {**quota, "status": {"hard": {"pods": "10", "requests.memory": "3Gi"}}}
    assert readiness.resource_quota(counted).ok


def test_a_deployment_whose_pods_are_refused_fails_unless_old_pods_can_make_room() -> None:
    refused = {"type": "ReplicaFailure", "status": "True", "reason": "FailedCreate",
               "message": 'pods "web-1" is forbidden: exceeded quota: homestack-quota'}
    fresh = {"metadata": {"generation": 1}, "spec": {"replicas": 4},
             "status": {"observedGeneration": 1, "replicas": 3, "updatedReplicas": 3,
                        "availableReplicas": 3, "conditions": [refused]}}
    verdict = readiness.deployment(fresh)
    assert verdict.done and not verdict.ok
    assert verdict.message == ('pods refused (FailedCreate): pods "web-1" is forbidden: '
                               "exceeded quota: homestack-quota")
    rolling = {**fresh, "status": {**fresh["status"], "replicas": 5}}  # two old ones left
    assert not readiness.deployment(rolling).done
