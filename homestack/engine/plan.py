"""plan: desired vs recorded vs observed → a ChangeSet, Stack by Stack in DAG order.

Resources the target does not handle (DNS, Vault, VMs while their providers are not configured)
appear as ``skipped`` with the reason and never fail the run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import replace

from homestack.engine.desired import Desired
from homestack.engine.guards import guard
from homestack.engine.options import EngineOptions
from homestack.engine.target import Target
from homestack.model import Resource, canonical_json
from homestack.model.changeset import Action, Change, ChangeSet, StackChanges, StackOutcome
from homestack.state import StackRecord, StateStore


def select(desired: Desired, names: Sequence[str] | None, with_dependents: bool) -> list[str]:
    """The Stacks to act on, in apply order."""
    chosen = set(names) if names else set(desired.graph.needs)
    if names and with_dependents:
        chosen |= desired.graph.dependents(names)
    return [name for name in desired.graph.order() if name in chosen]


def stack_hash(resources: Iterable[Resource]) -> str:
    """Content hash of a Stack: the hashes of its Resources in address order."""
    hashes = sorted((r.address, r.content_hash) for r in resources)
    return hashlib.sha256(canonical_json(hashes).encode()).hexdigest()


def plan_stack(
    stack: str,
    resources: Sequence[Resource],
    target: Target,
    recorded: StackRecord | None,
    options: EngineOptions,
    *,
    removed: bool = False,
) -> StackChanges:
    """Plan one Stack: the target's changes, skipped Resources, then the guards.

    ``removed`` marks a Stack that left the homelab: deleting all it owned is then the intent,
    so only the data-holder guard applies.
    """
    handled = [r for r in resources if target.handles(r)]
    skipped = [
        Change(stack, r.address, Action.SKIPPED,
               reason=f"provider {r.provider.value} not configured", resource=r)
        for r in resources if not target.handles(r)
    ]
    if not options.refresh and recorded is not None and recorded.target == target.name:
        changes = _from_record(stack, handled, recorded)
    else:
        changes = target.plan_stack(stack, handled, recorded, confirm=options.confirm)
    result = StackChanges(stack=stack, changes=changes + skipped)
    why = guard(result, len(handled), options if not removed else _removal(options))
    failures = [c.reason for c in changes if c.action is Action.FAILED]
    if failures:
        result.outcome = StackOutcome.FAILED
        result.error = "; ".join(failures)
    elif why:
        result.outcome = StackOutcome.BLOCKED
        result.error = why
    elif not result.has_changes:
        result.outcome = StackOutcome.UNCHANGED
    return result


def _removal(options: EngineOptions) -> EngineOptions:
    return replace(options, allow_empty=True)


def _from_record(stack: str, handled: Sequence[Resource], recorded: StackRecord) -> list[Change]:
    """A plan from recorded content hashes alone (no contact with the target)."""
    changes = []
    wanted = {r.address for r in handled}
    for resource in handled:
        before = recorded.resource(resource.address)
        if before is None:
            action = Action.CREATE
        elif before.content_hash != resource.content_hash:
            action = Action.UPDATE
        else:
            action = Action.UNCHANGED
        changes.append(Change(stack, resource.address, action, resource=resource))
    changes.extend(
        Change(stack, r.address, Action.DELETE) for r in recorded.resources
        if r.address not in wanted
    )
    return changes


def plan(
    desired: Desired,
    target: Target,
    store: StateStore,
    options: EngineOptions,
    names: Sequence[str] | None = None,
    *,
    with_dependents: bool = False,
) -> ChangeSet:
    """Plan the selected Stacks (all by default) in DAG order; takes no lease."""
    changeset = ChangeSet()
    for name in select(desired, names, with_dependents):
        recorded = store.read_stack(name)
        planned = plan_stack(name, desired.resources.get(name, []), target, recorded, options)
        planned.notes.extend(interrupted(store, name))
        changeset.stacks.append(planned)
    if not names:
        for name in removed_stacks(desired, store):
            changeset.stacks.append(
                plan_stack(name, [], target, store.read_stack(name), options, removed=True)
            )
    return changeset


def interrupted(store: StateStore, stack: str) -> list[str]:
    """A note per interrupted run whose journal is still open for ``stack``."""
    by_run: dict[str, list[bool]] = {}
    for entry in store.journal_open(stack):
        by_run.setdefault(entry.run_id, []).append(entry.done)
    return [
        f"run {run} was interrupted: {sum(done)} changes completed, "
        f"{len(done) - sum(done)} may have completed; the plan re-checked them against the target"
        for run, done in sorted(by_run.items())
    ]


def removed_stacks(desired: Desired, store: StateStore) -> list[str]:
    """Stacks with recorded state that the homelab no longer declares."""
    return [name for name in store.stacks() if name not in desired.graph.needs]
