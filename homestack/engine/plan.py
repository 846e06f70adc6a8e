"""plan: desired vs recorded vs observed → a ChangeSet, Stack by Stack in DAG order.

Each target observes once per run (``observe``), then plans every Stack from that value.
Resources no target handles (a provider the Site does not configure) appear as ``skipped``
and never fail the run. A failure to observe fails the Stacks that needed the observation, with
one line each; the other Stacks are planned as usual.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from homestack.engine.desired import Desired
from homestack.engine.guards import guard
from homestack.engine.options import EngineOptions
from homestack.engine.target import Target, Targets
from homestack.model import HomestackError, ModelError, Provider, Resource, canonical_json
from homestack.model.address import Address
from homestack.model.changeset import (
    Action,
    Change,
    ChangeSet,
    FailureKind,
    Permissions,
    SkipReason,
    StackChanges,
    StackOutcome,
)
from homestack.providers.registry import phase
from homestack.state import ResourceRecord, StackRecord, StateStore


def select(desired: Desired, names: Sequence[str] | None, with_dependents: bool) -> list[str]:
    """The Stacks to act on, in apply order; a name the homelab does not declare is refused."""
    desired.graph.check_known(names or ())
    chosen = set(names) if names else set(desired.graph.needs)
    if names and with_dependents:
        chosen |= desired.graph.dependents(names)
    return [name for name in desired.graph.order() if name in chosen]


def stack_hash(resources: Iterable[Resource]) -> str:
    """Content hash of a Stack: the hashes of its Resources in address order."""
    return _hash_of({r.address: r.content_hash for r in resources})


def _hash_of(hashes: dict[str, str]) -> str:
    return hashlib.sha256(canonical_json(sorted(hashes.items())).encode()).hexdigest()


def hash_of_records(records: Iterable[ResourceRecord]) -> str:
    """The content hash a Stack with exactly these recorded Resources has."""
    return _hash_of({r.address: r.content_hash for r in records})


def targets_signature(targets: Targets, resources: Sequence[Resource]) -> str:
    """The names of the targets that handle ``resources``, as recorded with a Stack."""
    names = {t.name for p, t in targets.items() for r in resources
             if r.provider is p and t.handles(r)}
    return "+".join(sorted(names))


@dataclass(frozen=True)
class Observations:
    """What each target saw in this run; a target whose observation failed has its error."""

    seen: dict[Provider, Any]
    errors: dict[Provider, HomestackError]


def observe_all(targets: Targets, resources: Sequence[Resource],
                records: Sequence[StackRecord]) -> Observations:
    """Let each target observe what is in scope, once."""
    seen: dict[Provider, Any] = {}
    errors: dict[Provider, HomestackError] = {}
    for provider, target in targets.items():
        own = [r for r in resources if r.provider is provider and target.handles(r)]
        try:
            seen[provider] = target.observe(own, records)
        except HomestackError as exc:
            errors[provider] = exc
    return Observations(seen, errors)


def plan_stack(
    stack: str,
    resources: Sequence[Resource],
    targets: Targets,
    recorded: StackRecord | None,
    observations: Observations | None,
    options: EngineOptions,
    *,
    removed: bool = False,
) -> StackChanges:
    """Plan one Stack over every target, skipped Resources, then the guards.

    ``observations`` None plans from the recorded content hashes alone. ``removed`` marks a
    Stack that left the homelab: its objects are pruned only with ``allow_empty`` (a folder
    that vanished by mistake must not delete a Service), or by ``destroy``.
    """
    hashes = {r.address: r.content_hash for r in resources}  # each computed once a plan
    result = StackChanges(stack=stack, recorded_revision=recorded.revision if recorded else None,
                          content_hash=_hash_of(hashes))
    changes: list[Change] = []
    handled_count = 0
    for provider, target in sorted(targets.items(), key=lambda item: _phase(item[0])):
        own = [r for r in resources if r.provider is provider and target.handles(r)]
        handled_count += len(own)
        if not removed:  # a Stack that leaves keeps no bookkeeping objects either
            own += target.companions(stack, own)
        try:
            changes += _plan_target(stack, own, target, provider, recorded,
                                    observations, options, hashes, removed=removed)
        except HomestackError as exc:
            kind = getattr(exc, "kind", FailureKind.OTHER)
            return replace(result, changes=tuple(changes)).failed_as(
                StackOutcome.FAILED, str(exc),
                kind if isinstance(kind, FailureKind) else FailureKind.OTHER)
    changes += [
        Change(stack, r.typed_address, Action.SKIPPED, resource=r,
               skip=SkipReason.PROVIDER_NOT_CONFIGURED)
        for r in resources if not _handled(targets, r)
    ]
    return _settle(replace(result, changes=tuple(changes)), handled_count,
                   options.permissions, removed)


def _plan_target(stack: str, own: list[Resource], target: Target, provider: Provider,
                 recorded: StackRecord | None, observations: Observations | None,
                 options: EngineOptions, hashes: dict[str, str], *,
                 removed: bool = False) -> list[Change]:
    if observations is None:
        return _from_record(stack, own, recorded, provider, hashes)
    if provider in observations.errors:
        # A provider that did not answer fails only the Stacks that use it (a removed Stack
        # may have left objects there that only a killed run's journal names).
        if not own and not removed and not _records_of(recorded, provider):
            return []
        raise observations.errors[provider]
    return target.plan_stack(stack, own, recorded, observations.seen[provider],
                             confirm=options.confirm)


def _records_of(recorded: StackRecord | None, provider: Provider) -> list[str]:
    prefix = f"{provider.value}:"
    return [r.address for r in (recorded.resources if recorded else ()) if
            r.address.startswith(prefix)]


def _settle(result: StackChanges, handled_count: int, permissions: Permissions,
            removed: bool) -> StackChanges:
    """The Stack's outcome from its changes and the guards' verdict under ``permissions``."""
    failures = [c for c in result.changes if c.action is Action.FAILED]
    verdict = guard(result, handled_count, permissions, removed=removed)
    if failures:
        first = failures[0].failure
        return result.failed_as(
            StackOutcome.FAILED, "; ".join(_named(c) for c in failures),
            first.kind if first else FailureKind.OTHER)
    if verdict.blocked:
        return result.failed_as(StackOutcome.BLOCKED, verdict.blocked, FailureKind.GUARD)
    result = result.noted(*verdict.allowed)
    if result.conflicts and not permissions.force_conflicts:
        result = result.noted(
            f"{len(result.conflicts)} declared fields are held by another field manager: "
            "apply refuses this Stack unless it is planned with --force-conflicts or the "
            "fields are dropped from the Stack")
    if not result.has_changes:
        return replace(result, outcome=StackOutcome.UNCHANGED)
    return result


def _named(change: Change) -> str:
    """The change's note led by its address, once (a provider's message may name it)."""
    note, address = change.note, str(change.address)
    return note if note.startswith(address) else f"{address}: {note}"


def _phase(provider: Provider) -> int:
    return phase(provider.value)


def _handled(targets: Targets, resource: Resource) -> bool:
    target = targets.get(resource.provider)
    return target is not None and target.handles(resource)


def _from_record(stack: str, handled: Sequence[Resource], recorded: StackRecord | None,
                 provider: Provider, hashes: dict[str, str]) -> list[Change]:
    """A plan from recorded content hashes alone (no contact with the target); no record
    is an empty one."""
    changes = []
    wanted = {r.address for r in handled}
    before_hashes = {r.address: r.content_hash for r in recorded.resources} if recorded else {}
    for resource in handled:
        before = before_hashes.get(resource.address)
        if before is None:
            action = Action.CREATE
        elif before != (hashes.get(resource.address) or resource.content_hash):
            action = Action.UPDATE
        else:
            action = Action.UNCHANGED
        changes.append(Change(stack, resource.typed_address, action, resource=resource))
    for entry in recorded.resources if recorded is not None else ():
        if entry.address in wanted:
            continue
        address = Address.parse(entry.address)
        if address.provider == provider.value:
            changes.append(Change(stack, address, Action.DELETE))
    return changes


def _usable_record(recorded: StackRecord | None, signature: str) -> bool:
    """Whether the record alone can plan the Stack: it was made by the same targets, or there
    is none and no target handles anything of the Stack (nothing there to observe)."""
    if recorded is None:
        return signature == ""
    return recorded.target == signature


def plan(
    desired: Desired,
    targets: Targets,
    store: StateStore,
    options: EngineOptions,
    names: Sequence[str] | None = None,
    *,
    with_dependents: bool = False,
) -> ChangeSet:
    """Plan the selected Stacks (all by default) in DAG order; takes no lease.

    Without ``options.refresh`` a Stack whose record was made by the same targets is planned
    from its record alone; the others are observed.
    """
    selected = select(desired, names, with_dependents)
    gone = removed_stacks(desired, store) if not names else []
    if gone and not desired.graph.needs and not options.allow_prune:
        raise vanished(gone)
    records = {name: store.read_stack(name) for name in [*selected, *gone]}
    resources = {name: desired.resources.get(name, []) for name in selected}
    live = [name for name in [*selected, *gone] if options.refresh or not _usable_record(
        records[name], targets_signature(targets, resources.get(name, [])))]
    observations = observe_all(
        targets, [r for name in live for r in resources.get(name, [])],
        [rec for name in live if (rec := records[name]) is not None],
    ) if live else None
    stacks = []
    for name in [*selected, *gone]:
        seen = observations if name in live else None
        planned = plan_stack(name, resources.get(name, []), targets, records[name], seen,
                             options, removed=name in gone)
        stacks.append(planned.noted(*interrupted(store, name)))
    return ChangeSet(tuple(stacks), permissions=options.permissions)


def vanished(recorded: Sequence[str]) -> ModelError:
    """The homelab declares no Stack while state holds some: a folder that is gone by mistake
    (an unmounted share, a bad checkout) must not read as "remove every Service"."""
    shown = ", ".join(recorded[:8]) + (" ..." if len(recorded) > 8 else "")
    return ModelError(
        f"the homelab declares no Stack (stacks/ is missing or empty), but state holds "
        f"{len(recorded)}: {shown}", subject="stacks/",
        hint="Restore stacks/; to remove every Stack on purpose, plan with --allow-prune or "
             "run `homestack destroy`")


def interrupted(store: StateStore, stack: str) -> list[str]:
    """A note per run whose journal is still open for ``stack``: interrupted, or in progress
    when that run still holds the Stack's lease (and is not known to be dead)."""
    by_run: dict[str, list[bool]] = {}
    for entry in store.journal_open(stack):
        by_run.setdefault(entry.run_id, []).append(entry.done)
    lease = store.read_lease(stack)
    live = lease is not None and not lease.holder.is_known_dead() and \
        lease.expires_at > datetime.now(UTC)
    notes = []
    for run, done in sorted(by_run.items()):
        if live and lease is not None and lease.run_id == run:
            notes.append(f"run {run} is in progress ({lease.holder}): {sum(done)} of "
                         f"{len(done)} changes completed so far")
        else:
            notes.append(f"run {run} was interrupted: {sum(done)} changes completed, "
                         f"{len(done) - sum(done)} may have completed; the plan re-checked "
                         "them against the target")
    return notes


def removed_stacks(desired: Desired, store: StateStore) -> list[str]:
    """Stacks with recorded state, or a journal a killed run left open, that the homelab no
    longer declares: what they wrote is pruned like the rest of a removed Stack."""
    known = {*store.stacks(), *store.journaled()}
    return sorted(name for name in known if name not in desired.graph.needs)
