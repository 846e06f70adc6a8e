"""Saved plans (``plan -o FILE``, ``apply FILE``): the approved change set, checked before use.

A saved plan holds no Resource body, only content hashes; applying it renders the homelab
again and refuses (``StalePlanError``) when any planned Stack's desired content differs from
what was planned. Each Stack's recorded revision is checked again under its lease by apply.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from homestack.engine.desired import Desired
from homestack.engine.errors import StalePlanError
from homestack.engine.plan import stack_hash
from homestack.engine.target import Targets
from homestack.model import ModelError, Resource
from homestack.model.changeset import ChangeSet, PlanMode
from homestack.model.changeset_codec import changeset_from_json, changeset_to_json


def plan_to_json(planned: ChangeSet, targets: Targets) -> dict[str, Any]:
    """The saved form of ``planned``, naming the targets it was made for."""
    return {**changeset_to_json(planned),
            "targets": {p.value: t.name for p, t in sorted(targets.items(),
                                                            key=lambda i: i[0].value)}}


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
