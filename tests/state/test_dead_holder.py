"""A lease whose holder process is gone from this host is taken over at once, not after its
expiry; a live holder, or one on another host, is never taken over early."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from homestack.state import Holder, SqliteStore
from homestack.state.errors import LeaseHeldError


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_dead_local_holder_is_taken_over_at_once(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "state.db", ttl=600.0)
    dead = Holder(user="ci", host=socket.gethostname(), pid=_dead_pid(), run_id="crashed")
    assert dead.is_known_dead()
    store.acquire("immich", dead)
    lease = store.acquire("immich", Holder.current("next"), wait=0.0)
    assert lease.run_id == "next"
    [takeover] = [r for r in store.history() if r.command == "lease takeover"]
    assert "no longer exists" in takeover.message
    store.close()


@pytest.mark.parametrize("host", ["same", "other"])
def test_a_live_or_remote_holder_keeps_its_lease(tmp_path: Path, host: str) -> None:
    store = SqliteStore(tmp_path / "state.db", ttl=600.0)
    pid = _dead_pid() if host == "other" else Holder.current("x").pid
    name = socket.gethostname() if host == "same" else "elsewhere.example"
    store.acquire("immich", Holder(user="ci", host=name, pid=pid, run_id="running"))
    with pytest.raises(LeaseHeldError) as caught:
        store.acquire("immich", Holder.current("next"), wait=0.0)
    assert "running" in str(caught.value)
    store.close()
