"""The loopback server's field ownership: removed fields leave every manager, and an identical
re-apply keeps its Apply timestamp (as structured-merge-diff does)."""

from __future__ import annotations

from typing import Any

from homestack_testing.kubeapi.managed import Entry, Ownership, read_entries, write_entries
from homestack_testing.kubeapi.schema import builtin_root

ROOT = builtin_root("", "v1", "ConfigMap")
T1, T2, T3 = "2026-01-01T00:00:01Z", "2026-01-01T00:00:02Z", "2026-01-01T00:00:03Z"


def _config(data: dict[str, str]) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "c", "namespace": "d"}, "data": data}


def _apply(live: dict[str, Any] | None, data: dict[str, str], manager: str, now: str
           ) -> dict[str, Any]:
    merged, entries = Ownership(ROOT, False, "", now).apply(
        live, _config(data), manager, "v1", force=False)
    write_entries(merged, entries)
    return merged


def _by_manager(obj: dict[str, Any]) -> dict[str, Entry]:
    return {e.manager: e for e in read_entries(obj)}


def test_a_field_another_manager_removes_leaves_the_applier() -> None:
    live = _apply(None, {"a": "1", "b": "2"}, "homestack", T1)
    edited = {**live, "data": {"a": "1"}}
    entries = Ownership(ROOT, False, "", T2).update(live, edited, edited, "kubectl-edit", "v1")
    mine = {e.manager: e for e in entries}["homestack"]
    assert ("f:data", "f:b") not in mine.paths
    assert ("f:data", "f:a") in mine.paths
    assert mine.time == T2  # its set changed


def test_an_identical_re_apply_keeps_the_apply_time() -> None:
    live = _apply(None, {"a": "1"}, "homestack", T1)
    again = _apply(live, {"a": "1"}, "homestack", T2)
    assert _by_manager(again)["homestack"].time == T1
    changed = _apply(again, {"a": "1", "b": "2"}, "homestack", T3)
    assert _by_manager(changed)["homestack"].time == T3


def test_a_field_dropped_from_an_apply_leaves_only_that_manager() -> None:
    live = _apply(None, {"a": "1", "b": "2"}, "homestack", T1)
    shared = _apply(live, {"b": "2"}, "other", T2)
    dropped = _apply(shared, {"a": "1"}, "homestack", T3)
    assert dropped["data"] == {"a": "1", "b": "2"}  # "other" still applies b
    owners = _by_manager(dropped)
    assert ("f:data", "f:b") not in owners["homestack"].paths
    assert ("f:data", "f:b") in owners["other"].paths


def test_a_write_without_managed_fields_keeps_the_others() -> None:
    live = _apply(None, {"a": "1"}, "homestack", T1)
    sent = {**_config({"a": "1", "b": "2"}), "metadata": {"name": "c", "namespace": "d"}}
    entries = Ownership(ROOT, False, "", T2).update(live, sent, sent, "kubectl-replace", "v1")
    owners = {e.manager: e for e in entries}
    assert set(owners) == {"homestack", "kubectl-replace"}
    assert owners["homestack"].paths == {("f:data", "f:a")}
    assert owners["kubectl-replace"].paths == {("f:data", "f:b")}


def test_managed_fields_of_one_empty_entry_reset_them() -> None:
    live = _apply(None, {"a": "1"}, "homestack", T1)
    sent = {**_config({"a": "1"}), "metadata": {"name": "c", "namespace": "d",
                                                "managedFields": [{}]}}
    entries = Ownership(ROOT, False, "", T2).update(live, sent, sent, "kubectl-replace", "v1")
    assert entries == []
