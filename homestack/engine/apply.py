"""apply: perform exactly the plan it is given, wave by wave, under one lease per Stack.

Inside a wave, Stacks run in parallel (``parallelism``). A Stack whose needs failed is skipped;
independent Stacks go on. Under its lease, a Stack whose record moved since the plan (another
run applied it) is refused as stale instead of being applied from an outdated plan. Inside a
Stack, each provider's changes go to its target in provider phase order (machines, Vault,
Kubernetes, DNS, identities). Records are written after every target finished the run (the
GitOps target commits there), each under its Stack's lease, checked against the revision the
plan saw.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from homestack.engine.desired import Desired
from homestack.engine.errors import StalePlanError
from homestack.engine.heartbeat import Heartbeat
from homestack.engine.journal import Journal
from homestack.engine.options import EngineOptions
from homestack.engine.perform import perform
from homestack.engine.plan import plan, stack_hash, targets_signature
from homestack.engine.target import Targets
from homestack.model import HomestackError, Resource
from homestack.model.changeset import (
    Action,
    ChangeSet,
    Failure,
    FailureKind,
    StackChanges,
    StackOutcome,
)
from homestack.state import Holder, ResourceRecord, RunRecord, RunResult, StackRecord, StateStore


@dataclass
class _Run:
    """Everything one apply run shares between its Stacks (``failed`` under ``lock``)."""

    desired: Desired
    targets: Targets
    store: StateStore
    options: EngineOptions
    holder: Holder
    heartbeat: Heartbeat
    journals: dict[str, Journal] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail(self, changes: StackChanges, outcome: StackOutcome, error: str,
             kind: FailureKind = FailureKind.OTHER) -> None:
        changes.fail(outcome, error, kind)
        with self.lock:
            self.failed.add(changes.stack)


def apply(
    desired: Desired,
    targets: Targets,
    store: StateStore,
    options: EngineOptions,
    planned: ChangeSet,
    *,
    observer: Callable[[StackChanges], None] | None = None,
) -> ChangeSet:
    """Apply ``planned`` (updated in place with every outcome, and returned).

    ``observer`` is called once per Stack as soon as its outcome is known (progress display).
    """
    run_id = uuid.uuid4().hex[:12]
    holder = Holder.current(run_id)
    record = RunRecord(run_id=run_id, command="apply", by=str(holder),
                       started_at=datetime.now(UTC),
                       stacks=tuple(s.stack for s in planned.stacks))
    store.record_run(record)
    result = RunResult.FAILED
    try:
        _apply_all(desired, targets, store, options, planned, holder, observer)
        result = RunResult.FAILED if planned.failed else RunResult.SUCCEEDED
    finally:
        store.record_run(record.model_copy(update={
            "ended_at": datetime.now(UTC), "counts": planned.counts(), "result": result,
            "message": planned.summary(),
        }))
    return planned


def _apply_all(desired: Desired, targets: Targets, store: StateStore, options: EngineOptions,
               planned: ChangeSet, holder: Holder,
               observer: Callable[[StackChanges], None] | None) -> None:
    by_name = {s.stack: s for s in planned.stacks}
    with Heartbeat(store) as heartbeat:
        run = _Run(desired, targets, store, options, holder, heartbeat)
        try:
            for wave in _waves(desired, list(by_name)):
                with ThreadPoolExecutor(max_workers=max(1, options.parallelism)) as pool:
                    for stack in pool.map(lambda name: _apply_one(run, by_name[name]), wave):
                        if observer is not None:
                            observer(stack)
            _finish(run, planned)
            _write_records(run, planned)
        finally:
            for lease in heartbeat.held():
                store.release(lease)


def _finish(run: _Run, planned: ChangeSet) -> None:
    for target in run.targets.values():
        try:
            commit = target.finish(planned)
        except HomestackError as exc:
            for stack in planned.stacks:
                if stack.outcome is StackOutcome.APPLIED:
                    run.fail(stack, StackOutcome.FAILED, str(exc))
            continue
        planned.commit = commit or planned.commit


def _waves(desired: Desired, names: list[str]) -> list[list[str]]:
    """The selected Stacks grouped by wave; removed Stacks form a last wave."""
    chosen = set(names)
    waves = [[n for n in wave if n in chosen] for wave in desired.graph.waves]
    removed = [n for n in names if n not in desired.graph.needs]
    return [w for w in [*waves, removed] if w]


def _apply_one(run: _Run, changes: StackChanges) -> StackChanges:
    name = changes.stack
    with run.lock:
        blocked_by = sorted(set(run.desired.graph.needs.get(name, ())) & run.failed)
    if blocked_by:
        run.fail(changes, StackOutcome.SKIPPED,
                 f"skipped: needs failed Stack(s) {', '.join(blocked_by)}", FailureKind.OTHER)
        return changes
    if changes.outcome in (StackOutcome.BLOCKED, StackOutcome.FAILED):
        run.fail(changes, changes.outcome, changes.error, changes.failure or FailureKind.OTHER)
        return changes
    signature = _signature(run, changes)
    recorded = run.store.read_stack(name)
    if not changes.has_changes and recorded is not None and recorded.target == signature:
        changes.outcome = StackOutcome.UNCHANGED
        return changes
    try:
        lease = run.store.acquire(name, run.holder, wait=run.options.lease_wait)
    except HomestackError as exc:
        run.fail(changes, StackOutcome.FAILED, str(exc), _kind(exc))
        return changes
    run.heartbeat.hold(lease)
    now = run.store.read_stack(name)
    if (now.revision if now else None) != changes.recorded_revision:
        run.fail(changes, StackOutcome.FAILED, str(StalePlanError.for_stack(
            name, changes.recorded_revision, now.revision if now else None,
            now.applied_by if now else "")), FailureKind.STALE)
        return changes
    journal = Journal(run.store, lease)
    run.journals[name] = journal
    _perform(run, changes, journal)
    return changes


def _perform(run: _Run, changes: StackChanges, journal: Journal) -> None:
    try:
        perform(run.targets, changes.stack, [c for c in changes.changes if c.action.is_change],
                journal)
    except HomestackError as exc:
        _mark_failed(changes, journal, exc)
        run.fail(changes, StackOutcome.FAILED, str(exc), _kind(exc))
        return
    changes.changes = [
        replace(c, action=Action.UNCHANGED, diff="") if str(c.address) in journal.unchanged
        else c for c in changes.changes
    ]
    changes.outcome = StackOutcome.APPLIED  # even if every write was a no-op: record it


def _kind(error: HomestackError) -> FailureKind:
    """The failure kind a provider error carries (others are ``other``)."""
    kind = getattr(error, "kind", None)
    return kind if isinstance(kind, FailureKind) else FailureKind.OTHER


def _mark_failed(changes: StackChanges, journal: Journal, error: HomestackError) -> None:
    failure = Failure(_kind(error), str(error))
    changes.changes = [
        c if str(c.address) in journal.provider_ids or not c.action.is_change
        else replace(c, action=Action.FAILED, failure=failure)
        for c in changes.changes
    ]


def _signature(run: _Run, changes: StackChanges) -> str:
    return targets_signature(run.targets, _kept(changes))


def _kept(changes: StackChanges) -> list[Resource]:
    """The Resources the Stack holds after its changes: what its record lists."""
    return [c.resource for c in changes.changes
            if c.resource is not None and c.action not in (Action.SKIPPED, Action.DELETE)]


def _write_records(run: _Run, planned: ChangeSet) -> None:
    """Record each applied Stack (under its lease) with the run's commit, if any."""
    for stack in planned.stacks:
        if stack.outcome is not StackOutcome.APPLIED:
            continue
        lease = run.heartbeat.current(stack.stack)
        kept = _kept(stack)
        if not kept:
            run.store.delete_stack(lease)
            continue
        before = run.store.read_stack(stack.stack)
        ids = run.journals[stack.stack].provider_ids
        records = tuple(
            ResourceRecord(address=r.address, provider_id=ids.get(r.address)
                           or _previous_id(before, r.address), content_hash=r.content_hash)
            for r in kept
        )
        run.store.write_stack(lease, StackRecord(
            stack=stack.stack,
            content_hash=stack_hash(kept),
            applied_at=datetime.now(UTC),
            applied_by=str(run.holder),
            target=targets_signature(run.targets, kept),
            gitops_commit=planned.commit,
            resources=records,
        ), expected_revision=stack.recorded_revision)


def _previous_id(before: StackRecord | None, address: str) -> str | None:
    previous = before.resource(address) if before else None
    return previous.provider_id if previous else None



def plan_and_apply(
    desired: Desired,
    targets: Targets,
    store: StateStore,
    options: EngineOptions,
    names: Sequence[str] | None = None,
    *,
    with_dependents: bool = False,
    observer: Callable[[StackChanges], None] | None = None,
) -> ChangeSet:
    """Plan the selected Stacks without dry-runs, then apply exactly that plan (``--yes``)."""
    planned = plan(desired, targets, store, replace(options, confirm=False), names,
                   with_dependents=with_dependents)
    return apply(desired, targets, store, options, planned, observer=observer)
