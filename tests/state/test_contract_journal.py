"""Contract: the journal records each change before and after it, until the record is written."""

from __future__ import annotations

import pytest

from homestack.state import ResourceRecord, StateError, StateStore

from .support import holder, stack_record

VM = ResourceRecord(address="pve:vm:201", provider_id="201", content_hash="h1",
                    outputs={"ip": "10.0.0.21"})


def test_intent_without_done_is_open_and_not_done(store: StateStore) -> None:
    lease = store.acquire("k3s", holder("r1"))
    store.journal_intent(lease, VM.address, "create", "h1")
    [entry] = store.journal_open("k3s")
    assert (entry.run_id, entry.address, entry.action, entry.content_hash) == (
        "r1", VM.address, "create", "h1")
    assert not entry.done and entry.result is None


def test_done_carries_the_result(store: StateStore) -> None:
    lease = store.acquire("k3s", holder("r1"))
    store.journal_intent(lease, VM.address, "create", "h1")
    store.journal_done(lease, VM.address, VM)
    [entry] = store.journal_open("k3s")
    assert entry.done and entry.result == VM
    assert entry.done_at is not None and entry.done_at >= entry.intent_at


def test_done_of_a_delete_has_no_result(store: StateStore) -> None:
    lease = store.acquire("k3s", holder("r1"))
    store.journal_intent(lease, VM.address, "delete", "h1")
    store.journal_done(lease, VM.address, None)
    [entry] = store.journal_open("k3s")
    assert entry.done and entry.result is None


def test_done_without_intent_is_refused(store: StateStore) -> None:
    lease = store.acquire("k3s", holder("r1"))
    with pytest.raises(StateError, match="no intent"):
        store.journal_done(lease, VM.address, VM)


def test_writing_the_record_closes_the_journal(store: StateStore) -> None:
    lease = store.acquire("k3s", holder("r1"))
    store.journal_intent(lease, VM.address, "create", "h1")
    store.journal_done(lease, VM.address, VM)
    store.write_stack(lease, stack_record("k3s", VM))
    assert store.journal_open("k3s") == []


def test_resuming_run_sees_and_closes_the_killed_runs_entries(store: StateStore) -> None:
    killed = store.acquire("k3s", holder("killed-run"), ttl=0.1)
    store.journal_intent(killed, "pve:vm:201", "create", "h1")
    store.journal_done(killed, "pve:vm:201", VM)
    store.journal_intent(killed, "pve:vm:202", "create", "h2")
    store.break_lease("k3s", reason="the run was killed", by="tester")
    resumed = store.acquire("k3s", holder("next-run"))
    assert {(e.address, e.done) for e in store.journal_open("k3s")} == {
        ("pve:vm:201", True), ("pve:vm:202", False)}
    store.write_stack(resumed, stack_record("k3s", VM))
    assert store.journal_open("k3s") == []


def test_close_of_one_run_keeps_the_others(store: StateStore) -> None:
    first = store.acquire("k3s", holder("r1"))
    store.journal_intent(first, "pve:vm:201", "create", "h1")
    store.release(first)
    second = store.acquire("k3s", holder("r2"))
    store.journal_intent(second, "pve:vm:202", "create", "h2")
    assert store.journal_close(second, run_id="r2") == 1
    assert [e.run_id for e in store.journal_open("k3s")] == ["r1"]


def test_journal_is_per_stack(store: StateStore) -> None:
    lease = store.acquire("k3s", holder("r1"))
    store.journal_intent(lease, VM.address, "create", "h1")
    assert store.journal_open("immich") == []


def test_journal_write_needs_the_lease(store: StateStore) -> None:
    lease = store.acquire("k3s", holder("r1"))
    store.release(lease)
    with pytest.raises(StateError):
        store.journal_intent(lease, VM.address, "create", "h1")
    assert store.journal_open("k3s") == []
