"""The journal: the ``Recorder`` a target reports each change to, under the Stack's lease.

Each change is journaled before (intent) and after (done) it happens, so a run killed at any
point is finished by the next one without losing or doubling anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from homestack.model.changeset import Change
from homestack.state import Lease, ResourceRecord, StateStore


@dataclass
class Journal:
    """Journal entries plus what the run saw of each change, for the Stack's record.

    ``results`` holds each done change's new record (None: it is gone from the Stack),
    ``pending`` the changes begun and never reported done (a write whose answer never came).
    One per Stack and run, used by the one thread applying that Stack.
    """

    store: StateStore
    lease: Lease
    provider_ids: dict[str, str | None] = field(default_factory=dict)
    unchanged: set[str] = field(default_factory=set)
    results: dict[str, ResourceRecord | None] = field(default_factory=dict)
    pending: set[str] = field(default_factory=set)

    def intent(self, change: Change) -> None:
        digest = change.resource.content_hash if change.resource else ""
        self.store.journal_intent(self.lease, str(change.address), change.action.value, digest)
        if change.action.writes and change.resource is not None:
            self.pending.add(str(change.address))

    def done(self, change: Change, provider_id: str | None, changed: bool = True) -> None:
        address = str(change.address)
        if not changed:
            self.unchanged.add(address)
        result = None
        if change.resource is not None:
            result = ResourceRecord(address=address, provider_id=provider_id,
                                    content_hash=change.resource.content_hash)
        self.provider_ids[address] = provider_id
        self.results[address] = result
        self.pending.discard(address)
        self.store.journal_done(self.lease, address, result)
