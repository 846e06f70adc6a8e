"""Deletion, binding and listing as a real cluster does them: namespaces terminate in the
background, finalizers and propagation policies hold objects, claims bind only through
a StorageClass, LIST pages, unserved kinds are 404 and dryRun takes only "All"."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest

from homestack_testing.kubeapi import KubeApiServer
from homestack_testing.kubeapi.client import Client
from homestack_testing.kubeapi.samples import CM_URL, DEPLOY_URL, configmap, deployment
from homestack_testing.kubectl import Kubectl, needs_kubectl

NS_URL = "/api/v1/namespaces"
PVC_URL = "/api/v1/namespaces/default/persistentvolumeclaims"
EVENTS_URL = "/api/v1/namespaces/default/events"
CRD_URL = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"


def _until(check: Callable[[], bool], tries: int = 50) -> bool:
    """Poll: each request lets the server's controllers take one step."""
    for _ in range(tries):
        if check():
            return True
        time.sleep(0.01)
    return False


def _namespace(api: Client, name: str) -> None:
    assert api.post(NS_URL, {"apiVersion": "v1", "kind": "Namespace",
                             "metadata": {"name": name}}).code == 201


def test_namespace_terminates_in_the_background(api: Client) -> None:
    _namespace(api, "team")
    held = configmap("held", ns="team")
    held["metadata"]["finalizers"] = ["example.com/hold"]
    api.post(f"{NS_URL}/team/configmaps", held)
    api.post(f"{NS_URL}/team/configmaps", configmap("free", ns="team"))
    r = api.delete(f"{NS_URL}/team")
    assert r.code == 200
    assert r.body["status"]["phase"] == "Terminating" and r.body["metadata"]["deletionTimestamp"]
    # Deleted again: the real 409, and new content is refused with 403.
    again = api.delete(f"{NS_URL}/team")
    assert again.code == 409 and again.body["reason"] == "Conflict"
    assert again.body["message"] == (
        'Operation cannot be fulfilled on namespaces "team": The system is ensuring all '
        "content is removed from this namespace.  Upon completion, this namespace will "
        "automatically be purged by the system.")
    r = api.post(f"{NS_URL}/team/configmaps", configmap("late", ns="team"))
    assert r.code == 403 and r.body["reason"] == "Forbidden"
    assert r.body["message"] == ('configmaps "late" is forbidden: unable to create new content '
                                 "in namespace team because it is being terminated")
    # The finalizer holds the content, and the content holds the namespace.
    assert _until(lambda: api.get(f"{NS_URL}/team/configmaps/free").code == 404)
    held_now = api.get(f"{NS_URL}/team/configmaps/held").body
    assert held_now["metadata"]["deletionTimestamp"]
    assert api.get(f"{NS_URL}/team").body["status"]["phase"] == "Terminating"
    api.patch(f"{NS_URL}/team/configmaps/held", {"metadata": {"finalizers": None}})
    assert _until(lambda: api.get(f"{NS_URL}/team").code == 404)


def test_deletion_delay_keeps_the_content_a_while(
        kubeapi_factory: Callable[..., KubeApiServer]) -> None:
    api = Client(kubeapi_factory(deletion_delay_ms=300).url)
    _namespace(api, "slow")
    api.post(f"{NS_URL}/slow/configmaps", configmap("a", ns="slow"))
    api.delete(f"{NS_URL}/slow")
    assert api.get(f"{NS_URL}/slow/configmaps/a").code == 200
    assert api.get(f"{NS_URL}/slow").body["status"]["phase"] == "Terminating"


def _owned_configmap(owner: dict[str, Any]) -> dict[str, Any]:
    cm = configmap("child")
    cm["metadata"]["ownerReferences"] = [{
        "apiVersion": "apps/v1", "kind": "Deployment", "name": owner["metadata"]["name"],
        "uid": owner["metadata"]["uid"], "blockOwnerDeletion": True}]
    return cm


