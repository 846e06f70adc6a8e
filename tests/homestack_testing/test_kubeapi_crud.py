"""CRUD, selectors, patches, concurrency, dry-run, deletion semantics over HTTP."""

from __future__ import annotations

import pytest

from homestack_testing.kubeapi.client import Client
from homestack_testing.kubeapi.samples import CM_URL, DEPLOY_URL, configmap, deployment


def test_discovery_documents(api: Client) -> None:
    assert api.get("/api").body["versions"] == ["v1"]
    groups = {g["name"] for g in api.get("/apis").body["groups"]}
    assert {"apps", "batch", "networking.k8s.io", "rbac.authorization.k8s.io",
            "apiextensions.k8s.io", "coordination.k8s.io"} <= groups
    core = {r["name"] for r in api.get("/api/v1").body["resources"]}
    assert {"namespaces", "configmaps", "secrets", "services", "pods",
            "persistentvolumeclaims", "endpoints", "deployments/status"} - {
        "deployments/status"} <= core
    apps = api.get("/apis/apps/v1").body
    deploy = next(r for r in apps["resources"] if r["name"] == "deployments")
    assert deploy["namespaced"] and deploy["kind"] == "Deployment"
    assert api.get("/version").body["major"] == "1"
    assert api.get("/apis/nope/v1").code == 404


def test_create_get_list_update_delete(api: Client) -> None:
    r = api.post(CM_URL, configmap(a="1"))
    assert r.code == 201
    meta = r.body["metadata"]
    assert meta["uid"] and meta["generation"] == 1 and meta["creationTimestamp"]
    assert api.post(CM_URL, configmap(a="1")).body["reason"] == "AlreadyExists"
    got = api.get(f"{CM_URL}/cfg").body
    got["data"]["a"] = "2"
    r = api.put(f"{CM_URL}/cfg", got)
    assert r.code == 200 and r.body["metadata"]["generation"] == 2
    assert int(r.body["metadata"]["resourceVersion"]) > int(meta["resourceVersion"])
    listing = api.get(CM_URL).body
    assert listing["kind"] == "ConfigMapList" and len(listing["items"]) == 1
    assert api.delete(f"{CM_URL}/cfg").code == 200
    missing = api.get(f"{CM_URL}/cfg")
    assert missing.code == 404
    assert missing.body == {"kind": "Status", "apiVersion": "v1", "metadata": {},
                            "status": "Failure", "message": 'configmaps "cfg" not found',
                            "reason": "NotFound", "code": 404,
                            "details": {"name": "cfg", "kind": "configmaps"}}


def test_stale_resource_version_conflicts(api: Client) -> None:
    api.post(CM_URL, configmap(a="1"))
    first = api.get(f"{CM_URL}/cfg").body
    stale = dict(first, data={"a": "2"})
    assert api.put(f"{CM_URL}/cfg", stale).code == 200
    r = api.put(f"{CM_URL}/cfg", dict(first, data={"a": "3"}))
    assert r.code == 409 and r.body["reason"] == "Conflict"
    assert "the object has been modified" in r.body["message"]


def test_create_in_missing_namespace_is_not_found(api: Client) -> None:
    r = api.post("/api/v1/namespaces/ghost/configmaps", configmap(ns="ghost"))
    assert r.code == 404 and r.body["message"] == 'namespaces "ghost" not found'


@pytest.mark.parametrize(("selector", "expected"), [
    ("tier=web", ["a", "b"]),
    ("tier==web", ["a", "b"]),
    ("tier!=web", ["c", "d"]),
    ("tier in (web,db)", ["a", "b", "c"]),
    ("tier notin (web)", ["c", "d"]),
    ("tier", ["a", "b", "c"]),
    ("!tier", ["d"]),
    ("tier=web,env=prod", ["a"]),
])
def test_label_selectors(api: Client, selector: str, expected: list[str]) -> None:
    labels = {"a": {"tier": "web", "env": "prod"}, "b": {"tier": "web"}, "c": {"tier": "db"},
              "d": {}}
    for name, lbl in labels.items():
        cm = configmap(name)
        cm["metadata"]["labels"] = lbl
        api.post(CM_URL, cm)
    from urllib.parse import quote
    items = api.get(f"{CM_URL}?labelSelector={quote(selector)}").body["items"]
    assert sorted(i["metadata"]["name"] for i in items) == expected


