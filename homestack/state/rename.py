"""Renaming a Stack's record (``homestack state mv OLD NEW``), under both Stacks' leases.

The record moves as it is (resources, provider ids, hashes); the objects are not touched here.
Their inventory labels follow on the next apply of the new Stack, which plans them as
``move`` (relabelled in place, never recreated).
"""

from __future__ import annotations

from homestack.model.errors import ModelError
from homestack.state.records import Holder, StackRecord
from homestack.state.store import StateStore


def rename_stack(store: StateStore, old: str, new: str, holder: Holder, *,
                 wait: float = 0.0) -> StackRecord:
    """Record ``old``'s state under ``new`` and forget ``old``; returns the new record.

    Refuses (``ModelError``) when ``old`` has no record or ``new`` already has one.
    """
    if old == new:
        raise ModelError("the old and the new name are the same", subject=f"state mv {old}")
    first, second = sorted((old, new))  # one lock order, so two renames cannot deadlock
    leases = {first: store.acquire(first, holder, wait=wait)}
    try:
        leases[second] = store.acquire(second, holder, wait=wait)
        record = store.read_stack(old)
        if record is None:
            raise ModelError("no recorded state to move", subject=old,
                             hint="homestack state list shows the recorded Stacks")
        if store.read_stack(new) is not None:
            raise ModelError(f"Stack {new} already has recorded state", subject=new,
                             hint="Pick a name no Stack has, or destroy that Stack first")
        moved = store.write_stack(leases[new], record.model_copy(update={"stack": new}),
                                  expected_revision=None)
        store.delete_stack(leases[old])
        return moved
    finally:
        for lease in leases.values():
            store.release(lease)
