"""Who owns a field: the managers whose FieldsV1 set covers a path of the live object."""

from __future__ import annotations

from homestack.providers.kubernetes.drift import owners

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
