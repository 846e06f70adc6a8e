"""What a real cluster's controllers and admission plugins add to a namespace and a pod: the
`default` ServiceAccount, the account's token volume, the pod's priority, a claim's default
StorageClass, and the 403s when what a pod names does not exist."""

from __future__ import annotations

from typing import Any

from homestack_testing.kubeapi.client import Client

NS_URL = "/api/v1/namespaces"
PODS = "/api/v1/namespaces/default/pods"
TOKEN_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"


def _pod(name: str = "p", **spec: Any) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"containers": [{"name": "main", "image": "nginx:1.27"}], **spec}}


def test_every_namespace_gets_a_default_service_account(api: Client) -> None:
    assert api.get("/api/v1/namespaces/default/serviceaccounts/default").ok
    api.post(NS_URL, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team"}})
    account = api.get("/api/v1/namespaces/team/serviceaccounts/default")
    assert account.ok and account.body["metadata"]["namespace"] == "team"
    assert api.delete("/api/v1/namespaces/team/serviceaccounts/default").ok
    assert api.get("/api/v1/namespaces/team/serviceaccounts/default").ok  # back again
    api.delete(f"{NS_URL}/team")
    for _ in range(10):  # the namespace still goes: its account is not made again
        if api.get(f"{NS_URL}/team").code == 404:
            break
    assert api.get(f"{NS_URL}/team").code == 404


def test_a_pod_runs_as_its_service_account_with_the_token_mounted(api: Client) -> None:
    spec = api.post(PODS, _pod()).body["spec"]
    assert spec["serviceAccountName"] == spec["serviceAccount"] == "default"
    volume = spec["volumes"][0]
    assert volume["name"].startswith("kube-api-access-")
    assert volume["projected"]["sources"][0] == {
        "serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}}
    assert spec["containers"][0]["volumeMounts"] == [
        {"name": volume["name"], "readOnly": True, "mountPath": TOKEN_PATH}]
    quiet = api.post(PODS, _pod("q", automountServiceAccountToken=False)).body["spec"]
    assert "volumes" not in quiet


def test_a_pod_naming_a_missing_account_is_forbidden(api: Client) -> None:
    r = api.post(PODS, _pod(serviceAccountName="ghost"))
    assert r.code == 403 and r.body["message"] == (
        'pods "p" is forbidden: error looking up service account default/ghost: '
        'serviceaccount "ghost" not found')


def test_a_pod_gets_its_priority_from_its_class(api: Client) -> None:
    assert api.post(PODS, _pod()).body["spec"]["priority"] == 0
    critical = api.post(PODS, _pod("c", priorityClassName="system-cluster-critical")).body
    assert critical["spec"]["priority"] == 2000000000
    r = api.post(PODS, _pod("x", priorityClassName="nope"))
    assert r.code == 403 and r.body["message"] == (
        'pods "x" is forbidden: no PriorityClass with name nope was found')


def test_a_claim_without_a_class_gets_the_default_class(api: Client) -> None:
    claim = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "d"},
             "spec": {"accessModes": ["ReadWriteOnce"],
                      "resources": {"requests": {"storage": "1Gi"}}}}
    r = api.post("/api/v1/namespaces/default/persistentvolumeclaims", claim)
    assert r.body["spec"]["storageClassName"] == "local-path"  # the fixture's default class
    # set by admission after the field manager ran: owned by nobody
    owned = r.body["metadata"]["managedFields"][0]["fieldsV1"]["f:spec"]
    assert "f:storageClassName" not in owned
