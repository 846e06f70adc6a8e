"""Owned-elsewhere paths: what the kube target stops declaring after creation."""

from __future__ import annotations

from homestack.providers.kubernetes.ownership import parse_path, without


def test_path_parsing_understands_keys_and_named_items() -> None:
    assert parse_path('metadata.annotations["keel.sh/policy"]') == [
        ("key", "metadata"), ("key", "annotations"), ("key", "keel.sh/policy")]
    assert parse_path("spec.containers[web].image") == [
        ("key", "spec"), ("key", "containers"), ("item", "web"), ("key", "image")]


def test_without_drops_only_the_named_fields() -> None:
    body = {"spec": {"replicas": 3, "template": {"spec": {"containers": [
        {"name": "web", "image": "a:1"}, {"name": "side", "image": "b:1"}]}}}}
    stripped = without(body, ("spec.replicas", "spec.template.spec.containers[web].image"))
    assert "replicas" not in stripped["spec"]
    containers = stripped["spec"]["template"]["spec"]["containers"]
    assert containers == [{"name": "web"}, {"name": "side", "image": "b:1"}]
    assert body["spec"]["replicas"] == 3


def test_missing_paths_are_ignored() -> None:
    assert without({"a": 1}, ("b.c", "a.b[x]")) == {"a": 1}
