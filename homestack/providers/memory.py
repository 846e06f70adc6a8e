"""An in-memory twin of a target, for engine tests and dry experiments without any server.

``MemoryWorld`` plays the outside system: objects by address with a version that grows on each
write, and faults to inject (a failing address). ``MemoryTarget`` is a target over one world
for one provider, as stateless as the real ones: it observes the world once per run, plans
from that value, and applies exactly the changes it is given.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from homestack.model import Provider, Resource
from homestack.model.address import Address
from homestack.model.changeset import Action, Change, ChangeSet, Observed, Recorder
from homestack.model.diff import unified
from homestack.providers.errors import InvalidError
from homestack.state import StackRecord


@dataclass(frozen=True)
class Stored:
    """One object in the world: its body, the Stack that owns it, its version."""

    body: Mapping[str, Any]
    stack: str
    version: int


@dataclass
class MemoryWorld:
    """The outside system of a ``MemoryTarget``; ``log`` lists every write in order."""

    objects: dict[str, Stored] = field(default_factory=dict)
    failing: set[str] = field(default_factory=set)
    log: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _version: int = 0

    def snapshot(self) -> Mapping[str, Stored]:
        """The objects as they are now (an immutable view of a copy)."""
        with self.lock:
            return MappingProxyType(dict(self.objects))

    def put(self, address: str, body: Mapping[str, Any], stack: str) -> Stored:
        """Write an object; raises ``InvalidError`` for an address set to fail."""
        with self.lock:
            if address in self.failing:
                raise InvalidError("the world refused this object", subject=address)
            current = self.objects.get(address)
            if current is not None and current.body == body and current.stack == stack:
                return current
            self._version += 1
            stored = Stored(MappingProxyType(dict(body)), stack, self._version)
            self.objects[address] = stored
            self.log.append(("put", address))
            return stored

    def remove(self, address: str) -> None:
        """Delete an object (gone already is fine); raises ``InvalidError`` for an address
        set to fail."""
        with self.lock:
            if address in self.failing:
                raise InvalidError("the world refused to delete this object", subject=address)
            self.objects.pop(address, None)
            self.log.append(("delete", address))


class MemoryTarget:
    """A target of ``provider`` over a ``MemoryWorld``."""

    def __init__(self, provider: Provider, world: MemoryWorld, name: str = "memory") -> None:
        self.provider = provider
        self.world = world
        self.name = name

    def identity(self) -> str:
        return f"memory:{self.name}:{id(self.world):x}"

    def handles(self, resource: Resource) -> bool:
        return resource.provider is self.provider

    def companions(self, stack: str, handled: Sequence[Resource]) -> list[Resource]:
        return []

    def observe(self, desired: Sequence[Resource], recorded: Sequence[StackRecord]
                ) -> Mapping[str, Stored]:
        return self.world.snapshot()

    def plan_stack(self, stack: str, desired: Sequence[Resource], recorded: StackRecord | None,
                   seen: Mapping[str, Stored], *, confirm: bool = True) -> list[Change]:
        changes = []
        for resource in desired:
            current = seen.get(resource.address)
            observed = None if current is None else Observed(str(current.version),
                                                             resource.address)
            if current is None:
                action = Action.CREATE
            elif dict(current.body) == resource.body and current.stack == stack:
                action = Action.UNCHANGED
            else:
                action = Action.UPDATE
            diff = "" if action is Action.UNCHANGED else unified(
                resource.address, dict(current.body) if current else None, resource.body)
            changes.append(Change(stack, resource.typed_address, action, diff,
                                  resource=resource, observed=observed))
        wanted = {r.address for r in desired}
        for address, stored in sorted(seen.items()):
            if stored.stack == stack and address not in wanted and \
                    Address.parse(address).provider == self.provider.value:
                changes.append(Change(stack, Address.parse(address), Action.DELETE,
                                      observed=Observed(str(stored.version), address)))
        return changes

    def apply_stack(self, stack: str, changes: Sequence[Change], recorder: Recorder) -> None:
        for change in changes:
            recorder.intent(change)
            if change.action is Action.DELETE:
                self.world.remove(str(change.address))
                recorder.done(change, None)
                continue
            assert change.resource is not None
            stored = self.world.put(change.resource.address, change.resource.body, stack)
            changed = change.observed is None or str(stored.version) != change.observed.version
            recorder.done(change, change.resource.address, changed)

    def finish(self, changeset: ChangeSet) -> str | None:
        return None

    def close(self) -> None:
        """Nothing to release."""
