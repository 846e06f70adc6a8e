"""Unit tests of the building blocks: FieldsV1 encoding, schema lookups, patches."""

from __future__ import annotations

import pytest

from homestack_testing.kubeapi import cron, gobytes
from homestack_testing.kubeapi.errors import ApiError
from homestack_testing.kubeapi.fieldset import from_fields_v1, path_string, to_fields_v1
from homestack_testing.kubeapi.patches import json_patch, merge_patch
from homestack_testing.kubeapi.schema import builtin_root
from homestack_testing.kubeapi.typed import to_set


def test_fields_v1_round_trip() -> None:
    paths = {("f:metadata", "f:labels", "f:app"),
             ("f:spec", "f:ports", 'k:{"port":80,"protocol":"TCP"}'),
             ("f:spec", "f:ports", 'k:{"port":80,"protocol":"TCP"}', "f:port"),
             ("f:metadata", "f:finalizers", 'v:"a"')}
    doc = to_fields_v1(paths)
    assert doc["f:spec"]["f:ports"]['k:{"port":80,"protocol":"TCP"}'] == {".": {}, "f:port": {}}
    assert from_fields_v1(doc) == paths


def test_path_strings_match_structured_merge_diff() -> None:
    assert path_string(("f:spec", "f:replicas")) == ".spec.replicas"
    assert path_string(("f:spec", "f:containers", 'k:{"name":"a"}', "f:image")) == (
        '.spec.containers[name="a"].image')
    assert path_string(("f:spec", "f:ports", 'k:{"port":80,"protocol":"TCP"}')) == (
        '.spec.ports[port=80,protocol="TCP"]')
    assert path_string(("f:metadata", "f:finalizers", 'v:"x"')) == '.metadata.finalizers[="x"]'


def test_schema_list_types_come_from_openapi() -> None:
    pod = builtin_root("", "v1", "Pod")
    spec = pod.child("spec")
    containers = spec.child("containers")
    assert (containers.list_type, containers.keys) == ("map", ["name"])
    assert containers.item().child("ports").keys == ["containerPort", "protocol"]
    assert containers.item().child("args").list_type == "atomic"
    assert pod.child("metadata").child("finalizers").list_type == "set"
    assert builtin_root("apps", "v1", "Deployment").child("spec").child("selector").atomic


def test_set_list_items_are_values() -> None:
    root = builtin_root("", "v1", "ConfigMap")
    paths = to_set(root, {"metadata": {"finalizers": ["a"]}, "data": {"k": "v"}})
    assert paths == {("f:metadata", "f:finalizers", 'v:"a"'), ("f:data", "f:k")}


def test_merge_and_json_patch() -> None:
    assert merge_patch({"a": {"b": 1, "c": 2}}, {"a": {"b": None, "d": 3}}) == {
        "a": {"c": 2, "d": 3}}
    doc = {"spec": {"list": [1, 2]}}
    out = json_patch(doc, [{"op": "add", "path": "/spec/list/-", "value": 3},
                           {"op": "test", "path": "/spec/list/0", "value": 1},
                           {"op": "move", "from": "/spec/list", "path": "/moved"}])
    assert out == {"spec": {}, "moved": [1, 2, 3]} and doc == {"spec": {"list": [1, 2]}}
    with pytest.raises(ApiError):
        json_patch(doc, [{"op": "test", "path": "/spec/list/0", "value": 9}])


@pytest.mark.parametrize(("text", "offset"), [
    ("not base64!", 3), ("aGVsbG8", 4), ("a===", 4), ("aGVsbG8=x", 8)])
def test_base64_errors_name_an_offending_position(text: str, offset: int) -> None:
    with pytest.raises(gobytes.Base64Error) as err:
        gobytes.decode(text)
    assert str(err.value) == f"illegal base64 data at input byte {offset}"


def test_base64_skips_newlines_like_go() -> None:
    assert gobytes.decode("aGVs\nbG8=") == b"hello"
    assert gobytes.decode("") == b""


@pytest.mark.parametrize(("schedule", "refused"), [
    ("* * * * *", False), ("@weekly", False), ("0 0 1 jan,jul sun", False),
    ("@every 1h30m", False), ("15 3 1,15 */2 ?", False),
    ("", True), ("* * * *", True), ("5-1 * * * *", True), ("*/0 * * * *", True),
    ("1-2-3 * * * *", True), ("x * * * *", True), ("* * 0 * *", True), ("@often", True),
    ("@every soon", True), ("TZ=UTC * * * * *", True),
])
def test_cron_schedules_are_refused_where_the_server_refuses_them(schedule: str,
                                                                  refused: bool) -> None:
    assert bool(cron.schedule_errors(schedule)) is refused


def test_time_zones() -> None:
    assert cron.time_zone_errors("Europe/Berlin") == []
    assert cron.time_zone_errors("Mars/Base") == ["unknown time zone Mars/Base"]
    assert cron.time_zone_errors("../etc") == ["unknown time zone ../etc"]
    assert cron.time_zone_errors("Local")[0].startswith("timeZone must be an explicit")
