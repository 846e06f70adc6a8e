"""Immutable fields and forbidden transitions are refused with 422 as kube-apiserver
refuses them, and objects are stored in canonical form (quantities, empty maps)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from homestack_testing.kubeapi.client import Client
from homestack_testing.kubeapi.samples import CM_URL, DEPLOY_URL, configmap, deployment
from homestack_testing.kubectl import Kubectl, needs_kubectl

JOB = """
apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: m, image: "IMAGE"}]
"""

STS = """
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: SERVICE
  replicas: REPLICAS
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: "postgres:16"}]
"""

PVC = """
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [MODE]
  resources: {requests: {storage: SIZE}}
"""

PVC_URL = "/api/v1/namespaces/default/persistentvolumeclaims"


def _invalid(stderr: str, kind: str, name: str) -> bool:
    return f'The {kind} "{name}" is invalid' in stderr


@needs_kubectl
def test_job_template_is_immutable(kubectl: Kubectl) -> None:
    assert kubectl.apply(JOB.replace("IMAGE", "busybox:1.36")).returncode == 0
    r = kubectl.apply(JOB.replace("IMAGE", "busybox:1.37"))
    assert r.returncode == 1 and _invalid(r.stderr, "Job", "migrate")
    assert "spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable" \
        in r.stderr


@needs_kubectl
def test_deployment_selector_is_immutable_even_forced(kubectl: Kubectl) -> None:
    manifest = json.dumps(deployment("web"))
    assert kubectl.apply(manifest).returncode == 0
    moved = deployment("web")
    moved["spec"]["selector"]["matchLabels"]["tier"] = "front"
    moved["spec"]["template"]["metadata"]["labels"]["tier"] = "front"
    r = kubectl.apply(json.dumps(moved), "--force-conflicts")
    assert r.returncode == 1
    assert ('spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string'
            '{"app":"web", "tier":"front"}, MatchExpressions:[]v1.LabelSelectorRequirement'
            '(nil)}: field is immutable') in r.stderr


def test_selector_must_match_template_labels(api: Client) -> None:
    bad = deployment("web")
    bad["spec"]["template"]["metadata"]["labels"] = {"app": "other"}
    r = api.post(DEPLOY_URL, bad)
    assert r.code == 422
    assert r.body["details"]["causes"] == [{
        "reason": "FieldValueInvalid", "field": "spec.template.metadata.labels",
        "message": 'Invalid value: map[string]string{"app":"other"}: `selector` does not match '
                   "template `labels`"}]


@needs_kubectl
def test_statefulset_allows_only_some_spec_changes(kubectl: Kubectl) -> None:
    base = STS.replace("SERVICE", "db").replace("REPLICAS", "1")
    assert kubectl.apply(base).returncode == 0
    assert kubectl.apply(base.replace("replicas: 1", "replicas: 3")).returncode == 0
    r = kubectl.apply(STS.replace("SERVICE", "db-headless").replace("REPLICAS", "3"))
    assert r.returncode == 1 and _invalid(r.stderr, "StatefulSet", "db")
    assert ("spec: Forbidden: updates to statefulset spec for fields other than 'replicas', "
            "'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' "
            "and 'minReadySeconds' are forbidden") in r.stderr


@needs_kubectl
def test_bound_claims_only_grow(kubectl: Kubectl) -> None:
    first = PVC.replace("MODE", "ReadWriteOnce")
    assert kubectl.apply(first.replace("SIZE", "1Gi")).returncode == 0
    # A claim binds a few requests after its creation (the provisioner's turn comes first).
    phases = [kubectl("get", "pvc", "data", "-o", "jsonpath={.status.phase}").stdout
              for _ in range(3)]
    assert phases[-1] == "Bound", phases
    assert kubectl.apply(first.replace("SIZE", "2Gi")).returncode == 0
    r = kubectl.apply(first.replace("SIZE", "1Gi"))
    assert r.returncode == 1
    assert ("spec.resources.requests.storage: Forbidden: field can not be less than previous "
            "value") in r.stderr
    r = kubectl.apply(PVC.replace("MODE", "ReadWriteMany").replace("SIZE", "2Gi"))
    assert r.returncode == 1
    assert ("spec: Forbidden: spec is immutable after creation except resources.requests and "
            "volumeAttributesClassName for bound claims") in r.stderr


@needs_kubectl
def test_service_cluster_ip_may_not_change(kubectl: Kubectl) -> None:
    svc = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n"
    assert kubectl.apply(svc).returncode == 0
    r = kubectl("patch", "service", "web", "--type=merge", "-p",
                '{"spec":{"clusterIP":"10.96.99.99","clusterIPs":["10.96.99.99"]}}')
    assert r.returncode == 1
    assert 'spec.clusterIPs[0]: Invalid value: []string{"10.96.99.99"}: may not change once ' \
           "set" in r.stderr


@needs_kubectl
def test_immutable_configmap_refuses_edits(kubectl: Kubectl) -> None:
    cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\nimmutable: true\ndata: {a: '1'}\n"
    assert kubectl.apply(cm).returncode == 0
    r = kubectl.apply(cm.replace("'1'", "'2'"))
    assert r.returncode == 1
    assert "data: Forbidden: field is immutable when `immutable` is set" in r.stderr
    r = kubectl("patch", "configmap", "cfg", "--type=merge", "-p", '{"immutable":false}')
    assert "immutable: Forbidden: field is immutable when `immutable` is set" in r.stderr


def test_recreate_with_rolling_update_is_forbidden(api: Client) -> None:
    api.apply(f"{DEPLOY_URL}/web", deployment("web"), manager="alice")
    recreate = deployment("web")
    recreate["spec"]["strategy"] = {"type": "Recreate"}
    # The defaulted rollingUpdate is owned by nobody, so apply keeps it: the real 422.
    r = api.apply(f"{DEPLOY_URL}/web", recreate, manager="alice")
    assert r.code == 422
    assert r.body["details"]["causes"] == [{
        "reason": "FieldValueForbidden", "field": "spec.strategy.rollingUpdate",
        "message": "Forbidden: may not be specified when strategy `type` is 'Recreate'"}]
    recreate["spec"]["strategy"]["rollingUpdate"] = None
    assert api.apply(f"{DEPLOY_URL}/web", recreate, manager="alice").code == 200


def test_pod_spec_is_immutable_except_images(api: Client) -> None:
    url = "/api/v1/namespaces/default/pods"
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
           "spec": {"containers": [{"name": "c", "image": "busybox:1.36"}]}}
    assert api.apply(f"{url}/p", pod).code == 201
    pod["spec"]["containers"][0]["image"] = "busybox:1.37"
    assert api.apply(f"{url}/p", pod).code == 200
    pod["spec"]["containers"][0]["args"] = ["sleep", "1"]
    r = api.apply(f"{url}/p", pod)
    assert r.code == 422
    assert r.body["details"]["causes"][0]["message"].startswith(
        "Forbidden: pod updates may not change fields other than `spec.containers[*].image`")


@needs_kubectl
def test_quantities_and_empty_maps_are_stored_canonically(kubectl: Kubectl) -> None:
    manifest = deployment("web")
    manifest["metadata"]["annotations"] = {}
    manifest["spec"]["template"]["spec"]["containers"][0]["resources"] = {
        "requests": {"cpu": "0.5", "memory": "1024Mi", "ephemeral-storage": "1.5Gi"},
        "limits": {"cpu": "1000m", "memory": "2048Mi"}}
    assert kubectl.apply(json.dumps(manifest)).returncode == 0
    live = json.loads(kubectl("get", "deployment", "web", "-o", "json").stdout)
    resources = live["spec"]["template"]["spec"]["containers"][0]["resources"]
    assert resources == {"requests": {"cpu": "500m", "memory": "1Gi",
                                      "ephemeral-storage": "1536Mi"},
                         "limits": {"cpu": "1", "memory": "2Gi"}}
    assert "annotations" not in live["metadata"]
    live = json.loads(kubectl("get", "deployment", "web", "-o", "json").stdout)
    assert live["status"]["readyReplicas"] == 2  # the rollout has settled
    assert kubectl.apply(json.dumps(manifest)).returncode == 0
    again = json.loads(kubectl("get", "deployment", "web", "-o", "json").stdout)
    # Re-applying the same (non-canonical) manifest is a no-op.
    assert again["metadata"]["resourceVersion"] == live["metadata"]["resourceVersion"]


def test_empty_data_and_labels_are_dropped(api: Client) -> None:
    cm = configmap("cfg")
    cm["metadata"]["labels"] = {}
    r = api.post(CM_URL, cm)
    assert r.code == 201
    assert "data" not in r.body and "labels" not in r.body["metadata"]


def test_invalid_quantity_is_a_decoding_400(api: Client) -> None:
    pvc = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "d"},
           "spec": {"accessModes": ["ReadWriteOnce"],
                    "resources": {"requests": {"storage": "lots"}}}}
    r = api.post(PVC_URL, pvc)
    assert r.code == 400
    assert r.body["message"].endswith(
        "quantities must match the regular expression "
        "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")


RBAC = "rbac.authorization.k8s.io"
SC = {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": "fast"},
      "provisioner": "example.org/fast", "parameters": {"tier": "fast"}}


@pytest.mark.parametrize(("url", "body", "patch", "cause"), [
    ("/apis/storage.k8s.io/v1/storageclasses", SC, {"parameters": {"tier": "slow"}},
     ("parameters", "Forbidden: updates to parameters are forbidden.")),
    ("/apis/storage.k8s.io/v1/storageclasses", SC, {"provisioner": "example.org/other"},
     ("provisioner", "Forbidden: updates to provisioner are forbidden.")),
    ("/apis/storage.k8s.io/v1/storageclasses", SC, {"reclaimPolicy": "Retain"},
     ("reclaimPolicy", "Forbidden: updates to reclaimPolicy are forbidden.")),
    ("/apis/storage.k8s.io/v1/storageclasses", SC,
     {"volumeBindingMode": "WaitForFirstConsumer"},
     ("volumeBindingMode", 'Invalid value: "WaitForFirstConsumer": field is immutable')),
    (f"/apis/{RBAC}/v1/namespaces/default/rolebindings",
     {"apiVersion": f"{RBAC}/v1", "kind": "RoleBinding", "metadata": {"name": "rb"},
      "roleRef": {"apiGroup": RBAC, "kind": "ClusterRole", "name": "view"}},
     {"roleRef": {"name": "edit"}},
     ("roleRef", 'Invalid value: {"APIGroup":"rbac.authorization.k8s.io","Kind":"ClusterRole",'
                 '"Name":"edit"}: cannot change roleRef')),
    ("/apis/scheduling.k8s.io/v1/priorityclasses",
     {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
      "metadata": {"name": "high"}, "value": 1000}, {"value": 2000},
     ("value", "Forbidden: may not be changed in an update.")),
    ("/api/v1/namespaces/default/secrets",
     {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "type": "Opaque"},
     {"type": "example.org/other"}, ("type", 'Invalid value: "example.org/other": field is '
                                             "immutable")),
])
def test_immutable_fields(api: Client, url: str, body: dict[str, Any], patch: dict[str, Any],
                          cause: tuple[str, str]) -> None:
    assert api.post(url, body).code == 201
    r = api.patch(f"{url}/{body['metadata']['name']}", patch)
    assert r.code == 422, r.body
    assert [(c["field"], c["message"]) for c in r.body["details"]["causes"]] == [cause]


def test_a_pending_claim_cannot_grow(api: Client) -> None:
    claim = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "d"},
             "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "nowhere",
                      "resources": {"requests": {"storage": "1Gi"}}}}
    api.post(PVC_URL, claim)
    r = api.patch(f"{PVC_URL}/d", {"spec": {"resources": {"requests": {"storage": "2Gi"}}}})
    assert r.code == 422 and r.body["details"]["causes"][0]["field"] == "spec"
