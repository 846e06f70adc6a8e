"""Change sets as JSON: the ``--json`` output of every verb and the saved plan of ``plan -o``.

The JSON holds no Resource body (diffs are already masked), only each desired Resource's
content hash: a saved plan is applied against the homelab rendered again, and a Resource
whose hash differs from the plan's is refused.
"""

from __future__ import annotations

from typing import Any

from homestack.model.address import Address
from homestack.model.changeset import (
    Action,
    ApplyResult,
    Change,
    ChangeSet,
    DriftKind,
    Failure,
    FailureKind,
    Observed,
    Permissions,
    PlanMode,
    SkipReason,
    StackChanges,
    StackOutcome,
)
from homestack.model.errors import ModelError
from homestack.model.redact import redact

FORMAT = "homestack.changeset/v2"


def changeset_to_json(changeset: ChangeSet) -> dict[str, Any]:
    """A JSON-able view of ``changeset`` (no Resource bodies)."""
    permissions = changeset.permissions
    return {
        "format": FORMAT,
        "mode": changeset.mode.value,
        "permissions": {"allow_data_loss": permissions.allow_data_loss,
                        "allow_empty": permissions.allow_empty,
                        "force_conflicts": permissions.force_conflicts,
                        "allow_prune": permissions.allow_prune},
        "context": changeset.context,
        "summary": changeset.counts(),
        "commit": changeset.commit,
        "stacks": [_stack_to_json(s) for s in changeset.stacks],
        **({"run_id": changeset.run_id} if isinstance(changeset, ApplyResult) else {}),
    }


def _stack_to_json(stack: StackChanges) -> dict[str, Any]:
    return {
        "stack": stack.stack,
        "outcome": stack.outcome.value,
        "error": redact(stack.error),
        "notes": [redact(note) for note in stack.notes],
        "recorded_revision": stack.recorded_revision,
        "content_hash": stack.content_hash,
        "failure": stack.failure.value if stack.failure else None,
        "changes": [_change_to_json(c) for c in stack.changes],
    }


def _failure_to_json(failure: Failure | None) -> dict[str, Any] | None:
    return None if failure is None else {
        "kind": failure.kind.value, "message": redact(failure.message),
        "managers": list(failure.managers), "fields": list(failure.fields),
    }


def _failure_from_json(raw: Any) -> Failure | None:
    return None if raw is None else Failure(
        FailureKind(raw["kind"]), raw["message"], tuple(raw["managers"]), tuple(raw["fields"]))


def _change_to_json(change: Change) -> dict[str, Any]:
    observed = change.observed
    return {
        "address": str(change.address),
        "action": change.action.value,
        "diff": change.diff,
        "note": redact(change.note),
        "fields": list(change.fields),
        "skip": change.skip.value if change.skip else None,
        "drift": change.drift.value if change.drift else None,
        "failure": _failure_to_json(change.failure),
        "conflict": _failure_to_json(change.conflict),
        "observed": None if observed is None else {
            "version": observed.version, "provider_id": observed.provider_id,
            "yielded": list(observed.yielded),
        },
        "content_hash": change.resource.content_hash if change.resource else None,
        "location": change.location,
        "private": change.private,
    }


def changeset_from_json(data: Any) -> tuple[ChangeSet, dict[str, dict[str, str | None]]]:
    """Read a change set back; also returns the content hash per Stack and address.

    Resources are not part of the JSON: the caller attaches them from a fresh render and
    checks them against the returned hashes. ``ModelError`` names the field that is wrong.
    """
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        found = data.get("format") if isinstance(data, dict) else None
        raise ModelError(f"not a saved plan of this version (format {found!r}, expected "
                         f"{FORMAT!r})", subject="plan", hint="Make the plan again")
    try:
        hashes: dict[str, dict[str, str | None]] = {}
        stacks = []
        for raw in data["stacks"]:
            changes = [_change_from_json(raw["stack"], c) for c in raw["changes"]]
            hashes[raw["stack"]] = {c["address"]: c["content_hash"] for c in raw["changes"]}
            stacks.append(StackChanges(
                stack=raw["stack"], changes=tuple(changes),
                outcome=StackOutcome(raw["outcome"]), error=raw["error"],
                notes=tuple(raw["notes"]),
                recorded_revision=raw["recorded_revision"], content_hash=raw["content_hash"],
                failure=FailureKind(raw["failure"]) if raw["failure"] else None,
            ))
        granted = data["permissions"]
        permissions = Permissions(_flag(granted, "allow_data_loss"),
                                  _flag(granted, "allow_empty"),
                                  _flag(granted, "force_conflicts"),
                                  _flag(granted, "allow_prune"))
        changeset = ChangeSet(stacks=tuple(stacks), commit=data["commit"],
                              mode=PlanMode(data["mode"]), permissions=permissions,
                              context=str(data["context"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"malformed saved plan ({exc!r})", subject="plan") from exc
    return changeset, hashes


def _flag(granted: dict[str, Any], name: str) -> bool:
    value = granted[name]
    if not isinstance(value, bool):
        raise ValueError(f"permissions.{name} must be true or false, not {value!r}")
    return value


def _change_from_json(stack: str, raw: dict[str, Any]) -> Change:
    observed = raw["observed"]
    return Change(
        stack=stack,
        address=Address.parse(raw["address"]),
        action=Action(raw["action"]),
        diff=raw["diff"],
        fields=tuple(raw["fields"]),
        skip=SkipReason(raw["skip"]) if raw["skip"] else None,
        drift=DriftKind(raw["drift"]) if raw["drift"] else None,
        failure=_failure_from_json(raw["failure"]),
        conflict=_failure_from_json(raw["conflict"]),
        observed=None if observed is None else Observed(
            observed["version"], observed["provider_id"], tuple(observed["yielded"])),
        location=raw["location"],
        private=str(raw["private"]),
    )
