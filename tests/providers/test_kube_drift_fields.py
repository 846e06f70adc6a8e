"""Who owns a field: the managers whose FieldsV1 set covers a path of the live object."""

from __future__ import annotations

from homestack.providers.kubernetes.drift import drifted_fields, foreign_additions, masked, owners

LIVE = {
    "metadata": {"managedFields": [
        {"manager": "homestack", "operation": "Apply", "fieldsV1": {
            "f:spec": {"f:containers": {'k:{"name":"web"}': {"f:image": {}}}}}},
        {"manager": "kubectl-edit", "operation": "Update", "fieldsV1": {
            "f:spec": {"f:replicas": {}}}},
    ]},
    "spec": {"replicas": 3, "containers": [{"name": "web", "image": "nginx"}]},
}


def test_the_manager_of_a_list_item_field_is_found_by_its_key() -> None:
    assert owners(LIVE, ("spec", "containers", 0, "image")) == ("homestack",)
    assert owners(LIVE, ("spec", "replicas")) == ("kubectl-edit",)


def test_an_index_past_the_live_list_or_into_a_non_list_has_no_owner() -> None:
    assert owners(LIVE, ("spec", "containers", 5, "image")) == ()
    assert owners(LIVE, ("spec", "replicas", 0)) == ()


DECLARED = {
    "metadata": {"name": "web", "labels": {"app": "web"}},
    "spec": {"replicas": 1, "template": {"spec": {"containers": [
        {"name": "web", "image": "nginx:1.27", "env": [{"name": "MODE", "value": "prod"}]}]}}},
}
DEPLOYED = {
    "metadata": {"name": "web", "uid": "u-1", "labels": {"app": "web", "extra": "x"},
                 "annotations": {"deployment.kubernetes.io/revision": "2"}},
    "spec": {"replicas": 3, "progressDeadlineSeconds": 600, "template": {"spec": {
        "restartPolicy": "Always", "containers": [
            {"name": "web", "image": "nginx:1.27", "terminationMessagePath": "/dev/x",
             "env": [{"name": "MODE", "value": "prod"}, {"name": "DEBUG", "value": "1"}]}]}}},
    "status": {"replicas": 3},
}


def test_a_diff_shows_the_declared_fields_and_items_added_to_declared_lists() -> None:
    assert masked(DEPLOYED, DECLARED) == {
        "metadata": {"name": "web", "labels": {"app": "web"}},
        "spec": {"replicas": 3, "template": {"spec": {"containers": [
            {"name": "web", "image": "nginx:1.27",
             "env": [{"name": "MODE", "value": "prod"}, {"name": "DEBUG", "value": "1"}]}]}}},
    }


def test_unnamed_lists_are_compared_item_by_item_or_shown_whole() -> None:
    assert masked({"args": ["a", "b"]}, {"args": ["a"]}) == {"args": ["a", "b"]}
    assert masked({"ports": [{"port": 80, "protocol": "TCP"}]}, {"ports": [{"port": 80}]}) \
        == {"ports": [{"port": 80}]}


def test_a_drifted_field_says_declared_and_live_values_and_who_changed_it() -> None:
    live = {**LIVE, "kind": "Deployment"}
    [field] = drifted_fields(live, {"spec": {"replicas": 1}})
    assert str(field) == ".spec.replicas 1 → 3 by kubectl-edit"
    assert field.ownership == ".spec.replicas (owned by kubectl-edit)"


def test_a_secret_never_shows_its_values() -> None:
    live = {"kind": "Secret", "metadata": {}, "data": {"token": "c2VjcmV0"}}
    [field] = drifted_fields(live, {"data": {"token": "b3RoZXI="}})
    assert str(field) == ".data.token by no field manager"
    assert "c2VjcmV0" not in str(field) and "b3RoZXI=" not in str(field)


def test_items_another_manager_added_to_a_declared_named_list_are_found() -> None:
    live = {
        "metadata": {"managedFields": [
            {"manager": "homestack", "operation": "Apply", "fieldsV1": {"f:spec": {
                "f:env": {'k:{"name":"MODE"}': {".": {}, "f:value": {}}}}}},
            {"manager": "kubectl-set-env", "operation": "Update", "fieldsV1": {"f:spec": {
                "f:env": {'k:{"name":"DEBUG"}': {".": {}, "f:value": {}}}}}},
        ]},
        "spec": {"env": [{"name": "MODE", "value": "prod"}, {"name": "DEBUG", "value": "1"},
                         {"name": "NOBODY", "value": "x"}]},
    }
    declared = {"spec": {"env": [{"name": "MODE", "value": "prod"}]}}
    assert foreign_additions(live, declared) == [".spec.env[DEBUG] added by kubectl-set-env"]
    assert foreign_additions(live, {"spec": {}}) == []  # a list Homestack does not declare
