"""The /scale subresource of workloads (an autoscaling/v1 Scale over spec.replicas, with the
field ownership a real server records for it) and a namespace's /finalize."""

from __future__ import annotations

import pytest

from homestack_testing.kubeapi.client import Client
from homestack_testing.kubeapi.samples import DEPLOY_URL, deployment
from homestack_testing.kubectl import Kubectl, needs_kubectl

NS_URL = "/api/v1/namespaces"


def _scale(replicas: int, name: str = "web") -> dict[str, object]:
    return {"apiVersion": "autoscaling/v1", "kind": "Scale",
            "metadata": {"name": name, "namespace": "default"}, "spec": {"replicas": replicas}}


def test_scale_reads_and_writes_the_workloads_replicas(api: Client) -> None:
    made = api.post(DEPLOY_URL, deployment(replicas=2)).body
    scale = api.get(f"{DEPLOY_URL}/web/scale").body
    assert scale["kind"] == "Scale" and scale["apiVersion"] == "autoscaling/v1"
    assert scale["spec"] == {"replicas": 2} and scale["status"]["selector"] == "app=web"
    assert scale["metadata"]["uid"] == made["metadata"]["uid"]
    r = api.patch(f"{DEPLOY_URL}/web/scale", {"spec": {"replicas": 3}})
    assert r.code == 200 and r.body["spec"] == {"replicas": 3}
    r = api.put(f"{DEPLOY_URL}/web/scale", _scale(4))
    assert r.code == 200 and r.body["spec"] == {"replicas": 4}
    live = api.get(f"{DEPLOY_URL}/web").body
    assert live["spec"]["replicas"] == 4 and live["metadata"]["generation"] == 3


def test_scale_refuses_what_the_real_one_refuses(api: Client) -> None:
    api.post(DEPLOY_URL, deployment(replicas=2))
    r = api.put(f"{DEPLOY_URL}/web/scale", _scale(-1))
    assert r.code == 422 and r.body["message"] == (
        'Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater '
        "than or equal to 0")
    stale = {**_scale(3), "metadata": {"name": "web", "resourceVersion": "1"}}
    assert api.put(f"{DEPLOY_URL}/web/scale", stale).code == 409
    assert api.put(f"{DEPLOY_URL}/web/scale", _scale(3, "other")).code == 400
    assert api.get(f"{DEPLOY_URL}/none/scale").code == 404
    assert api.get("/apis/apps/v1/namespaces/default/daemonsets/x/scale").code == 404


def test_a_scale_writer_takes_replicas_from_the_applier(api: Client) -> None:
    api.apply(f"{DEPLOY_URL}/web", deployment(replicas=2), manager="cd")
    api.patch(f"{DEPLOY_URL}/web/scale?fieldManager=hpa", {"spec": {"replicas": 5}})
    entries = api.get(f"{DEPLOY_URL}/web").body["metadata"]["managedFields"]
    hpa = next(e for e in entries if e["manager"] == "hpa")
    assert (hpa["operation"], hpa["subresource"], hpa["apiVersion"]) == (
        "Update", "scale", "apps/v1")
    assert hpa["fieldsV1"] == {"f:spec": {"f:replicas": {}}}
    r = api.apply(f"{DEPLOY_URL}/web", deployment(replicas=2), manager="cd")
    assert r.code == 409 and r.body["message"] == (
        'Apply failed with 1 conflict: conflict with "hpa" with subresource "scale" using '
        "apps/v1: .spec.replicas")


def test_scale_can_be_applied(api: Client) -> None:
    api.post(DEPLOY_URL, deployment(replicas=2))
    scale = {"apiVersion": "autoscaling/v1", "kind": "Scale", "metadata": {"name": "web"},
             "spec": {"replicas": 6}}
    r = api.apply(f"{DEPLOY_URL}/web/scale", scale, manager="autoscaler")
    assert r.code == 409  # the creator owns .spec.replicas
    r = api.apply(f"{DEPLOY_URL}/web/scale", scale, manager="autoscaler", force=True)
    assert r.code == 200 and r.body["spec"] == {"replicas": 6}
    live = api.get(f"{DEPLOY_URL}/web").body
    mine = next(e for e in live["metadata"]["managedFields"] if e["manager"] == "autoscaler")
    assert (mine["operation"], mine["subresource"]) == ("Apply", "scale")


def test_discovery_lists_the_scale_subresources(api: Client) -> None:
    names = {r["name"]: r for r in api.get("/apis/apps/v1").body["resources"]}
    assert {"deployments/scale", "statefulsets/scale", "replicasets/scale"} <= set(names)
    assert "daemonsets/scale" not in names
    assert (names["deployments/scale"]["group"], names["deployments/scale"]["kind"]) == (
        "autoscaling", "Scale")


@needs_kubectl
def test_kubectl_scale(kubectl: Kubectl, api: Client) -> None:
    api.post(DEPLOY_URL, deployment(replicas=2))
    r = kubectl("scale", "deployment/web", "--replicas=4")
    assert r.returncode == 0, r.stderr
    assert api.get(f"{DEPLOY_URL}/web").body["spec"]["replicas"] == 4


@pytest.mark.parametrize("terminating", [False, True])
def test_finalize_changes_only_the_namespace_finalizers(api: Client, terminating: bool) -> None:
    api.post(NS_URL, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team"}})
    if terminating:
        api.delete(f"{NS_URL}/team")
    body = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team"},
            "spec": {"finalizers": []}, "status": {"phase": "Gone"}}
    r = api.put(f"{NS_URL}/team/finalize", body)
    assert r.code == 200 and "finalizers" not in r.body["spec"]
    assert r.body["status"]["phase"] == ("Terminating" if terminating else "Active")
    # A terminating namespace left without finalizers goes at once.
    assert api.get(f"{NS_URL}/team").code == (404 if terminating else 200)
    assert api.get(f"{NS_URL}/team/finalize").code == 405
