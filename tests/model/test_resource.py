"""Resources: addresses, hashes, secret refusal."""

from __future__ import annotations

import pytest

from homestack.model import ModelError, Resource, SecretValue


def _configmap(data: dict[str, str], namespace: str | None = "apps") -> Resource:
    metadata: dict[str, str] = {"name": "settings"}
    if namespace:
        metadata["namespace"] = namespace
    return Resource.k8s(
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata, "data": data}
    )


def test_namespaced_address_carries_namespace_and_name() -> None:
    assert _configmap({}).address == "k8s:v1:ConfigMap:apps/settings"


def test_cluster_scoped_address_has_no_namespace() -> None:
    resource = Resource.k8s({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "x"}})
    assert resource.address == "k8s:v1:Namespace:x"


def test_content_hash_ignores_key_order() -> None:
    first = _configmap({"a": "1", "b": "2"})
    second = _configmap({"b": "2", "a": "1"})
    assert first.content_hash == second.content_hash


def test_content_hash_changes_with_body() -> None:
    assert _configmap({"a": "1"}).content_hash != _configmap({"a": "2"}).content_hash


def test_object_without_name_is_refused() -> None:
    with pytest.raises(ModelError, match=r"no metadata\.name"):
        Resource.k8s({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {}})


def test_object_without_kind_is_refused() -> None:
    with pytest.raises(ModelError, match="apiVersion and kind"):
        Resource.k8s({"metadata": {"name": "x"}})


def test_secret_value_in_body_is_refused() -> None:
    with pytest.raises(ValueError, match=r"data\.password holds a secret value"):
        _configmap({"password": SecretValue("hunter2")})  # type: ignore[dict-item]


def _secret(**data: str) -> Resource:
    return Resource.k8s({"apiVersion": "v1", "kind": "Secret",
                         "metadata": {"name": "db", "namespace": "app"}, "stringData": data})


def test_secret_values_do_not_reach_the_content_hash() -> None:
    """The hash is recorded in state; a hash over a short password is guessed offline."""
    assert _secret(password="hunter2").content_hash == _secret(password="letmein").content_hash
    assert _secret(password="x").content_hash != _secret(token="x").content_hash


def test_other_objects_hash_their_whole_body() -> None:
    first = Resource.k8s({"apiVersion": "v1", "kind": "ConfigMap",
                          "metadata": {"name": "c"}, "data": {"a": "1"}})
    second = Resource.k8s({"apiVersion": "v1", "kind": "ConfigMap",
                           "metadata": {"name": "c"}, "data": {"a": "2"}})
    assert first.content_hash != second.content_hash


def test_copy_json_is_a_deep_copy() -> None:
    from homestack.model import copy_json

    body = {"spec": {"template": {"spec": {"containers": [{"name": "a", "ports": [80]}]}}},
            "n": 1, "t": None}
    copied = copy_json(body)
    assert copied == body
    copied["spec"]["template"]["spec"]["containers"][0]["ports"].append(443)
    copied["spec"]["template"]["spec"]["containers"].append({"name": "b"})
    assert body["spec"]["template"]["spec"]["containers"] == [{"name": "a", "ports": [80]}]