def test_field_selectors_and_all_namespaces(api: Client) -> None:
    api.post("/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace",
                                    "metadata": {"name": "other"}})
    api.post(CM_URL, configmap("x"))
    api.post("/api/v1/namespaces/other/configmaps", configmap("x", "other"))
    api.post("/api/v1/namespaces/other/configmaps", configmap("y", "other"))
    by_name = api.get("/api/v1/configmaps?fieldSelector=metadata.name%3Dx").body["items"]
    assert sorted(i["metadata"]["namespace"] for i in by_name) == ["default", "other"]
    in_ns = api.get("/api/v1/configmaps?fieldSelector=metadata.namespace%3Dother").body
    assert sorted(i["metadata"]["name"] for i in in_ns["items"]) == ["x", "y"]
    bad = api.get("/api/v1/configmaps?fieldSelector=data.a%3D1")
    assert bad.code == 400


def test_patch_types(api: Client) -> None:
    api.post(DEPLOY_URL, deployment())
    url = f"{DEPLOY_URL}/web"
    r = api.patch(url, {"metadata": {"labels": {"extra": "1"}}}, "merge")
    assert r.body["metadata"]["labels"] == {"app": "web", "extra": "1"}
    sidecar = {"spec": {"template": {"spec": {"containers": [
        {"name": "side", "image": "busybox"}]}}}}
    r = api.patch(url, sidecar, "strategic")
    assert [c["name"] for c in r.body["spec"]["template"]["spec"]["containers"]] == [
        "main", "side"]
    r = api.patch(url, [{"op": "replace", "path": "/spec/replicas", "value": 4},
                        {"op": "remove", "path": "/metadata/labels/extra"}], "json")
    assert r.body["spec"]["replicas"] == 4 and "extra" not in r.body["metadata"]["labels"]
    assert r.body["metadata"]["generation"] == 3  # merge patch touched only metadata
    assert api.patch(f"{DEPLOY_URL}/nope", {}, "merge").code == 404


def test_dry_run_changes_nothing(api: Client) -> None:
    assert api.post(f"{CM_URL}?dryRun=All", configmap(a="1")).code == 201
    assert api.get(f"{CM_URL}/cfg").code == 404
    rv = api.post(CM_URL, configmap(a="1")).body["metadata"]["resourceVersion"]
    assert api.patch(f"{CM_URL}/cfg?dryRun=All", {"data": {"a": "2"}}).body["data"]["a"] == "2"
    assert api.put(f"{CM_URL}/cfg?dryRun=All", configmap(a="3")).code == 200
    assert api.delete(f"{CM_URL}/cfg?dryRun=All").code == 200
    live = api.get(f"{CM_URL}/cfg").body
    assert live["data"] == {"a": "1"} and live["metadata"]["resourceVersion"] == rv


def test_namespace_delete_cascades(api: Client) -> None:
    api.post("/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace",
                                    "metadata": {"name": "team"}})
    ns = api.get("/api/v1/namespaces/team").body
    assert ns["spec"]["finalizers"] == ["kubernetes"]
    assert ns["metadata"]["labels"] == {"kubernetes.io/metadata.name": "team"}
    assert ns["status"]["phase"] == "Active"
    api.post("/api/v1/namespaces/team/configmaps", configmap(ns="team"))
    api.post("/apis/apps/v1/namespaces/team/deployments", deployment(ns="team"))
    r = api.delete("/api/v1/namespaces/team", {"propagationPolicy": "Foreground"})
    assert r.code == 200
    # The DELETE only marks it; the namespace controller empties it in the background.
    assert r.body["status"]["phase"] == "Terminating" and r.body["metadata"]["deletionTimestamp"]
    for _ in range(5):
        if api.get("/api/v1/namespaces/team").code == 404:
            break
    assert api.get("/api/v1/namespaces/team").code == 404
    assert api.get("/api/v1/configmaps").body["items"] == []
    assert api.get("/apis/apps/v1/deployments").body["items"] == []


