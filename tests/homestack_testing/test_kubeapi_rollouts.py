"""Rollouts pass through the intermediate states the real controllers report, and the
annotation ``kubeapi.homestack.test/fail: "true"`` makes a Deployment's rollout stick
(ProgressDeadlineExceeded) and a Job fail (BackoffLimitExceeded)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from homestack_testing.kubeapi import KubeApiServer
from homestack_testing.kubeapi.client import Client
from homestack_testing.kubeapi.readiness import FAIL
from homestack_testing.kubeapi.samples import DEPLOY_URL, deployment
from homestack_testing.kubectl import Kubectl, needs_kubectl

STS_URL = "/apis/apps/v1/namespaces/default/statefulsets"
DS_URL = "/apis/apps/v1/namespaces/default/daemonsets"
JOB_URL = "/apis/batch/v1/namespaces/default/jobs"


def _status(api: Client, url: str) -> dict[str, Any]:
    return api.get(url).body.get("status") or {}  # type: ignore[no-any-return]


def _conditions(status: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {c["type"]: (c["status"], c["reason"]) for c in status.get("conditions") or []}


def _settled(api: Client, url: str) -> dict[str, Any]:
    _status(api, url)
    return _status(api, url)


def test_deployment_update_counts_old_and_new_pods(api: Client) -> None:
    api.post(DEPLOY_URL, deployment("web", replicas=3))
    created = _status(api, f"{DEPLOY_URL}/web")
    assert created["observedGeneration"] == 1 and created["updatedReplicas"] == 3
    assert created["unavailableReplicas"] == 3 and "readyReplicas" not in created
    assert _conditions(created)["Available"] == ("False", "MinimumReplicasUnavailable")
    assert _status(api, f"{DEPLOY_URL}/web")["readyReplicas"] == 3
    api.patch(f"{DEPLOY_URL}/web", {"spec": {"template": {"spec": {"containers": [
        {"name": "main", "image": "nginx:1.28"}]}}}}, kind="strategic")
    rolling = _status(api, f"{DEPLOY_URL}/web")
    assert rolling["observedGeneration"] == 2
    assert (rolling["replicas"], rolling["updatedReplicas"], rolling["readyReplicas"],
            rolling["availableReplicas"]) == (4, 1, 3, 3)
    assert _conditions(rolling)["Progressing"] == ("True", "ReplicaSetUpdated")
    done = _status(api, f"{DEPLOY_URL}/web")
    assert (done["replicas"], done["updatedReplicas"], done["readyReplicas"]) == (3, 3, 3)
    assert _conditions(done)["Progressing"] == ("True", "NewReplicaSetAvailable")


def test_statefulset_reports_current_and_update_revisions(api: Client) -> None:
    sts = deployment("db", replicas=2)
    sts["kind"] = "StatefulSet"
    sts["spec"]["serviceName"] = "db"
    api.post(STS_URL, sts)
    first = _settled(api, f"{STS_URL}/db")
    assert first["currentRevision"] == first["updateRevision"]
    api.patch(f"{STS_URL}/db", {"spec": {"template": {"spec": {"containers": [
        {"name": "main", "image": "nginx:1.28"}]}}}}, kind="strategic")
    rolling = _status(api, f"{STS_URL}/db")
    assert rolling["observedGeneration"] == 2
    assert rolling["currentRevision"] == first["currentRevision"]
    assert rolling["updateRevision"] != first["updateRevision"]
    assert "updatedReplicas" not in rolling and rolling["readyReplicas"] == 2
    done = _status(api, f"{STS_URL}/db")
    assert done["currentRevision"] == done["updateRevision"] == rolling["updateRevision"]
    assert done["updatedReplicas"] == 2


def test_daemonset_reports_updated_number_scheduled(api: Client) -> None:
    ds = deployment("agent")
    ds["kind"] = "DaemonSet"
    del ds["spec"]["replicas"]
    api.post(DS_URL, ds)
    assert _settled(api, f"{DS_URL}/agent")["updatedNumberScheduled"] == 1
    api.patch(f"{DS_URL}/agent", {"spec": {"template": {"spec": {"containers": [
        {"name": "main", "image": "nginx:1.28"}]}}}}, kind="strategic")
    rolling = _status(api, f"{DS_URL}/agent")
    assert rolling["observedGeneration"] == 2 and rolling["updatedNumberScheduled"] == 0
    assert rolling["numberReady"] == 1
    assert _status(api, f"{DS_URL}/agent")["updatedNumberScheduled"] == 1


def test_stuck_rollout_reaches_progress_deadline_exceeded(
        kubeapi_factory: Callable[..., KubeApiServer]) -> None:
    api = Client(kubeapi_factory().url)
    stuck = deployment("web")
    stuck["metadata"]["annotations"] = {FAIL: "true"}
    # 0.6 s at the default deadline scale: long enough that a loaded machine still reads the
    # rollout before its deadline, short enough for a unit test.
    stuck["spec"]["progressDeadlineSeconds"] = 600
    api.post(DEPLOY_URL, stuck)
    early = _settled(api, f"{DEPLOY_URL}/web")
    assert _conditions(early)["Progressing"] == ("True", "ReplicaSetUpdated")
    time.sleep(0.7)
    late = _status(api, f"{DEPLOY_URL}/web")
    assert _conditions(late)["Progressing"] == ("False", "ProgressDeadlineExceeded")
    message = {c["type"]: c["message"] for c in late["conditions"]}["Progressing"]
    assert message.startswith('ReplicaSet "web-') and message.endswith(
        '" has timed out progressing.')
    assert "readyReplicas" not in late


def test_failing_job_reports_backoff_limit_exceeded(api: Client) -> None:
    job = {"apiVersion": "batch/v1", "kind": "Job",
           "metadata": {"name": "migrate", "annotations": {FAIL: "true"}},
           "spec": {"backoffLimit": 2, "template": {"spec": {
               "restartPolicy": "Never", "containers": [{"name": "m", "image": "busybox:1"}]}}}}
    api.post(JOB_URL, job)
    assert _status(api, f"{JOB_URL}/migrate")["active"] == 1
    failed = _status(api, f"{JOB_URL}/migrate")
    assert failed["failed"] == 3 and "succeeded" not in failed
    assert _conditions(failed)["Failed"] == ("True", "BackoffLimitExceeded")


@needs_kubectl
def test_kubectl_rollout_status_sees_the_deadline(kubectl: Kubectl) -> None:
    manifest = deployment("web")
    manifest["metadata"]["annotations"] = {FAIL: "true"}
    manifest["spec"]["progressDeadlineSeconds"] = 30
    assert kubectl.apply(json.dumps(manifest)).returncode == 0
    r = kubectl("rollout", "status", "deployment/web", "--timeout=20s")
    assert r.returncode == 1
    assert 'deployment "web" exceeded its progress deadline' in r.stderr
