"""Safety guards on planned changes: no silent data loss, no silently emptied Stack.

The guards decide when the plan is made, under the permissions it is made with; the plan
shows what they blocked, and what a permission allowed.
"""

from __future__ import annotations

from dataclasses import dataclass

from homestack.model.apisyntax import CLUSTER_NAMESPACES
from homestack.model.changeset import Action, Change, Permissions, StackChanges
from homestack.model.kinds import is_data_holder

# What the cluster itself needs: never deleted or replaced, whatever a plan says.
PROTECTED = frozenset(f"k8s:v1:Namespace:{name}" for name in CLUSTER_NAMESPACES)


@dataclass(frozen=True)
class Verdict:
    """What the guards decided: why the Stack is blocked ("" when it is not), and one note
    per permission that let a guarded change through."""

    blocked: str = ""
    allowed: tuple[str, ...] = ()


def guard(changes: StackChanges, desired_count: int, permissions: Permissions, *,
          removed: bool = False) -> Verdict:
    """The guards' verdict on ``changes``.

    ``removed``: the Stack left the homelab (its folder or stack file is gone). Replacing a
    data holder deletes it first, so it is guarded like a delete.
    """
    allowed: list[str] = []
    losing = [c for c in changes.changes if c.action in (Action.DELETE, Action.REPLACE)]
    vital = [str(c.address) for c in losing if str(c.address) in PROTECTED]
    if vital:
        return Verdict(f"Homestack never deletes {', '.join(vital)}: the cluster needs it")
    deletes = [c for c in changes.changes if c.action is Action.DELETE]
    listed = ", ".join(str(c.address) for c in deletes[:8]) + (
        f" and {len(deletes) - 8} more" if len(deletes) > 8 else "")
    if deletes and removed:
        if not permissions.allow_prune:
            return Verdict(
                f"Stack {changes.stack} left the homelab; pruning it would delete all "
                f"{len(deletes)} of its objects ({listed}). Pass --allow-prune to prune it, "
                f"or run `homestack destroy {changes.stack}`")
        allowed.append(f"--allow-prune allowed pruning all {len(deletes)} objects ({listed})")
    elif deletes and desired_count == 0:
        if not permissions.allow_empty:
            return Verdict(
                f"the plan would delete all {len(deletes)} objects of Stack {changes.stack} "
                f"({listed}). Pass --allow-empty if the Stack is meant to be empty, or "
                "destroy it")
        allowed.append(f"--allow-empty allowed deleting all {len(deletes)} objects")
    holders = [str(c.address) for c in losing if is_data_holder(c.address) or _claims(c)]
    shown = ", ".join(holders[:5]) + (" ..." if len(holders) > 5 else "")
    if holders and not permissions.allow_data_loss:
        return Verdict(
            f"the plan would delete data holders ({shown}). "
            "Pass --allow-data-loss to delete them, or keep them in the Stack")
    if holders:
        allowed.append(f"--allow-data-loss allowed deleting data holders ({shown})")
    return Verdict("", tuple(allowed))


def _claims(change: Change) -> bool:
    """A StatefulSet replaced with its volume claim templates: its claims go with it."""
    body = change.resource.body if change.resource is not None else {}
    return change.action is Action.REPLACE and change.address.kind == "StatefulSet" \
        and bool((body.get("spec") or {}).get("volumeClaimTemplates"))
