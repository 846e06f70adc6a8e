"""Server-side apply over HTTP: managedFields, conflicts, force, removal, co-ownership."""

from __future__ import annotations

from typing import Any

from homestack_testing.kubeapi.client import Client
from homestack_testing.kubeapi.samples import CM_URL, DEPLOY_URL, configmap, deployment

WEB = f"{DEPLOY_URL}/web"


def managers(obj: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(e["manager"], e["operation"]): e["fieldsV1"]
            for e in obj["metadata"].get("managedFields", [])}


def test_apply_creates_and_records_fields_v1(api: Client) -> None:
    r = api.apply(WEB, deployment(), manager="alice")
    assert r.code == 201
    fields = managers(r.body)[("alice", "Apply")]
    assert fields["f:metadata"] == {"f:labels": {"f:app": {}}}
    assert fields["f:spec"]["f:replicas"] == {}
    assert fields["f:spec"]["f:selector"] == {}  # LabelSelector is an atomic map
    container = fields["f:spec"]["f:template"]["f:spec"]["f:containers"]['k:{"name":"main"}']
    assert container["."] == {}
    assert 'k:{"containerPort":80,"protocol":"TCP"}' in container["f:ports"]
    entry = r.body["metadata"]["managedFields"][0]
    assert entry["apiVersion"] == "apps/v1" and entry["fieldsType"] == "FieldsV1"
    assert entry["time"].endswith("Z")


def test_defaults_are_owned_by_nobody_and_reapply_is_a_noop(api: Client) -> None:
    first = api.apply(WEB, deployment(), manager="alice").body
    spec = first["spec"]
    assert spec["strategy"]["type"] == "RollingUpdate" and spec["revisionHistoryLimit"] == 10
    container = spec["template"]["spec"]["containers"][0]
    assert container["imagePullPolicy"] == "IfNotPresent"
    assert container["terminationMessagePath"] == "/dev/termination-log"
    fields = managers(first)[("alice", "Apply")]["f:spec"]
    assert "f:strategy" not in fields and "f:revisionHistoryLimit" not in fields
    api.get(WEB)  # the readiness simulator observes the Deployment, then settles it
    live = api.get(WEB).body
    assert live["status"]["readyReplicas"] == 2
    again = api.apply(WEB, deployment(), manager="alice").body
    assert again["metadata"]["resourceVersion"] == live["metadata"]["resourceVersion"]
    assert again["metadata"]["generation"] == 1


def test_conflict_names_the_other_manager(api: Client) -> None:
    api.apply(WEB, deployment(replicas=2), manager="alice")
    r = api.apply(WEB, deployment(replicas=5), manager="bob")
    assert r.code == 409
    assert r.body["kind"] == "Status" and r.body["reason"] == "Conflict"
    assert r.body["message"] == (
        'Apply failed with 1 conflict: conflict with "alice": .spec.replicas')
    cause = r.body["details"]["causes"][0]
    assert cause == {"reason": "FieldManagerConflict", "message": 'conflict with "alice"',
                     "field": ".spec.replicas"}


def test_conflict_with_an_updater_says_using_api_version(api: Client) -> None:
    api.apply(WEB, deployment(replicas=2), manager="alice")
    r = api.patch(f"{WEB}?fieldManager=other-manager", {"spec": {"replicas": 4}})
    assert r.code == 200
    r = api.apply(WEB, deployment(replicas=2), manager="alice")
    assert r.code == 409
    assert r.body["message"] == ('Apply failed with 1 conflict: conflict with '
                                 '"other-manager" using apps/v1: .spec.replicas')


def test_update_takes_ownership_away_from_applier(api: Client) -> None:
    api.apply(WEB, deployment(replicas=2), manager="alice")
    body = api.patch(f"{WEB}?fieldManager=scaler", {"spec": {"replicas": 4}}).body
    owners = managers(body)
    assert "f:replicas" not in owners[("alice", "Apply")]["f:spec"]
    assert owners[("scaler", "Update")] == {"f:spec": {"f:replicas": {}}}


