"""Contract: leases — one holder at a time, waits with a deadline, expiry, takeover, unlock."""

from __future__ import annotations

import threading
import time

import pytest

from homestack.state import LeaseHeldError, LeaseLostError, StateStore

from .support import StoreSpec, holder, stack_record


def test_free_stack_is_granted(store: StateStore) -> None:
    lease = store.acquire("immich", holder("r1"), ttl=10)
    assert lease.stack == "immich" and lease.run_id == "r1"
    assert 9 < (lease.expires_at - lease.acquired_at).total_seconds() <= 10
    assert store.read_lease("immich") == lease


def test_held_lease_fails_naming_holder_and_age(store: StateStore) -> None:
    store.acquire("immich", holder("first-run"))
    started = time.monotonic()
    with pytest.raises(LeaseHeldError) as caught:
        store.acquire("immich", holder("second-run"), wait=0.3)
    assert time.monotonic() - started >= 0.3
    message = str(caught.value)
    assert message.startswith("immich: ")
    assert "first-run" in message and "held by" in message
    assert "state unlock immich" in message


def test_released_lease_can_be_taken_again(store: StateStore) -> None:
    first = store.acquire("immich", holder("r1"))
    store.release(first)
    assert store.read_lease("immich") is None
    assert store.acquire("immich", holder("r2")).run_id == "r2"


def test_leases_of_different_stacks_are_independent(store: StateStore) -> None:
    store.acquire("immich", holder("r1"))
    assert store.acquire("traefik", holder("r2")).stack == "traefik"


def test_waiter_gets_the_lease_when_released(store: StateStore, spec: StoreSpec) -> None:
    first = store.acquire("immich", holder("r1"))
    timer = threading.Timer(0.3, store.release, args=(first,))
    timer.start()
    other = spec.open()
    try:
        second = other.acquire("immich", holder("r2"), wait=10)
        assert second.run_id == "r2"
    finally:
        timer.join()
        other.close()


def test_expired_lease_is_taken_over_and_recorded(store: StateStore) -> None:
    store.acquire("immich", holder("dead-run"), ttl=0.2)
    time.sleep(0.3)
    taken = store.acquire("immich", holder("r2"))
    assert taken.run_id == "r2"
    entry = store.history()[0]
    assert entry.command == "lease takeover" and "dead-run" in entry.message


def test_heartbeat_extends_expiry(store: StateStore) -> None:
    lease = store.acquire("immich", holder("r1"), ttl=0.4)
    for _ in range(4):
        time.sleep(0.2)
        lease = store.heartbeat(lease, ttl=0.4)
    with pytest.raises(LeaseHeldError):
        store.acquire("immich", holder("r2"))
    assert lease.expires_at > lease.acquired_at


def test_heartbeat_after_takeover_is_lost(store: StateStore) -> None:
    stale = store.acquire("immich", holder("slow-run"), ttl=0.2)
    time.sleep(0.3)
    store.acquire("immich", holder("r2"))
    with pytest.raises(LeaseLostError, match="r2"):
        store.heartbeat(stale)


def test_stale_holder_cannot_write_or_release(store: StateStore) -> None:
    stale = store.acquire("immich", holder("slow-run"), ttl=0.2)
    time.sleep(0.3)
    current = store.acquire("immich", holder("r2"))
    with pytest.raises(LeaseLostError):
        store.write_stack(stale, stack_record("immich"))
    with pytest.raises(LeaseLostError):
        store.journal_intent(stale, "pve:vm:201", "create", "h")
    store.release(stale)
    assert store.read_lease("immich") == current


def test_expired_lease_refuses_writes_until_heartbeat(store: StateStore) -> None:
    lease = store.acquire("immich", holder("r1"), ttl=0.2)
    time.sleep(0.3)
    with pytest.raises(LeaseLostError, match="expired"):
        store.write_stack(lease, stack_record("immich"))
    lease = store.heartbeat(lease)  # nobody took it over: the holder may go on
    assert store.write_stack(lease, stack_record("immich")).revision == 1


def test_break_lease_removes_it_and_is_audited(store: StateStore) -> None:
    stuck = store.acquire("immich", holder("stuck-run"))
    broken = store.break_lease("immich", reason="runner died", by="alice")
    assert broken == stuck
    assert store.read_lease("immich") is None
    entry = store.history()[0]
    assert entry.command == "state unlock" and entry.by == "alice"
    assert entry.stacks == ("immich",)
    assert "runner died" in entry.message and "stuck-run" in entry.message
    with pytest.raises(LeaseLostError):
        store.heartbeat(stuck)


def test_break_of_free_stack_is_still_audited(store: StateStore) -> None:
    assert store.break_lease("immich", reason="just checking", by="bob") is None
    assert "no lease was held" in store.history()[0].message


def test_reads_need_no_lease(store: StateStore, spec: StoreSpec) -> None:
    lease = store.acquire("immich", holder("r1"))
    store.write_stack(lease, stack_record("immich"))
    reader = spec.open()
    try:
        assert reader.read_stack("immich") is not None
        assert reader.journal_open("immich") == []
    finally:
        reader.close()
