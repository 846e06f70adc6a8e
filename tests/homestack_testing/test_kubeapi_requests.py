"""Request handling as kube-apiserver does it: request options are validated first (422 on
the options kind), a PUT neither creates (for most kinds) nor renames, DELETE honours its
preconditions, the system namespaces cannot be deleted, and a collection can be deleted."""

from __future__ import annotations

from typing import Any

import pytest

from homestack_testing.kubeapi.client import Client
from homestack_testing.kubeapi.samples import CM_URL, DEPLOY_URL, configmap, deployment

SVC_URL = "/api/v1/namespaces/default/services"


def _causes(body: dict[str, Any]) -> list[str]:
    return [c["field"] for c in body["details"]["causes"]]


def test_put_to_a_missing_object_is_404_unless_the_kind_creates_on_update(api: Client) -> None:
    r = api.put(f"{CM_URL}/cfg", configmap())
    assert r.code == 404 and r.body["message"] == 'configmaps "cfg" not found'
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
           "spec": {"ports": [{"port": 80}]}}
    assert api.put(f"{SVC_URL}/web", svc).code == 201  # Services are created by a PUT
    assert api.get(f"{SVC_URL}/web").ok


def test_put_whose_name_differs_from_the_url_is_400(api: Client) -> None:
    api.post(CM_URL, configmap())
    r = api.put(f"{CM_URL}/cfg", configmap("other"))
    assert r.code == 400 and r.body["message"] == (
        "the name of the object (other) does not match the name on the URL (cfg)")
    r = api.patch(f"{CM_URL}/cfg", {"metadata": {"name": "renamed"}})
    assert r.code == 400 and "(renamed) does not match the name on the URL (cfg)" in \
        r.body["message"]


def test_delete_preconditions_must_match(api: Client) -> None:
    made = api.post(CM_URL, configmap()).body["metadata"]
    r = api.delete(f"{CM_URL}/cfg", {"preconditions": {"uid": "not-the-uid"}})
    assert r.code == 409 and r.body["reason"] == "Conflict"
    assert r.body["message"] == (
        f'Operation cannot be fulfilled on ConfigMap "cfg": the UID in the precondition '
        f"(not-the-uid) does not match the UID in record ({made['uid']}). The object might "
        "have been deleted and then recreated")
    r = api.delete(f"{CM_URL}/cfg", {"preconditions": {"resourceVersion": "1"}})
    assert r.code == 409 and "the ResourceVersion in the precondition (1)" in r.body["message"]
    assert api.get(f"{CM_URL}/cfg").ok
    r = api.delete(f"{CM_URL}/cfg", {"preconditions": {
        "uid": made["uid"], "resourceVersion": made["resourceVersion"]}})
    assert r.ok and api.get(f"{CM_URL}/cfg").code == 404


@pytest.mark.parametrize("name", ["default", "kube-system", "kube-public"])
def test_system_namespaces_may_not_be_deleted(api: Client, name: str) -> None:
    r = api.delete(f"/api/v1/namespaces/{name}")
    assert r.code == 403 and r.body["reason"] == "Forbidden"
    assert r.body["message"] == f'namespaces "{name}" is forbidden: this namespace may not be ' \
                                "deleted"
    assert "deletionTimestamp" not in api.get(f"/api/v1/namespaces/{name}").body["metadata"]


@pytest.mark.parametrize(("method", "query", "kind", "field"), [
    ("POST", "fieldValidation=Loud", "CreateOptions", "fieldValidation"),
    ("POST", "dryRun=Server", "CreateOptions", "dryRun"),
    ("PUT", "dryRun=All&dryRun=Server", "UpdateOptions", "dryRun"),
    ("PATCH", "force=true", "PatchOptions", "force"),
    ("POST", "fieldManager=" + "m" * 129, "CreateOptions", "fieldManager"),
])
def test_bad_request_options_are_422_on_the_options_kind(
        api: Client, method: str, query: str, kind: str, field: str) -> None:
    api.post(CM_URL, configmap("cfg"))
    url = f"{CM_URL}?{query}" if method == "POST" else f"{CM_URL}/cfg?{query}"
    body = {"data": {"a": "2"}} if method == "PATCH" else configmap("cfg")
    r = api.request(method, url, body, "application/merge-patch+json"
                    if method == "PATCH" else "application/json")
    assert r.code == 422 and r.body["reason"] == "Invalid", r.body
    assert r.body["message"].startswith(f'{kind}.meta.k8s.io "" is invalid: {field}: ')
    assert _causes(r.body) == [field]


def test_apply_without_a_field_manager_names_field_manager(api: Client) -> None:
    r = api.request("PATCH", f"{CM_URL}/cfg", "kind: ConfigMap\napiVersion: v1\n",
                    "application/apply-patch+yaml")
    assert r.code == 422 and r.body["message"] == (
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required '
        "for apply patch")


def test_delete_options_come_from_the_body_else_the_query(api: Client) -> None:
    api.post(CM_URL, configmap())
    r = api.delete(f"{CM_URL}/cfg?dryRun=Server")
    assert r.code == 422 and r.body["message"].startswith('DeleteOptions.meta.k8s.io ""')
    r = api.delete(f"{CM_URL}/cfg", {"propagationPolicy": "Sideways"})
    assert r.code == 422 and _causes(r.body) == ["propagationPolicy"]
    assert api.delete(f"{CM_URL}/cfg?dryRun=Server", {"dryRun": ["All"]}).ok  # body wins
    assert api.get(f"{CM_URL}/cfg").ok


def test_deletecollection_deletes_what_the_selector_picks(api: Client) -> None:
    for name, team in (("a", "x"), ("b", "x"), ("c", "y")):
        cm = configmap(name)
        cm["metadata"]["labels"] = {"team": team}
        api.post(CM_URL, cm)
    r = api.delete(f"{CM_URL}?labelSelector=team%3Dx")
    assert r.code == 200 and r.body["kind"] == "ConfigMapList"
    assert [i["metadata"]["name"] for i in r.body["items"]] == ["a", "b"]
    assert [i["metadata"]["name"] for i in api.get(CM_URL).body["items"]] == ["c"]
    assert api.delete("/api/v1/namespaces").code == 405


def test_unserved_group_is_the_plain_404_page(api: Client) -> None:
    r = api.get("/apis/example.org/v9/things")
    assert r.code == 404 and r.body == "404 page not found\n"
    assert api.get("/apis/apps/v1/gizmos").body["reason"] == "NotFound"
    assert api.post(DEPLOY_URL, deployment()).code == 201
