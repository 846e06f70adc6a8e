"""The heartbeat keeps every lease of a run alive and never dies with one of them."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from homestack.engine.heartbeat import Heartbeat
from homestack.state import Holder, SqliteStore
from homestack.state.errors import LeaseLostError


def test_a_lost_lease_fails_its_stack_and_the_others_are_still_renewed(tmp_path: Path
                                                                       ) -> None:
    store = SqliteStore(tmp_path / "state.db", ttl=0.6)
    try:
        holder = Holder.current("run1")
        web, tail = store.acquire("web", holder), store.acquire("tail", holder)
        with Heartbeat(store) as heartbeat:
            heartbeat.hold(web)
            heartbeat.hold(tail)
            store.break_lease("web", reason="stuck", by="tester")
            time.sleep(1.2)  # a renewal of each is due twice meanwhile
            with pytest.raises(LeaseLostError):
                heartbeat.current("web")
            renewed = heartbeat.current("tail")
            assert renewed.expires_at > tail.expires_at
            assert [lease.stack for lease in heartbeat.held()] == ["tail"]
        lease = store.read_lease("tail")
        assert lease is not None and lease.expires_at == renewed.expires_at
    finally:
        store.close()
