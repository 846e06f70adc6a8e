"""Hand a Stack's changes to their targets in order: writes by provider phase (machines,
Vault, Kubernetes, DNS, identities), then deletes in the reverse phase order."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from homestack.engine.target import Targets
from homestack.model import Provider
from homestack.model.changeset import Action, Change, Recorder
from homestack.model.kinds import LAST_PHASE, PROVIDER_PHASE


def _phase(change: Change) -> int:
    return PROVIDER_PHASE.get(change.address.provider, LAST_PHASE)


def perform(targets: Targets, stack: str, changes: Sequence[Change], recorder: Recorder) -> None:
    """Apply ``changes`` of ``stack``; the first target failure propagates."""
    writes = sorted((c for c in changes if c.action.writes), key=_phase)
    deletes = sorted((c for c in changes if c.action is Action.DELETE), key=_phase,
                     reverse=True)
    for batch in (writes, deletes):
        for provider, group in groupby(batch, key=lambda c: c.address.provider):
            targets[Provider(provider)].apply_stack(stack, list(group), recorder)