def test_force_transfers_ownership(api: Client) -> None:
    api.apply(WEB, deployment(replicas=2), manager="alice")
    r = api.apply(WEB, deployment(replicas=7), manager="bob", force=True)
    assert r.code == 200 and r.body["spec"]["replicas"] == 7
    owners = managers(r.body)
    assert "f:replicas" in owners[("bob", "Apply")]["f:spec"]
    assert "f:replicas" not in owners[("alice", "Apply")]["f:spec"]
    assert r.body["metadata"]["generation"] == 2


def test_same_value_is_co_owned_without_conflict(api: Client) -> None:
    api.apply(WEB, deployment(replicas=2), manager="alice")
    r = api.apply(WEB, deployment(replicas=2), manager="bob")
    assert r.code == 200
    owners = managers(r.body)
    assert "f:replicas" in owners[("alice", "Apply")]["f:spec"]
    assert "f:replicas" in owners[("bob", "Apply")]["f:spec"]


def test_undeclared_fields_are_removed_unless_someone_else_owns_them(api: Client) -> None:
    url = f"{CM_URL}/cfg"
    api.apply(url, configmap(a="1", b="2", c="3"), manager="alice")
    api.apply(url, configmap(c="3"), manager="bob")  # co-owns c
    r = api.apply(url, configmap(a="1"), manager="alice")
    assert r.code == 200
    assert r.body["data"] == {"a": "1", "c": "3"}  # b removed, c kept for bob
    r = api.apply(url, configmap(), manager="bob")
    assert r.body["data"] == {"a": "1"}


def test_removed_list_item_and_label(api: Client) -> None:
    dep = deployment()
    dep["spec"]["template"]["spec"]["containers"].append({"name": "side", "image": "busybox"})
    api.apply(WEB, dep, manager="alice")
    dep = deployment()
    del dep["metadata"]["labels"]
    r = api.apply(WEB, dep, manager="alice")
    names = [c["name"] for c in r.body["spec"]["template"]["spec"]["containers"]]
    assert names == ["main"]
    assert "labels" not in r.body["metadata"]
    assert r.body["metadata"]["generation"] == 2


def test_apply_accepts_json_and_respects_dry_run(api: Client) -> None:
    r = api.apply(WEB, deployment(), manager="alice", as_yaml=False, dry_run=True)
    assert r.code == 201 and r.body["metadata"]["name"] == "web"
    assert api.get(WEB).code == 404
    api.apply(WEB, deployment(replicas=2), manager="alice")
    r = api.apply(WEB, deployment(replicas=9), manager="alice", dry_run=True)
    assert r.body["spec"]["replicas"] == 9
    assert api.get(WEB).body["spec"]["replicas"] == 2


def test_apply_requires_field_manager(api: Client) -> None:
    r = api.request("PATCH", WEB, "{}", "application/apply-patch+yaml")
    assert r.code == 422 and r.body["reason"] == "Invalid"


def test_service_ports_keyed_by_port_and_protocol(api: Client) -> None:
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
           "spec": {"selector": {"app": "x"}, "ports": [{"port": 80, "name": "http"}]}}
    r = api.apply("/api/v1/namespaces/default/services/s", svc, manager="alice")
    spec = r.body["spec"]
    assert spec["type"] == "ClusterIP" and spec["clusterIP"].startswith("10.96.")
    assert spec["ports"][0] == {"port": 80, "name": "http", "protocol": "TCP", "targetPort": 80}
    fields = managers(r.body)[("alice", "Apply")]["f:spec"]["f:ports"]
    assert list(fields) == ['k:{"port":80,"protocol":"TCP"}']
    again = api.apply("/api/v1/namespaces/default/services/s", svc, manager="alice").body
    assert again["metadata"]["resourceVersion"] == r.body["metadata"]["resourceVersion"]


def test_status_is_not_owned_by_spec_appliers(api: Client) -> None:
    dep = deployment()
    dep["status"] = {"replicas": 99}
    r = api.apply(WEB, dep, manager="alice")
    assert "f:status" not in managers(r.body)[("alice", "Apply")]
    assert r.body.get("status", {}).get("replicas") != 99
