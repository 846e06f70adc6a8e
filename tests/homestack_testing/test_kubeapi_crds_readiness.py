"""CRDs become served after a delay; the readiness simulator fills in status."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from homestack_testing.kubeapi import NEVER_READY, KubeApiServer
from homestack_testing.kubeapi.client import Client
from homestack_testing.kubeapi.samples import DEPLOY_URL, deployment

CRD: dict[str, Any] = {
    "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
    "metadata": {"name": "gadgets.example.com"},
    "spec": {"group": "example.com", "scope": "Namespaced",
             "names": {"kind": "Gadget", "plural": "gadgets", "singular": "gadget"},
             "versions": [{"name": "v1", "served": True, "storage": True,
                           "subresources": {"status": {}},
                           "schema": {"openAPIV3Schema": {
                               "type": "object",
                               "properties": {"spec": {
                                   "type": "object",
                                   "properties": {"items": {
                                       "type": "array", "x-kubernetes-list-type": "map",
                                       "x-kubernetes-list-map-keys": ["id"],
                                       "items": {"type": "object"}}},
                                   "x-kubernetes-preserve-unknown-fields": True}}}}}]},
}
CRD_URL = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
GADGETS = "/apis/example.com/v1/namespaces/default/gadgets"


def wait_for(check: Callable[[], bool], timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


def test_crd_served_after_delay_then_removed(kubeapi_factory: Callable[..., KubeApiServer]
                                            ) -> None:
    api = Client(kubeapi_factory(crd_delay_ms=150).url)
    assert api.post(CRD_URL, CRD).code == 201
    assert api.get("/apis/example.com/v1").code == 404  # not yet
    wait_for(lambda: api.get("/apis/example.com/v1").code == 200)
    groups = {g["name"] for g in api.get("/apis").body["groups"]}
    assert "example.com" in groups
    crd = api.get(f"{CRD_URL}/gadgets.example.com").body
    conditions = {c["type"]: c["status"] for c in crd["status"]["conditions"]}
    assert conditions == {"Established": "True", "NamesAccepted": "True"}

    gadget = {"apiVersion": "example.com/v1", "kind": "Gadget", "metadata": {"name": "g"},
              "spec": {"items": [{"id": "a", "v": 1}], "labels": {"x": "1"}, "tags": ["t"]}}
    r = api.apply(f"{GADGETS}/g", gadget, manager="alice")
    assert r.code == 201
    fields = r.body["metadata"]["managedFields"][0]["fieldsV1"]["f:spec"]
    assert 'k:{"id":"a"}' in fields["f:items"]  # list-map from the CRD schema
    assert fields["f:tags"] == {}  # schema-less lists are atomic
    assert fields["f:labels"] == {".": {}, "f:x": {}}  # schema-less maps are granular
    conflict = api.apply(f"{GADGETS}/g", {**gadget, "spec": {"tags": ["u"]}}, manager="bob")
    assert conflict.code == 409 and ".spec.tags" in conflict.body["message"]

    assert api.delete(f"{CRD_URL}/gadgets.example.com").code == 200
    assert api.get(f"{GADGETS}/g").code == 404
    assert api.get("/apis/example.com/v1").code == 404


def test_workloads_become_ready(api: Client) -> None:
    api.post(DEPLOY_URL, deployment(replicas=3))
    observed = api.get(f"{DEPLOY_URL}/web").body["status"]  # the controller's first look
    assert observed["observedGeneration"] == 1 and "readyReplicas" not in observed
    status = api.get(f"{DEPLOY_URL}/web").body["status"]
    assert status["readyReplicas"] == 3 and status["availableReplicas"] == 3
    assert status["observedGeneration"] == 1
    conds = {c["type"]: c["status"] for c in status["conditions"]}
    assert conds == {"Available": "True", "Progressing": "True"}
    live = api.get(f"{DEPLOY_URL}/web").body
    owners = {(e["manager"], e.get("subresource")) for e in live["metadata"]["managedFields"]}
    assert ("kube-controller-manager", "status") in owners
    assert live["metadata"]["generation"] == 1

    sts = deployment("db")
    sts["kind"] = "StatefulSet"
    sts["spec"]["serviceName"] = "db"
    api.post("/apis/apps/v1/namespaces/default/statefulsets", sts)
    ds = deployment("agent")
    ds["kind"] = "DaemonSet"
    del ds["spec"]["replicas"]
    api.post("/apis/apps/v1/namespaces/default/daemonsets", ds)
    job = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "migrate"},
           "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [
               {"name": "m", "image": "busybox"}]}}}}
    api.post("/apis/batch/v1/namespaces/default/jobs", job)
    pvc = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data"},
           "spec": {"accessModes": ["ReadWriteOnce"],
                    "resources": {"requests": {"storage": "1Gi"}}}}
    api.post("/api/v1/namespaces/default/persistentvolumeclaims", pvc)

    assert api.get("/apis/apps/v1/namespaces/default/statefulsets/db").body[
        "status"]["readyReplicas"] == 2
    assert api.get("/apis/apps/v1/namespaces/default/daemonsets/agent").body[
        "status"]["numberReady"] == 1
    job_status = api.get("/apis/batch/v1/namespaces/default/jobs/migrate").body["status"]
    assert job_status["succeeded"] == 1
    assert {"type": "Complete", "status": "True"}.items() <= job_status["conditions"][1].items()
    claim = api.get("/api/v1/namespaces/default/persistentvolumeclaims/data").body
    assert claim["status"]["phase"] == "Bound"
    assert claim["status"]["capacity"] == {"storage": "1Gi"}


def test_spec_change_is_observed_again(api: Client) -> None:
    api.post(DEPLOY_URL, deployment(replicas=1))
    api.get(f"{DEPLOY_URL}/web")
    assert api.get(f"{DEPLOY_URL}/web").body["status"]["readyReplicas"] == 1
    api.patch(f"{DEPLOY_URL}/web", {"spec": {"replicas": 4}})
    # Observed first, with the old pods still counted and one new pod surging...
    status = api.get(f"{DEPLOY_URL}/web").body["status"]
    assert status["observedGeneration"] == 2
    assert (status["replicas"], status["updatedReplicas"], status["readyReplicas"]) == (2, 1, 1)
    # ...then done.
    status = api.get(f"{DEPLOY_URL}/web").body["status"]
    assert status["observedGeneration"] == 2 and status["readyReplicas"] == 4


def test_ready_after_delay_and_never_ready(kubeapi_factory: Callable[..., KubeApiServer]
                                          ) -> None:
    api = Client(kubeapi_factory(ready_after_ms=200).url)
    api.post(DEPLOY_URL, deployment())
    slow = deployment("stuck")
    slow["metadata"]["annotations"] = {NEVER_READY: "true"}
    api.post(DEPLOY_URL, slow)
    assert "readyReplicas" not in api.get(f"{DEPLOY_URL}/web").body["status"]
    wait_for(lambda: api.get(f"{DEPLOY_URL}/web").body.get("status", {}).get(
        "readyReplicas") == 2)
    stuck = api.get(f"{DEPLOY_URL}/stuck").body["status"]
    assert "readyReplicas" not in stuck and stuck["unavailableReplicas"] == 2
    assert {c["type"]: c["status"] for c in stuck["conditions"]}["Available"] == "False"


def test_load_balancer_addresses(kubeapi_factory: Callable[..., KubeApiServer]) -> None:
    api = Client(kubeapi_factory(lb_range="192.0.2.10-192.0.2.12").url)
    url = "/api/v1/namespaces/default/services"

    def lb(name: str, **extra: Any) -> dict[str, Any]:
        svc: dict[str, Any] = {"apiVersion": "v1", "kind": "Service",
                               "metadata": {"name": name},
                               "spec": {"type": "LoadBalancer", "ports": [{"port": 443}]}}
        for key, value in extra.items():
            (svc["metadata"] if key == "annotations" else svc["spec"])[key] = value
        return svc

    api.post(url, lb("a"))
    api.post(url, lb("b", loadBalancerIP="192.0.2.50"))
    api.post(url, lb("c", annotations={"metallb.io/loadBalancerIPs": "192.0.2.60"}))
    api.post(url, {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "plain"},
                   "spec": {"ports": [{"port": 80}]}})

    def ip(name: str) -> str:
        return str(api.get(f"{url}/{name}").body["status"]["loadBalancer"]["ingress"][0]["ip"])

    assert ip("a") == "192.0.2.10"
    assert ip("b") == "192.0.2.50"
    assert ip("c") == "192.0.2.60"
    assert api.get(f"{url}/plain").body["status"] == {"loadBalancer": {}}
    node_port = api.get(f"{url}/a").body["spec"]["ports"][0]["nodePort"]
    assert 30000 <= node_port < 32768
