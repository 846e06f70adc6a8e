"""apply: plan, then perform the changes wave by wave under one lease per Stack.

Inside a wave, Stacks run in parallel (``parallelism``). A Stack whose needs failed is blocked;
independent Stacks go on. Every change is journaled before and after it happens, so a killed
run is finished by the next one: the next plan observes the target again, and the journal says
which changes may have happened. Records are written after the target finished the run (the
GitOps target commits there), each under its Stack's lease.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from homestack.engine.desired import Desired
from homestack.engine.options import EngineOptions
from homestack.engine.plan import plan, plan_stack, stack_hash
from homestack.engine.target import Target
from homestack.model import HomestackError, Resource
from homestack.model.changeset import Action, Change, ChangeSet, StackChanges, StackOutcome
from homestack.state import (
    Holder,
    Lease,
    ResourceRecord,
    RunRecord,
    RunResult,
    StackRecord,
    StateStore,
)


@dataclass
class Journal:
    """The Recorder a target reports to: journal entries plus provider ids for the record."""

    store: StateStore
    lease: Lease
    provider_ids: dict[str, str | None] = field(default_factory=dict)
    unchanged: set[str] = field(default_factory=set)

    def intent(self, change: Change) -> None:
        digest = change.resource.content_hash if change.resource else ""
        self.store.journal_intent(self.lease, change.address, change.action.value, digest)

    def done(self, change: Change, provider_id: str | None, changed: bool = True) -> None:
        if not changed:
            self.unchanged.add(change.address)
        result = None
        if change.resource is not None:
            result = ResourceRecord(address=change.address, provider_id=provider_id,
                                    content_hash=change.resource.content_hash)
        self.provider_ids[change.address] = provider_id
        self.store.journal_done(self.lease, change.address, result)


class _Heartbeat:
    """Keeps every held lease alive while a long apply runs.

    Each lease is renewed once a third of its own time to live has passed, so a Site with short
    leases is kept alive as surely as one with long leases.
    """

    def __init__(self, store: StateStore) -> None:
        self._store = store
        self._leases: dict[str, Lease] = {}
        self._renewed: dict[str, float] = {}  # local monotonic time: immune to clock skew
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join()

    def hold(self, lease: Lease) -> None:
        with self._lock:
            self._leases[lease.stack] = lease
            self._renewed[lease.stack] = time.monotonic()
        self._wake.set()  # a new lease may need renewing sooner than the current wait

    def current(self, stack: str) -> Lease:
        with self._lock:
            return self._leases[stack]

    def held(self) -> list[Lease]:
        with self._lock:
            return list(self._leases.values())

    def _renew_due(self) -> float:
        """Renew the leases due; return seconds until the next one is due."""
        wait = 1.0
        with self._lock:
            for stack, lease in list(self._leases.items()):
                third = (lease.expires_at - lease.heartbeat_at).total_seconds() / 3
                if time.monotonic() - self._renewed[stack] >= third:
                    self._leases[stack] = self._store.heartbeat(lease)
                    self._renewed[stack] = time.monotonic()
                wait = min(wait, third - (time.monotonic() - self._renewed[stack]))
        return max(0.01, wait)

    def _run(self) -> None:
        wait = 1.0
        while not self._stop.is_set():
            self._wake.wait(wait)
            self._wake.clear()
            if not self._stop.is_set():
                wait = self._renew_due()


@dataclass
class _Run:
    """Everything one apply run shares between its Stacks."""

    desired: Desired
    target: Target
    store: StateStore
    options: EngineOptions
    holder: Holder
    heartbeat: _Heartbeat
    planned_records: dict[str, StackRecord | None] = field(default_factory=dict)
    journals: dict[str, Journal] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def resources(self, stack: str) -> list[Resource]:
        return self.desired.resources.get(stack, [])

    def fail(self, changes: StackChanges, outcome: StackOutcome, error: str) -> None:
        changes.outcome, changes.error = outcome, error
        with self.lock:
            self.failed.add(changes.stack)


def apply(
    desired: Desired,
    target: Target,
    store: StateStore,
    options: EngineOptions,
    names: Sequence[str] | None = None,
    *,
    with_dependents: bool = False,
    observer: Callable[[StackChanges], None] | None = None,
) -> ChangeSet:
    """Plan and apply the selected Stacks; returns the change set with every outcome.

    ``observer`` is called once per Stack as soon as its outcome is known (progress display).
    """
    run_id = uuid.uuid4().hex[:12]
    holder = Holder.current(run_id)
    record = RunRecord(run_id=run_id, command="apply", by=str(holder),
                       started_at=datetime.now(UTC))
    store.record_run(record)
    planned = plan(desired, target, store, replace(options, confirm=False), names,
                   with_dependents=with_dependents)
    by_name = {s.stack: s for s in planned.stacks}
    with _Heartbeat(store) as heartbeat:
        run = _Run(desired, target, store, options, holder, heartbeat,
                   planned_records={name: store.read_stack(name) for name in by_name})
        try:
            for wave in _waves(desired, list(by_name)):
                with ThreadPoolExecutor(max_workers=max(1, options.parallelism)) as pool:
                    for stack in pool.map(lambda name: _apply_one(run, by_name[name]), wave):
                        if observer is not None:
                            observer(stack)
            try:
                planned.commit = target.finish(planned)
            except HomestackError as exc:
                for stack in planned.stacks:
                    if stack.outcome is StackOutcome.APPLIED:
                        run.fail(stack, StackOutcome.FAILED, str(exc))
            _write_records(run, planned)
        finally:
            for lease in heartbeat.held():
                store.release(lease)
    store.record_run(record.model_copy(update={
        "ended_at": datetime.now(UTC),
        "stacks": tuple(s.stack for s in planned.stacks),
        "counts": planned.counts(),
        "result": RunResult.FAILED if planned.failed else RunResult.SUCCEEDED,
        "message": planned.summary(),
    }))
    return planned


def _waves(desired: Desired, names: list[str]) -> list[list[str]]:
    """The selected Stacks grouped by wave; removed Stacks form a last wave."""
    chosen = set(names)
    waves = [[n for n in wave if n in chosen] for wave in desired.graph.waves]
    removed = [n for n in names if n not in desired.graph.needs]
    return [w for w in [*waves, removed] if w]


def _apply_one(run: _Run, changes: StackChanges) -> StackChanges:
    _apply_stack(run, changes)
    return changes


def _apply_stack(run: _Run, changes: StackChanges) -> None:
    name = changes.stack
    with run.lock:
        blocked_by = sorted(set(run.desired.graph.needs.get(name, ())) & run.failed)
    if blocked_by:
        run.fail(changes, StackOutcome.SKIPPED,
                 f"skipped: needs failed Stack(s) {', '.join(blocked_by)}")
        return
    if changes.outcome in (StackOutcome.BLOCKED, StackOutcome.FAILED):
        run.fail(changes, changes.outcome, changes.error)
        return
    recorded = run.store.read_stack(name)
    if not changes.has_changes and recorded is not None and recorded.target == run.target.name:
        changes.outcome = StackOutcome.UNCHANGED
        return
    contended = run.store.read_lease(name) is not None
    try:
        lease = run.store.acquire(name, run.holder, wait=run.options.lease_wait)
    except HomestackError as exc:
        run.fail(changes, StackOutcome.FAILED, str(exc))
        return
    run.heartbeat.hold(lease)
    if contended or recorded != run.planned_records.get(name):
        # Another run held or changed the Stack since the plan: plan it again under the lease,
        # against fresh observations.
        run.target.forget()
        fresh = plan_stack(name, run.resources(name), run.target, run.store.read_stack(name),
                           replace(run.options, confirm=False),
                           removed=name not in run.desired.graph.needs)
        changes.changes = fresh.changes
        if fresh.outcome in (StackOutcome.BLOCKED, StackOutcome.FAILED):
            run.fail(changes, fresh.outcome, fresh.error)
            return
    journal = Journal(run.store, lease)
    run.journals[name] = journal
    try:
        run.target.apply_stack(name, [c for c in changes.changes if c.action.is_change], journal)
    except HomestackError as exc:
        _mark_failed(changes, journal)
        run.fail(changes, StackOutcome.FAILED, str(exc))
        return
    changes.changes = [
        replace(c, action=Action.UNCHANGED, diff="") if c.address in journal.unchanged else c
        for c in changes.changes
    ]
    changes.outcome = StackOutcome.APPLIED  # even if every write was a no-op: record it


def _mark_failed(changes: StackChanges, journal: Journal) -> None:
    changes.changes = [
        c if c.address in journal.provider_ids or not c.action.is_change
        else Change(c.stack, c.address, Action.FAILED, c.diff, c.reason, c.resource, c.location)
        for c in changes.changes
    ]


def _write_records(run: _Run, planned: ChangeSet) -> None:
    """Record each applied Stack (under its lease) with the run's commit, if any."""
    for stack in planned.stacks:
        if stack.outcome is not StackOutcome.APPLIED:
            continue
        lease = run.heartbeat.current(stack.stack)
        handled = [r for r in run.resources(stack.stack) if run.target.handles(r)]
        if not handled:
            run.store.delete_stack(lease)
            continue
        before = run.store.read_stack(stack.stack)
        ids = run.journals[stack.stack].provider_ids
        records = tuple(
            ResourceRecord(address=r.address, provider_id=ids.get(r.address)
                           or _previous_id(before, r.address), content_hash=r.content_hash)
            for r in handled
        )
        run.store.write_stack(lease, StackRecord(
            stack=stack.stack,
            content_hash=stack_hash(handled),
            applied_at=datetime.now(UTC),
            applied_by=str(run.holder),
            target=run.target.name,
            gitops_commit=planned.commit,
            resources=records,
        ))


def _previous_id(before: StackRecord | None, address: str) -> str | None:
    previous = before.resource(address) if before else None
    return previous.provider_id if previous else None