@pytest.mark.parametrize("policy", ["Background", "Foreground", "Orphan"])
def test_propagation_policies(api: Client, policy: str) -> None:
    owner = api.post(DEPLOY_URL, deployment("web")).body
    api.post(CM_URL, _owned_configmap(owner))
    r = api.delete(f"{DEPLOY_URL}/web", {"propagationPolicy": policy})
    assert r.code == 200
    if policy == "Background":
        assert "deletionTimestamp" not in r.body  # gone at once; the child follows
        assert _until(lambda: api.get(f"{CM_URL}/child").code == 404)
    elif policy == "Foreground":
        assert r.body["metadata"]["finalizers"] == ["foregroundDeletion"]
        assert r.body["metadata"]["deletionTimestamp"]
        assert _until(lambda: api.get(f"{DEPLOY_URL}/web").code == 404)
        assert api.get(f"{CM_URL}/child").code == 404
    else:
        assert r.body["metadata"]["finalizers"] == ["orphan"]
        assert _until(lambda: api.get(f"{DEPLOY_URL}/web").code == 404)
        child = api.get(f"{CM_URL}/child").body
        assert "ownerReferences" not in child["metadata"]


def _claim(name: str, storage_class: str | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {"accessModes": ["ReadWriteOnce"],
                            "resources": {"requests": {"storage": "1Gi"}}}
    if storage_class is not None:
        spec["storageClassName"] = storage_class
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": name},
            "spec": spec}


def _phase(api: Client, name: str) -> str:
    return str(api.get(f"{PVC_URL}/{name}").body["status"]["phase"])


def _events(api: Client, claim: str) -> list[tuple[str, str, str]]:
    return [(e["type"], e["reason"], e["message"]) for e in api.get(EVENTS_URL).body["items"]
            if e["involvedObject"]["name"] == claim]


def _mounting(claim: str) -> dict[str, Any]:
    d = deployment("user")
    d["spec"]["template"]["spec"]["volumes"] = [
        {"name": "data", "persistentVolumeClaim": {"claimName": claim}}]
    return d


def test_claims_bind_only_through_a_storage_class(api: Client) -> None:
    api.post(PVC_URL, _claim("missing", "fast"))
    api.post(PVC_URL, _claim("default"))  # the cluster's default class
    # Handed to the provisioner first, bound at a later request: never at the very next one.
    assert _phase(api, "default") == "Pending"
    assert _until(lambda: _phase(api, "default") == "Bound")
    assert _phase(api, "missing") == "Pending"
    assert _events(api, "missing") == [
        ("Warning", "ProvisioningFailed", 'storageclass.storage.k8s.io "fast" not found')]
    api.post("/apis/storage.k8s.io/v1/storageclasses", {
        "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": "fast"},
        "provisioner": "example.com/fast"})
    assert _until(lambda: _phase(api, "missing") == "Bound")


def test_wait_for_first_consumer_binds_when_a_template_mounts_the_claim(api: Client) -> None:
    api.post("/apis/storage.k8s.io/v1/storageclasses", {
        "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": "local"},
        "provisioner": "example.com/local", "volumeBindingMode": "WaitForFirstConsumer"})
    api.post(PVC_URL, _claim("data", "local"))
    assert _phase(api, "data") == "Pending"
    assert _events(api, "data") == [
        ("Normal", "WaitForFirstConsumer",
         "waiting for first consumer to be created before binding")]
    api.post(DEPLOY_URL, _mounting("data"))
    assert _until(lambda: _phase(api, "data") == "Bound")


def test_pvc_protection_holds_a_claim_while_a_template_mounts_it(api: Client) -> None:
    created = api.post(PVC_URL, _claim("data")).body
    assert created["metadata"]["finalizers"] == ["kubernetes.io/pvc-protection"]
    api.post(DEPLOY_URL, _mounting("data"))
    r = api.delete(f"{PVC_URL}/data")
    assert r.code == 200 and r.body["metadata"]["deletionTimestamp"]
    assert not _until(lambda: api.get(f"{PVC_URL}/data").code == 404, tries=3)
    api.delete(f"{DEPLOY_URL}/user")
    assert _until(lambda: api.get(f"{PVC_URL}/data").code == 404)


