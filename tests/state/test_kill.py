"""A run killed with SIGKILL at a random point is finished by the next run: nothing lost,
nothing done twice.

The child applies N fake changes the way the engine does (journal intent, provider change,
journal done, heartbeat; record at the end); the parent kills it after a random delay, then
resumes: the record and the journal say what is complete, and an intent without done is
re-checked against the fake provider, whose log shows every real change.
"""

from __future__ import annotations

import collections
import multiprocessing
import os
import random
import signal
import time
from pathlib import Path

from .support import (
    StoreSpec,
    addresses,
    apply_stack,
    holder,
    killable_apply,
    read_lines,
)

CHANGES = 12
ITERATIONS = int(os.environ.get("HOMESTACK_KILL_ITERATIONS", "6"))


def _child(spec: StoreSpec, stack: str, provider: Path) -> multiprocessing.process.BaseProcess:
    child = multiprocessing.get_context("fork").Process(
        target=killable_apply, args=(spec, stack, CHANGES, provider))
    child.start()
    return child


def _where_killed(spec: StoreSpec, stack: str) -> str:
    store = spec.open()
    try:
        if store.read_stack(stack) is not None:
            return "after the record"
        journal = store.journal_open(stack)
        if not journal:
            return "before the first intent"
        done = sum(e.done for e in journal)
        return "between intent and done" if done < len(journal) else "after a done"
    finally:
        store.close()


def test_killed_run_is_resumed_exactly_once(spec: StoreSpec, tmp_path: Path) -> None:
    spec.open().close()
    # One undisturbed run first: its duration bounds the random kill delays.
    started = time.monotonic()
    first = _child(spec, "calibrate", tmp_path / "calibrate.log")
    first.join(60)
    assert first.exitcode == 0
    duration = time.monotonic() - started
    places: collections.Counter[str] = collections.Counter()
    for iteration in range(ITERATIONS):
        stack, provider = f"app-{iteration}", tmp_path / f"provider-{iteration}.log"
        child = _child(spec, stack, provider)
        time.sleep(random.uniform(0, duration * 0.9))
        os.kill(child.pid, signal.SIGKILL)  # type: ignore[arg-type]
        child.join(10)
        places[_where_killed(spec, stack)] += 1
        store = spec.open()
        lease = store.acquire(stack, holder(f"resume-{iteration}"), wait=10)  # after expiry
        apply_stack(store, lease, stack, addresses(CHANGES), provider)
        store.release(lease)
        record = store.read_stack(stack)
        journal = store.journal_open(stack)
        store.close()
        changes = collections.Counter(read_lines(provider))
        assert changes == dict.fromkeys(addresses(CHANGES), 1), f"iteration {iteration}"
        assert record is not None
        assert [r.address for r in record.resources] == addresses(CHANGES)
        assert journal == []
    print(f"\n{spec.kind}: {ITERATIONS} kills, landed {dict(places)}")
