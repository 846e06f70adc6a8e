"""apply: perform exactly the plan it is given, wave by wave, under one lease per Stack.

One executor for every plan: an apply plan goes wave by wave, a destroy plan (dependents
first) in reverse waves. The plan is a frozen value; what happened is a new ``ApplyResult``.

Inside a wave, Stacks run in parallel (``parallelism``). A Stack whose needs failed is skipped;
independent Stacks go on. Under its lease, a Stack whose record moved since the plan (another
run applied it) is refused as stale instead of being applied from an outdated plan. Inside a
Stack, each provider's changes go to its target in provider phase order (machines, Vault,
Kubernetes, DNS, identities). Records are written after every target finished the run (the
GitOps target commits there), each under its Stack's lease, checked against the revision the
plan saw. A Stack that fails records what it did before it failed, so nothing it wrote is
lost to the next plan.
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
from homestack.engine.guards import Verdict, guard
from homestack.engine.heartbeat import Heartbeat
from homestack.engine.journal import Journal
from homestack.engine.options import EngineOptions
from homestack.engine.perform import perform
from homestack.engine.plan import hash_of_records, plan, stack_hash, targets_signature
from homestack.engine.target import Targets
from homestack.model import HomestackError, Resource
from homestack.model.changeset import (
    Action,
    ApplyResult,
    ChangeSet,
    Failure,
    FailureKind,
    PlanMode,
    StackChanges,
    StackOutcome,
)
from homestack.state import (
    Holder,
    ResourceRecord,
    RunRecord,
    RunResult,
    StackRecord,
    StateStore,
    settle_runs,
)


@dataclass
class _Run:
    """Everything one apply run shares between its Stacks (``failed`` under ``lock``)."""

    desired: Desired
    targets: Targets
    store: StateStore
    options: EngineOptions
    planned: ChangeSet
    holder: Holder
    heartbeat: Heartbeat
    journals: dict[str, Journal] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail(self, changes: StackChanges, outcome: StackOutcome, error: str,
             kind: FailureKind = FailureKind.OTHER) -> StackChanges:
        with self.lock:
            self.failed.add(changes.stack)
        return changes.failed_as(outcome, error, kind)


def apply(
    desired: Desired,
    targets: Targets,
    store: StateStore,
    options: EngineOptions,
    planned: ChangeSet,
    *,
    observer: Callable[[StackChanges], None] | None = None,
) -> ApplyResult:
    """Execute ``planned`` (an apply or a destroy plan); the plan itself is never changed.

    ``observer`` is called once per Stack as soon as its outcome is known (progress display).
    """
    run_id = uuid.uuid4().hex[:12]
    holder = Holder.current(run_id)
    settle_runs(store)  # the runs killed before this one are named as such
    record = RunRecord(run_id=run_id, command=planned.mode.value, by=str(holder),
                       started_at=datetime.now(UTC),
                       stacks=tuple(s.stack for s in planned.stacks),
                       host=holder.host, pid=holder.pid)
    store.record_run(record)
    result = ApplyResult(planned.stacks, planned.commit, planned.mode, planned.permissions,
                         planned.context, run_id)
    outcome = RunResult.FAILED
    try:
        stacks, commit = _apply_all(desired, targets, store, options, planned, holder,
                                    observer)
        result = replace(result, stacks=stacks, commit=commit)
        outcome = RunResult.FAILED if result.failed else RunResult.SUCCEEDED
    finally:
        store.record_run(record.model_copy(update={
            "ended_at": datetime.now(UTC), "counts": result.counts(), "result": outcome,
            "message": result.summary(),
        }))
    return result


def _apply_all(desired: Desired, targets: Targets, store: StateStore, options: EngineOptions,
               planned: ChangeSet, holder: Holder,
               observer: Callable[[StackChanges], None] | None
               ) -> tuple[tuple[StackChanges, ...], str | None]:
    by_name = {s.stack: s for s in planned.stacks}
    done: dict[str, StackChanges] = {}
    heartbeat = Heartbeat(store)
    try:
        with heartbeat:
            run = _Run(desired, targets, store, options, planned, holder, heartbeat)
            for wave in _waves(desired, list(by_name), planned.mode):
                with ThreadPoolExecutor(max_workers=max(1, options.parallelism)) as pool:
                    for stack in pool.map(lambda name: _apply_one(run, by_name[name]), wave):
                        done[stack.stack] = stack
                        if observer is not None:
                            observer(stack)
            ordered = [done.get(s.stack, s) for s in planned.stacks]
            ordered, commit = _finish(run, ordered, planned.commit)
            ordered = _write_records(run, ordered, commit)
    finally:
        # The heartbeat stopped first: a renewal never races the release of its lease.
        for lease in heartbeat.held():
            store.release(lease)
    return tuple(ordered), commit


def _finish(run: _Run, stacks: list[StackChanges], commit: str | None
            ) -> tuple[list[StackChanges], str | None]:
    """Let every target finish the run (the GitOps target commits here)."""
    for target in run.targets.values():
        try:
            made = target.finish(ApplyResult(tuple(stacks), commit, run.planned.mode))
        except HomestackError as exc:
            stacks = [run.fail(s, StackOutcome.FAILED, str(exc))
                      if s.outcome is StackOutcome.APPLIED else s for s in stacks]
            continue
        commit = made or commit
    return stacks, commit


def _waves(desired: Desired, names: list[str], mode: PlanMode) -> list[list[str]]:
    """The selected Stacks grouped by wave; removed Stacks form a last wave. A destroy goes
    the other way: dependents first."""
    chosen = set(names)
    waves = [[n for n in wave if n in chosen] for wave in desired.graph.waves]
    removed = [n for n in names if n not in desired.graph.needs]
    ordered = [*waves, removed]
    if mode is PlanMode.DESTROY:
        ordered = [removed, *reversed(waves)]
    return [w for w in ordered if w]


def _apply_one(run: _Run, changes: StackChanges) -> StackChanges:
    name = changes.stack
    needs = run.desired.graph.needs
    # An apply waits for what a Stack needs; a destroy for what needs the Stack (its
    # dependents go first, and one that failed still needs it).
    holding = set(needs.get(name, ())) if run.planned.mode is PlanMode.APPLY else \
        {other for other, wanted in needs.items() if name in wanted}
    with run.lock:
        blocked_by = sorted(holding & run.failed)
    if blocked_by:
        why = "needs" if run.planned.mode is PlanMode.APPLY else "is needed by"
        return run.fail(changes, StackOutcome.SKIPPED,
                        f"skipped: {why} failed Stack(s) {', '.join(blocked_by)}")
    if changes.outcome in (StackOutcome.BLOCKED, StackOutcome.FAILED):
        return run.fail(changes, changes.outcome, changes.error,
                        changes.failure or FailureKind.OTHER)
    verdict = _guarded(run, changes)
    if verdict.blocked:
        return run.fail(changes, StackOutcome.BLOCKED, verdict.blocked, FailureKind.GUARD)
    if changes.conflicts and not run.planned.permissions.force_conflicts:
        shown = ", ".join(str(c.address) for c in changes.conflicts[:5])
        return run.fail(changes, StackOutcome.FAILED,
                        f"another field manager holds declared fields of {shown}; plan with "
                        "--force-conflicts to take them back, or drop them from the Stack",
                        FailureKind.CONFLICT)
    signature = _signature(run, changes)
    recorded = run.store.read_stack(name)
    if not changes.has_changes and recorded is not None and recorded.target == signature:
        return replace(changes, outcome=StackOutcome.UNCHANGED)
    try:
        lease = run.store.acquire(name, run.holder, wait=run.options.lease_wait)
    except HomestackError as exc:
        return run.fail(changes, StackOutcome.FAILED, str(exc), _kind(exc))
    run.heartbeat.hold(lease)
    now = run.store.read_stack(name)
    if (now.revision if now else None) != changes.recorded_revision:
        return run.fail(changes, StackOutcome.FAILED, str(StalePlanError.for_stack(
            name, changes.recorded_revision, now.revision if now else None,
            now.applied_by if now else "")), FailureKind.STALE)
    journal = Journal(run.store, lease)
    run.journals[name] = journal
    return _perform(run, changes, journal)


def _guarded(run: _Run, changes: StackChanges) -> Verdict:
    """The guards again, under the permissions the plan recorded: a plan (saved, perhaps
    edited) never deletes more than they allow, whatever it says."""
    permissions = run.planned.permissions
    if run.planned.mode is PlanMode.DESTROY:
        return guard(changes, 0, replace(permissions, allow_empty=True, allow_prune=True),
                     removed=True)
    declared = run.desired.resources.get(changes.stack, [])
    handled = sum(1 for r in declared if (t := run.targets.get(r.provider)) and t.handles(r))
    return guard(changes, handled, permissions,
                 removed=changes.stack not in run.desired.graph.needs)


def _perform(run: _Run, changes: StackChanges, journal: Journal) -> StackChanges:
    try:
        perform(run.targets, changes.stack, [c for c in changes.changes if c.action.is_change],
                journal)
    except HomestackError as exc:
        failed = _mark_failed(changes, journal, exc)
        _record_progress(run, failed, journal)
        return run.fail(failed, StackOutcome.FAILED, str(exc), _kind(exc))
    # Even if every write was a no-op, the Stack is recorded as applied.
    return replace(changes, outcome=StackOutcome.APPLIED, changes=tuple(
        replace(c, action=Action.UNCHANGED, diff="") if str(c.address) in journal.unchanged
        else c for c in changes.changes))


def _kind(error: HomestackError) -> FailureKind:
    """The failure kind a provider error carries (others are ``other``)."""
    kind = getattr(error, "kind", None)
    return kind if isinstance(kind, FailureKind) else FailureKind.OTHER


def _mark_failed(changes: StackChanges, journal: Journal, error: HomestackError
                 ) -> StackChanges:
    failure = Failure(_kind(error), str(error))
    return replace(changes, changes=tuple(
        c if str(c.address) in journal.provider_ids or not c.action.is_change
        else replace(c, action=Action.FAILED, failure=failure)
        for c in changes.changes))


def _record_progress(run: _Run, changes: StackChanges, journal: Journal) -> None:
    """Record what a failed Stack did before it failed, so that nothing it wrote is lost.

    The record keeps every object the Stack held, plus those this run wrote or may have
    written (a write whose answer never came), minus those it deleted; the next plan sees
    them all. Writing it closes the run's journal: the failure is not an interruption.
    """
    before = run.store.read_stack(changes.stack)
    if not journal.results and not journal.pending:
        run.store.journal_close(journal.lease, run_id=journal.lease.run_id)
        return
    entries = {r.address: r for r in before.resources} if before else {}
    for address in journal.pending:
        entries.setdefault(address, ResourceRecord(address=address, content_hash=""))
    for address, result in journal.results.items():
        if result is None:
            entries.pop(address, None)
        else:
            entries[address] = result
    if not entries:
        run.store.delete_stack(journal.lease)
        return
    resources = tuple(entries[a] for a in sorted(entries))
    run.store.write_stack(journal.lease, StackRecord(
        stack=changes.stack,
        content_hash=hash_of_records(resources),
        applied_at=datetime.now(UTC),
        applied_by=str(run.holder),
        target=before.target if before else _signature(run, changes),
        gitops_commit=before.gitops_commit if before else None,
        resources=resources,
    ), expected_revision=changes.recorded_revision)


def _signature(run: _Run, changes: StackChanges) -> str:
    return targets_signature(run.targets, _kept(changes))


def _kept(changes: StackChanges) -> list[Resource]:
    """The Resources the Stack holds after its changes: what its record lists."""
    return [c.resource for c in changes.changes
            if c.resource is not None and c.action not in (Action.SKIPPED, Action.DELETE)]


def _write_records(run: _Run, stacks: list[StackChanges], commit: str | None
                   ) -> list[StackChanges]:
    """Record each applied Stack (under its lease) with the run's commit, if any."""
    written = []
    for stack in stacks:
        if stack.outcome is StackOutcome.APPLIED:
            try:
                _write_record(run, stack, commit)
            except HomestackError as exc:  # a lease lost meanwhile, a store gone
                stack = run.fail(stack, StackOutcome.FAILED, str(exc), _kind(exc))
        written.append(stack)
    return written


def _write_record(run: _Run, stack: StackChanges, commit: str | None) -> None:
    lease = run.heartbeat.current(stack.stack)
    kept = _kept(stack)
    if not kept:
        run.store.delete_stack(lease)
        return
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
        gitops_commit=commit,
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
) -> ApplyResult:
    """Plan the selected Stacks without dry-runs, then apply exactly that plan (``--yes``)."""
    planned = plan(desired, targets, store, replace(options, confirm=False), names,
                   with_dependents=with_dependents)
    return apply(desired, targets, store, options, planned, observer=observer)
