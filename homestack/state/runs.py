"""Runs whose process is gone: a run killed mid-way stays ``running`` in the history until a
later command sees that its process no longer exists and marks it ``interrupted``."""

from __future__ import annotations

from datetime import UTC, datetime

from homestack.state.records import RunRecord, RunResult, process_gone
from homestack.state.store import StateStore


def settle_runs(store: StateStore, limit: int = 200) -> list[RunRecord]:
    """Mark every ``running`` run among the newest ``limit`` whose process ran on this host
    and is gone as ``interrupted`` (a run on another host is left as it is: only certainty
    counts). Returns the runs it marked."""
    settled = []
    for run in store.history(limit):
        if run.result is RunResult.RUNNING and process_gone(run.host, run.pid):
            marked = run.model_copy(update={
                "result": RunResult.INTERRUPTED, "ended_at": datetime.now(UTC),
                "message": f"interrupted: process {run.pid} on {run.host} is gone"
                           + (f" ({run.message})" if run.message else "")})
            store.record_run(marked)
            settled.append(marked)
    return settled