def test_finalizers_hold_deletion(api: Client) -> None:
    cm = configmap(a="1")
    cm["metadata"]["finalizers"] = ["example.com/hold"]
    api.post(CM_URL, cm)
    r = api.delete(f"{CM_URL}/cfg")
    assert r.code == 200 and r.body["metadata"]["deletionTimestamp"]
    live = api.get(f"{CM_URL}/cfg").body
    assert live["metadata"]["deletionTimestamp"]
    r = api.patch(f"{CM_URL}/cfg", {"metadata": {"finalizers": None}})
    assert r.code == 200
    assert api.get(f"{CM_URL}/cfg").code == 404


def test_owner_references_are_garbage_collected(api: Client) -> None:
    owner = api.post(CM_URL, configmap("owner")).body
    child = configmap("child")
    child["metadata"]["ownerReferences"] = [{"apiVersion": "v1", "kind": "ConfigMap",
                                             "name": "owner", "uid": owner["metadata"]["uid"]}]
    api.post(CM_URL, child)
    api.delete(f"{CM_URL}/owner")
    assert api.get(f"{CM_URL}/child").code == 404


def test_status_subresource(api: Client) -> None:
    # ResourceQuota: has /status, which the simulated quota controller fills in once.
    url = "/api/v1/namespaces/default/resourcequotas"
    quota = {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "q"},
             "spec": {"hard": {"pods": "10"}}, "status": {"hard": {"pods": "1"}}}
    created = api.post(url, quota).body
    assert "status" not in created  # status is the server's on create
    r = api.patch(f"{url}/q/status?fieldManager=ctl", {"status": {"used": {"pods": "3"}},
                                                      "spec": {"hard": {"pods": "99"}}})
    assert r.code == 200
    assert r.body["status"]["used"] == {"pods": "3"}
    assert r.body["spec"]["hard"] == {"pods": "10"}  # /status ignores spec
    assert r.body["metadata"]["generation"] == 1
    owners = {e["manager"]: e for e in r.body["metadata"]["managedFields"]}
    assert owners["ctl"]["subresource"] == "status"
    assert api.get(f"{url}/q/status").body["status"]["used"] == {"pods": "3"}
    # and the main resource ignores status
    r = api.patch(f"{url}/q", {"status": {"used": {"pods": "1"}}})
    assert r.body["status"]["used"] == {"pods": "3"}
    got = api.put(f"{url}/q/status", dict(r.body, status={"used": {"pods": "4"}}))
    assert got.body["status"]["used"] == {"pods": "4"}
    assert api.get("/api/v1/namespaces/default/configmaps/x/status").code == 404


def test_watch_is_refused_clearly(api: Client) -> None:
    r = api.get(f"{CM_URL}?watch=true")
    assert r.code == 405 and "watch" in r.body["message"]


def test_secret_string_data_and_service_defaults(api: Client) -> None:
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
              "stringData": {"k": "v"}}
    body = api.post("/api/v1/namespaces/default/secrets", secret).body
    assert body["data"] == {"k": "dg=="} and body["type"] == "Opaque"
    assert "stringData" not in body
    pvc = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "p"},
           "spec": {"accessModes": ["ReadWriteOnce"],
                    "resources": {"requests": {"storage": "1Gi"}}}}
    body = api.post("/api/v1/namespaces/default/persistentvolumeclaims", pvc).body
    assert body["spec"]["volumeMode"] == "Filesystem"
