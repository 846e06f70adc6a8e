"""Safety guards on planned changes: no silent data loss, no silently emptied Stack."""

from __future__ import annotations

from homestack.engine.options import EngineOptions
from homestack.model.changeset import Action, Change, StackChanges
from homestack.model.kinds import is_data_holder


def guard(changes: StackChanges, desired_count: int, options: EngineOptions, *,
          removed: bool = False) -> str:
    """Why ``changes`` must not be applied, or "" when they may.

    ``removed``: the Stack left the homelab (its folder or stack file is gone). Replacing a
    data holder deletes it first, so it is guarded like a delete.
    """
    deletes = [c for c in changes.changes if c.action is Action.DELETE]
    if deletes and removed and not options.allow_empty:
        return (
            f"Stack {changes.stack} left the homelab; pruning it would delete all "
            f"{len(deletes)} of its objects. Pass --allow-empty to prune it, or run "
            f"`homestack destroy {changes.stack}`"
        )
    if deletes and desired_count == 0 and not options.allow_empty:
        return (
            f"the plan would delete all {len(deletes)} objects of Stack {changes.stack}. "
            "Pass --allow-empty if the Stack is meant to be empty, or destroy it"
        )
    losing = [c for c in changes.changes if c.action in (Action.DELETE, Action.REPLACE)]
    holders = [str(c.address) for c in losing if is_data_holder(c.address) or _claims(c)]
    if holders and not options.allow_data_loss:
        shown = ", ".join(holders[:5]) + (" ..." if len(holders) > 5 else "")
        return (
            f"the plan would delete data holders ({shown}). "
            "Pass --allow-data-loss to delete them, or keep them in the Stack"
        )
    return ""


def _claims(change: Change) -> bool:
    """A StatefulSet replaced with its volume claim templates: its claims go with it."""
    body = change.resource.body if change.resource is not None else {}
    return change.action is Action.REPLACE and change.address.kind == "StatefulSet" \
        and bool((body.get("spec") or {}).get("volumeClaimTemplates"))
