"""destroy: delete everything the named Stacks own, dependents first, under their leases.

Data holders stay protected: without ``allow_data_loss`` a Stack holding PVCs, Namespaces or
databases is blocked and nothing of it is deleted.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime

from homestack.engine.desired import Desired
from homestack.engine.journal import Journal
from homestack.engine.options import EngineOptions
from homestack.engine.perform import perform
from homestack.engine.plan import observe_all, plan_stack
from homestack.engine.target import Targets
from homestack.model import HomestackError
from homestack.model.changeset import ChangeSet, StackOutcome
from homestack.state import Holder, RunRecord, RunResult, StateStore


def destroy(
    desired: Desired,
    targets: Targets,
    store: StateStore,
    options: EngineOptions,
    names: Sequence[str],
) -> ChangeSet:
    """Delete the objects of ``names`` in reverse DAG order; returns the change set."""
    run_id = uuid.uuid4().hex[:12]
    holder = Holder.current(run_id)
    record = RunRecord(run_id=run_id, command="destroy", by=str(holder),
                       started_at=datetime.now(UTC), stacks=tuple(names))
    store.record_run(record)
    result = ChangeSet()
    outcome = RunResult.FAILED
    try:
        _destroy_all(desired, targets, store, options, names, holder, result)
        outcome = RunResult.FAILED if result.failed else RunResult.SUCCEEDED
    finally:
        store.record_run(record.model_copy(update={
            "ended_at": datetime.now(UTC), "counts": result.counts(), "result": outcome,
            "message": result.summary(),
        }))
    return result


def _destroy_all(desired: Desired, targets: Targets, store: StateStore,
                 options: EngineOptions, names: Sequence[str], holder: Holder,
                 result: ChangeSet) -> None:
    order = [n for n in reversed(desired.graph.order()) if n in names]
    order += [n for n in names if n not in order]
    records = {name: store.read_stack(name) for name in order}
    observations = observe_all(targets, [], [r for r in records.values() if r is not None])
    for name in order:
        # Destroying is the explicit intent to empty the Stack: only data holders stay guarded.
        changes = plan_stack(name, [], targets, records[name], observations,
                             replace(options, allow_empty=True), removed=True)
        result.stacks.append(changes)
        if changes.outcome in (StackOutcome.BLOCKED, StackOutcome.FAILED) or \
                not changes.has_changes:
            continue
        lease = store.acquire(name, holder, wait=options.lease_wait)
        try:
            perform(targets, name, [c for c in changes.changes if c.action.is_change],
                    Journal(store, lease))
            store.delete_stack(lease)
            changes.outcome = StackOutcome.APPLIED
        except HomestackError as exc:
            changes.outcome, changes.error = StackOutcome.FAILED, str(exc)
        finally:
            store.release(lease)
    for target in targets.values():
        result.commit = target.finish(result) or result.commit