def test_crd_deletion_waits_for_its_custom_resources(api: Client) -> None:
    crd = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
           "metadata": {"name": "widgets.example.com"},
           "spec": {"group": "example.com", "scope": "Namespaced",
                    "names": {"kind": "Widget", "plural": "widgets"},
                    "versions": [{"name": "v1", "served": True, "storage": True, "schema": {
                        "openAPIV3Schema": {"type": "object",
                                            "x-kubernetes-preserve-unknown-fields": True}}}]}}
    api.post(CRD_URL, crd)
    url = "/apis/example.com/v1/namespaces/default/widgets"
    assert _until(lambda: api.get(url).code == 200)
    held = {"apiVersion": "example.com/v1", "kind": "Widget",
            "metadata": {"name": "w", "finalizers": ["example.com/hold"]}}
    assert api.post(url, held).code == 201
    r = api.delete(f"{CRD_URL}/widgets.example.com")
    assert r.body["metadata"]["deletionTimestamp"]
    assert _until(lambda: bool(api.get(f"{url}/w").body["metadata"].get("deletionTimestamp")))
    r = api.post(url, {"apiVersion": "example.com/v1", "kind": "Widget",
                       "metadata": {"name": "late"}})
    assert r.code == 405
    assert r.body["message"] == ("create is not allowed while custom resource definition is "
                                 "terminating")
    assert api.get(f"{CRD_URL}/widgets.example.com").code == 200
    api.patch(f"{url}/w", {"metadata": {"finalizers": None}})
    assert _until(lambda: api.get(f"{CRD_URL}/widgets.example.com").code == 404)
    assert api.get(url).code == 404


def test_list_pages_with_limit_and_continue(api: Client) -> None:
    for i in range(5):
        api.post(CM_URL, configmap(f"cm{i}"))
    first = api.get(f"{CM_URL}?limit=2").body
    assert [i["metadata"]["name"] for i in first["items"]] == ["cm0", "cm1"]
    assert first["metadata"]["remainingItemCount"] == 3
    token = first["metadata"]["continue"]
    second = api.get(f"{CM_URL}?limit=2&continue={token}").body
    assert [i["metadata"]["name"] for i in second["items"]] == ["cm2", "cm3"]
    third = api.get(f"{CM_URL}?limit=2&continue={second['metadata']['continue']}").body
    assert [i["metadata"]["name"] for i in third["items"]] == ["cm4"]
    assert "continue" not in third["metadata"]
    assert api.get(f"{CM_URL}?limit=2&continue=garbage!").code == 400


@needs_kubectl
def test_kubectl_pages_and_sees_terminating_namespaces(kubectl: Kubectl) -> None:
    docs = [json.dumps(configmap(f"cm{i}")) for i in range(7)]
    assert kubectl("apply", "--server-side", "-f", "-", stdin="\n".join(docs)).returncode == 0
    r = kubectl("get", "configmaps", "--chunk-size=2", "-o", "name")
    assert r.stdout.split() == [f"configmap/cm{i}" for i in range(7)]
    assert kubectl.apply("apiVersion: v1\nkind: Namespace\nmetadata: {name: gone}\n"
                         ).returncode == 0
    hold = configmap("held", ns="gone")
    hold["metadata"]["finalizers"] = ["example.com/hold"]
    assert kubectl.apply(json.dumps(hold)).returncode == 0
    assert kubectl("delete", "namespace", "gone", "--wait=false").returncode == 0
    r = kubectl("get", "namespace", "gone", "-o", "jsonpath={.status.phase}")
    assert r.stdout == "Terminating"
    r = kubectl.apply(json.dumps(configmap("new", ns="gone")))
    assert r.returncode == 1
    assert "unable to create new content in namespace gone because it is being terminated" \
        in r.stderr


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE"])
def test_unserved_kinds_are_404_on_every_verb(api: Client, method: str) -> None:
    # A group the server does not serve: the request mux's plain text, as kube-apiserver.
    for path in ("/apis/example.com/v1/namespaces/default/widgets",
                 "/apis/example.com/v1/namespaces/default/widgets/w"):
        r = api.request(method, path, {} if method != "GET" else None)
        assert r.code == 404 and r.body == "404 page not found\n", (method, path, r.code)
    # An unknown resource of a served group version: a NotFound Status.
    r = api.request(method, "/api/v1/namespaces/default/gizmos/g",
                    {} if method != "GET" else None)
    assert r.code == 404 and r.body["reason"] == "NotFound", (method, r.code)


def test_dry_run_takes_only_all(api: Client) -> None:
    r = api.post(f"{CM_URL}?dryRun=Server", configmap())
    assert r.code == 422 and r.body["reason"] == "Invalid"
    assert r.body["message"] == 'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported ' \
                                'value: []string{"Server"}: supported values: "All"'
    assert r.body["details"]["causes"] == [{
        "reason": "FieldValueNotSupported", "field": "dryRun",
        "message": 'Unsupported value: []string{"Server"}: supported values: "All"'}]
    assert api.post(f"{CM_URL}?dryRun=All", configmap()).code == 201
    assert api.get(f"{CM_URL}/cfg").code == 404
