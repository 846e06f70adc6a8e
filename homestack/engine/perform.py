"""Hand a Stack's changes to their targets in order: writes by provider phase (machines,
Vault, Kubernetes, DNS, identities) and kind rank, then deletes in exactly the reverse order
(a Namespace after everything in it, a DNS record before the Ingress it points at)."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from homestack.engine.target import Targets
from homestack.model import Provider
from homestack.model.changeset import Action, Change, Recorder
from homestack.model.kinds import kind_rank
from homestack.providers.registry import phase


def _rank(change: Change) -> tuple[int, int, str]:
    """Provider phase (the registry's), then kind rank inside the provider."""
    return phase(change.address.provider), kind_rank(change.address), str(change.address)


def perform(targets: Targets, stack: str, changes: Sequence[Change], recorder: Recorder) -> None:
    """Apply ``changes`` of ``stack``; the first target failure propagates."""
    writes = sorted((c for c in changes if c.action.writes), key=_rank)
    deletes = sorted((c for c in changes if c.action is Action.DELETE), key=_rank,
                     reverse=True)
    for batch in (writes, deletes):
        for provider, group in groupby(batch, key=lambda c: c.address.provider):
            targets[Provider(provider)].apply_stack(stack, list(group), recorder)
