"""Contract: marks (small named values per scope) on every backend."""

from __future__ import annotations

from homestack.state import StateStore


def test_marks_read_back_per_scope(store: StateStore) -> None:
    assert store.read_marks("drift") == {}
    store.write_marks("drift", {"k8s:v1:ConfigMap:apps/a": "2026-11-30T10:00:00+00:00"})
    store.write_marks("ci", {"applied-commit": "abc123"})
    assert store.read_marks("drift") == {"k8s:v1:ConfigMap:apps/a": "2026-11-30T10:00:00+00:00"}
    assert store.read_marks("ci") == {"applied-commit": "abc123"}


def test_writing_marks_replaces_the_scope(store: StateStore) -> None:
    store.write_marks("drift", {"a": "1", "b": "2"})
    store.write_marks("drift", {"b": "3"})
    assert store.read_marks("drift") == {"b": "3"}
    store.write_marks("drift", {})
    assert store.read_marks("drift") == {}
