"""Adoption: taking over objects that exist with a desired identity but are not Homestack's.

A Deployment made by ``kubectl create``, client-side ``kubectl apply``, Terraform, Helm or a
controller carries none of Homestack's inventory labels, so the label-selected LIST does not see
it; applying it as a create would fail on field conflicts. The plan shows it as ``adopt``,
naming the managers that own it and the declared fields that differ. Apply takes it over only
when asked (``homestack adopt``, ``apply --adopt``): a server-side apply that forces ownership
of the fields Homestack declares and adds the inventory labels; fields Homestack does not
declare stay with their owners. An immutable difference (a Deployment selector, a PVC's
storage class) cannot be adopted in place: it needs a replace, and a data holder's replace
loses data.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from homestack.model import Resource
from homestack.model.changeset import Action, Change, Failure, FailureKind
from homestack.model.kinds import is_data_holder
from homestack.providers.errors import ConflictError, ProviderError
from homestack.providers.kubernetes.compare import FIELD_MANAGER
from homestack.providers.kubernetes.drift import drifted_fields

# The answers of the API server that mean "this field cannot change in place".
_REPLACE_KINDS = (FailureKind.IMMUTABLE, FailureKind.INVALID)


def managers(live: dict[str, Any]) -> tuple[str, ...]:
    """Every field manager that owns part of ``live`` (Homestack aside), sorted."""
    entries = (live.get("metadata") or {}).get("managedFields") or []
    return tuple(sorted({str(e.get("manager", "")) for e in entries} - {FIELD_MANAGER, ""}))


def adoption(live: dict[str, Any], declared: dict[str, Any]) -> tuple[str, ...]:
    """The plan's fields of an adopt change: who owns the object, then what differs."""
    owners = managers(live)
    head = f"owned by {', '.join(owners)}" if owners else "owned by no field manager"
    return (head, *(f"{f.ownership} differs" for f in drifted_fields(live, declared)))


def needs_replace(resource: Resource, error: ProviderError) -> Failure:
    """The failure of an adoption the API refuses: a replace is needed (data guard noted)."""
    kind = error.kind
    text = f"cannot be adopted in place ({error})"
    if error.kind in _REPLACE_KINDS:
        text += "; it needs a replace (delete, then create)"
        if is_data_holder(resource.typed_address):
            text += ", which loses the data it holds: back it up, then delete it by hand " \
                    "and apply with --allow-data-loss"
        kind = FailureKind.IMMUTABLE
    return Failure(kind, text, error.managers, error.fields)


def refuse_adoption(changes: Sequence[Change]) -> None:
    """Refuse adopt changes when the run did not ask to take objects over."""
    adopting = [c for c in changes if c.action is Action.ADOPT]
    if adopting:
        raise ConflictError(
            f"{len(adopting)} objects exist but are not Homestack's: "
            + ", ".join(str(c.address) for c in adopting[:5])
            + (" ..." if len(adopting) > 5 else ""),
            subject=adopting[0].stack,
            hint="Review the plan, then take them over with `homestack adopt` or "
                 "`homestack apply --adopt`")
