"""Saved plans (``plan -o FILE``, ``apply FILE``): the approved change set, checked before use.

A saved plan is sealed (``plan_seal``) and names what it was made for: the homelab, the Site
and each target's identity (a cluster's API server and ``kube-system`` UID, each provider's
endpoint); a plan offered to another is refused. It holds no Resource body, only content
hashes: applying it renders the homelab again and refuses (``StalePlanError``) when any
planned Stack's desired content differs from what was planned. Each Stack's recorded revision
is checked again under its lease by apply.

Whatever the file says, a saved plan deletes nothing its Stack does not own now: the Stacks
it deletes from are planned again, and a delete the targets' ownership records (the Stack's
record, a cluster's inventory labels, a DNS ownership mark, a VM's tag) do not give that Stack
is refused, as is an address listed twice.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from homestack.engine.desired import Desired
from homestack.engine.errors import EngineError, StalePlanError
from homestack.engine.options import EngineOptions
from homestack.engine.plan import observe_all, plan_stack, stack_hash
from homestack.engine.target import Targets
from homestack.model import ModelError, Resource
from homestack.model.changeset import Action, ChangeSet, PlanMode, StackOutcome
from homestack.model.changeset_codec import changeset_from_json, changeset_to_json
from homestack.state import StateStore


def plan_to_json(planned: ChangeSet, targets: Targets, site: str) -> dict[str, Any]:
    """The saved form of ``planned``, naming the Site and the targets it was made for."""
    ordered = sorted(targets.items(), key=lambda i: i[0].value)
    return {**changeset_to_json(planned),
            "site": site,
            "targets": {p.value: t.name for p, t in ordered},
            "identities": {p.value: t.identity() for p, t in ordered}}


def planned_targets(data: Any) -> dict[str, str]:
    """The provider → target names a saved plan was made for."""
    targets = data.get("targets") if isinstance(data, dict) else None
    if not isinstance(targets, dict):
        raise ModelError("a saved plan names its targets; this one does not", subject="plan")
    return {str(k): str(v) for k, v in targets.items()}


def plan_from_json(data: Any, desired: Desired, targets: Targets) -> ChangeSet:
    """The saved plan, with each change's Resource taken from ``desired`` again.

    Raises ``StalePlanError`` naming every Stack whose desired content moved since the plan.
    """
    planned, hashes = changeset_from_json(data)
    # A destroy deletes what the records hold, whatever the homelab declares now.
    moved = [] if planned.mode is PlanMode.DESTROY else [
        s.stack for s in planned.stacks
        if stack_hash(desired.resources.get(s.stack, [])) != s.content_hash]
    if moved:
        raise StalePlanError.for_content(moved)
    stacks = []
    for stack in planned.stacks:
        available = _resources(stack.stack, desired, targets)
        attached = []
        for change in stack.changes:
            wanted = hashes[stack.stack].get(str(change.address))
            resource = available.get(str(change.address)) if wanted else None
            if wanted and (resource is None or resource.content_hash != wanted):
                raise StalePlanError.for_content([stack.stack])
            attached.append(replace(change, resource=resource))
        stacks.append(replace(stack, changes=tuple(attached)))
    return planned.with_stacks(stacks)


def _resources(stack: str, desired: Desired, targets: Targets) -> dict[str, Resource]:
    own = desired.resources.get(stack, [])
    found = {r.address: r for r in own}
    for provider, target in targets.items():
        handled = [r for r in own if r.provider is provider and target.handles(r)]
        found.update({r.address: r for r in target.companions(stack, handled)})
    return found


def admit(data: Any, desired: Desired, targets: Targets, store: StateStore,
          options: EngineOptions) -> ChangeSet:
    """The saved plan ``data`` (its seal already checked), if it was made for this Site and
    these targets, for the homelab as it renders now, and deletes only what its Stacks own.

    Raises ``ModelError`` (another Site or target, an address twice, a delete of what the
    Stack does not own) or ``StalePlanError``; contacts each target once for its identity and
    observes the Stacks the plan deletes from.
    """
    _check_made_for(data, desired.homelab.site.name, targets)
    planned = plan_from_json(data, desired, targets)
    _check_once(planned)
    _check_owned(planned, desired, targets, store, options)
    return planned


def _check_made_for(data: Any, site: str, targets: Targets) -> None:
    if data.get("site") != site:
        raise ModelError(f"the plan was made for Site {data.get('site')!r}, not {site!r}",
                         subject="plan", hint="Make the plan for this Site")
    made_for = data.get("identities")
    if not isinstance(made_for, dict):
        raise ModelError("the plan names no target identities", subject="plan",
                         hint="Make the plan again")
    now = {p.value: t.identity() for p, t in targets.items()}
    moved = sorted(set(made_for) | set(now))
    moved = [p for p in moved if made_for.get(p) != now.get(p)]
    if moved:
        shown = "; ".join(f"{p}: planned for {made_for.get(p) or 'nothing'}, this is "
                          f"{now.get(p) or 'not configured'}" for p in moved)
        raise ModelError(f"the plan was made for other targets ({shown})", subject="plan",
                         hint="Apply it where it was made, or plan again here")


def _check_once(planned: ChangeSet) -> None:
    """Each address is changed by one Stack, once (a move is written by the receiving Stack
    only; the giving Stack's side carries no object)."""
    acting: dict[str, list[str]] = {}
    for stack in planned.stacks:
        listed = [str(c.address) for c in stack.changes]
        twice = sorted({a for a in listed if listed.count(a) > 1})
        if twice:
            raise ModelError(f"the plan lists {', '.join(twice)} twice in Stack {stack.stack}",
                             subject="plan", hint="Make the plan again")
        for change in stack.changes:
            if change.action is Action.DELETE or (change.action.writes
                                                  and change.resource is not None):
                acting.setdefault(str(change.address), []).append(stack.stack)
    shared = {a: s for a, s in acting.items() if len(s) > 1}
    if shared:
        address, stacks = sorted(shared.items())[0]
        raise ModelError(f"the plan changes {address} in several Stacks ({', '.join(stacks)})",
                         subject="plan", hint="Make the plan again")


def _check_owned(planned: ChangeSet, desired: Desired, targets: Targets, store: StateStore,
                 options: EngineOptions) -> None:
    """Plan again the Stacks the saved plan deletes from; refuse a delete the fresh plan has
    not (the targets do not attribute the object to the Stack)."""
    deleting = {s.stack: {str(c.address) for c in s.changes if c.action is Action.DELETE}
                for s in planned.stacks}
    deleting = {name: found for name, found in deleting.items() if found}
    if not deleting:
        return
    destroying = planned.mode is PlanMode.DESTROY
    records = {name: store.read_stack(name) for name in deleting}
    resources = {name: [] if destroying else list(desired.resources.get(name, []))
                 for name in deleting}
    seen = observe_all(targets, [r for rs in resources.values() for r in rs],
                       [r for r in records.values() if r is not None])
    fresh_options = replace(options, confirm=False, allow_empty=True, allow_data_loss=True,
                            allow_prune=True)
    for name, wanted in sorted(deleting.items()):
        fresh = plan_stack(name, resources[name], targets, records[name], seen, fresh_options,
                           removed=destroying or name not in desired.graph.needs)
        if fresh.outcome is StackOutcome.FAILED:
            raise EngineError(f"cannot check what the plan deletes: {fresh.error}",
                              subject=f"Stack {name}", hint="Apply again when it answers")
        owned = {str(c.address) for c in fresh.changes if c.action is Action.DELETE}
        foreign = sorted(wanted - owned)
        if foreign:
            raise ModelError(
                f"the plan deletes {', '.join(foreign)} from Stack {name}, which does not own "
                "it now (neither its record nor the target's ownership mark names it)",
                subject="plan", hint="Make the plan again; nothing was applied")
