"""Custom resources are held to their CRD's structural schema (pruning, defaults, types,
required, enums, bounds, patterns) and malformed CRDs are refused."""

from __future__ import annotations

import copy
import json
import time
from typing import Any

import pytest

from homestack_testing.kubeapi.client import Client
from homestack_testing.kubectl import Kubectl, needs_kubectl

CRD_URL = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
URL = "/apis/example.com/v1/namespaces/default/widgets"

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "spec": {
            "type": "object",
            "required": ["size"],
            "properties": {
                "size": {"type": "integer", "minimum": 1},
                "color": {"type": "string", "enum": ["red", "blue"], "default": "red"},
                "name": {"type": "string", "pattern": "^[a-z]+$", "maxLength": 5},
                "tags": {"type": "array", "items": {"type": "string"}},
                "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
            },
        },
    },
}


def _crd(schema: dict[str, Any] | None = None, **changes: Any) -> dict[str, Any]:
    crd: dict[str, Any] = {
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {"group": "example.com", "scope": "Namespaced",
                 "names": {"kind": "Widget", "plural": "widgets"},
                 "versions": [{"name": "v1", "served": True, "storage": True,
                               "schema": {"openAPIV3Schema": schema or SCHEMA}}]}}
    crd["spec"].update(changes)
    return crd


@pytest.fixture
def widgets(api: Client) -> Client:
    assert api.post(CRD_URL, _crd()).code == 201
    deadline = time.monotonic() + 5
    while api.get(URL).code != 200 and time.monotonic() < deadline:
        time.sleep(0.01)
    return api


def _widget(**spec: Any) -> dict[str, Any]:
    return {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"},
            "spec": spec}


def test_defaults_and_pruning(widgets: Client) -> None:
    r = widgets.post(URL, _widget(size=2, bogus=1, extra={"anything": {"goes": 1}}))
    assert r.code == 201
    assert r.body["spec"] == {"size": 2, "color": "red", "extra": {"anything": {"goes": 1}}}
    assert r.headers["Warning"] == '299 - "unknown field \\"spec.bogus\\""'
    strict = widgets.post(f"{URL}?fieldValidation=Strict",
                          {**_widget(size=2, bogus=1), "metadata": {"name": "w2"}})
    assert strict.code == 400
    assert strict.body["message"] == 'strict decoding error: unknown field "spec.bogus"'


@pytest.mark.parametrize(("spec", "cause"), [
    ({"size": "three"}, ("spec.size", 'Invalid value: "string": spec.size in body must be of '
                                      'type integer: "string"')),
    ({"color": "red"}, ("spec.size", "Required value")),
    ({"size": 0}, ("spec.size", "Invalid value: 0: spec.size in body should be greater than "
                                "or equal to 1")),
    ({"size": 1, "color": "pink"}, ("spec.color", 'Unsupported value: "pink": supported '
                                                  'values: "blue", "red"')),
    ({"size": 1, "name": "ABC"}, ("spec.name", "Invalid value: \"ABC\": spec.name in body "
                                               "should match '^[a-z]+$'")),
    ({"size": 1, "name": "abcdef"}, ("spec.name", "Too long: may not be longer than 5")),
    ({"size": 1, "tags": ["a", 3]}, ("spec.tags[1]", 'Invalid value: "integer": '
                                                     "spec.tags[1] in body must be of type "
                                                     'string: "integer"')),
])
def test_schema_violations_are_422(widgets: Client, spec: dict[str, Any],
                                   cause: tuple[str, str]) -> None:
    r = widgets.apply(f"{URL}/w", _widget(**spec))
    assert r.code == 422, r.body
    assert r.body["message"].startswith('Widget.example.com "w" is invalid: ')
    assert [(c["field"], c["message"]) for c in r.body["details"]["causes"]] == [cause]


@pytest.mark.parametrize(("crd", "field"), [
    ({"metadata": {"name": "gadgets.example.com"}}, "metadata.name"),
    ({"versions": [{"name": "v1", "served": True, "storage": False,
                    "schema": {"openAPIV3Schema": SCHEMA}}]}, "spec.versions"),
    ({"versions": [{"name": "v1", "served": True, "storage": True}]},
     "spec.versions[0].schema.openAPIV3Schema"),
    ({"schema": {"type": "object", "properties": {"spec": {"properties": {
        "size": {"type": "integer"}}}}}},
     "spec.versions[0].schema.openAPIV3Schema.properties[spec].type"),
])
def test_malformed_crds_are_refused(api: Client, crd: dict[str, Any], field: str) -> None:
    body = _crd(crd.get("schema"))
    if "metadata" in crd:
        body["metadata"] = crd["metadata"]
    if "versions" in crd:
        body["spec"]["versions"] = copy.deepcopy(crd["versions"])
    r = api.post(CRD_URL, body)
    assert r.code == 422, r.body
    assert field in [c["field"] for c in r.body["details"]["causes"]]


@needs_kubectl
def test_kubectl_sees_a_custom_resource_refused(kubectl: Kubectl) -> None:
    assert kubectl.apply(json.dumps(_crd())).returncode == 0
    deadline = time.monotonic() + 5
    while kubectl("get", "widgets").returncode != 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    r = kubectl.apply(json.dumps(_widget(size="three")))
    assert r.returncode == 1
    assert 'The Widget "w" is invalid: spec.size: Invalid value: "string": spec.size in body ' \
           'must be of type integer: "string"' in r.stderr
