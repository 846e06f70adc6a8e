"""Many real processes contend for one Stack's lease: exactly one holder at any time.

Each holder appends ``enter`` and ``exit`` lines to a shared file while it holds the lease
(single ``O_APPEND`` writes, so the file is the true order of events); the lines must then
alternate, enter and exit of the same holder, with nothing in between.
"""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

from homestack.state import StateStore

from .support import StoreSpec, contend, read_lines

PROCESSES = 8
ROUNDS = int(os.environ.get("HOMESTACK_CONTENTION_ROUNDS", "5"))


def _run_all(spec: StoreSpec, log: Path, processes: int, rounds: int, abandon_every: int) -> None:
    spec.open().close()  # create the schema before the race, as 'homestack' does on start
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=contend, args=(spec, "immich", rounds, log,
                                                     abandon_every))
               for _ in range(processes)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert [w.exitcode for w in workers] == [0] * processes


def _assert_one_holder_at_a_time(log: Path, expected: int) -> list[str]:
    lines = [line.split() for line in read_lines(log)]
    assert len(lines) == 2 * expected
    for enter, leave in zip(lines[::2], lines[1::2], strict=True):
        assert enter[0] == "enter" and leave[0] == "exit", (enter, leave)
        assert enter[1:3] == leave[1:3], f"{leave} overlaps {enter}"
        assert int(enter[3]) <= int(leave[3])
    return [leave[4] for leave in lines[1::2]]


def test_one_holder_among_many_processes(spec: StoreSpec, tmp_path: Path) -> None:
    log = tmp_path / "holders.log"
    _run_all(spec, log, PROCESSES, ROUNDS, abandon_every=0)
    _assert_one_holder_at_a_time(log, PROCESSES * ROUNDS)
    store: StateStore = spec.open()
    assert store.read_lease("immich") is None
    assert store.journal_open("immich") == []
    store.close()


def test_dead_holders_are_taken_over_once_each(spec: StoreSpec, tmp_path: Path) -> None:
    log = tmp_path / "holders.log"
    _run_all(spec, log, 4, 3, abandon_every=3)
    endings = _assert_one_holder_at_a_time(log, 4 * 3)
    store: StateStore = spec.open()
    takeovers = [r for r in store.history(100) if r.command == "lease takeover"]
    store.close()
    abandoned = endings.count("abandon")
    assert abandoned == 4
    # Every abandoned lease but possibly the last one was taken over by a later acquirer.
    assert abandoned - 1 <= len(takeovers) <= abandoned
