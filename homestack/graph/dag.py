"""The Stack DAG: declared and inferred needs, waves, and impact ("who depends on X").

Inferred needs come from the kit (a database requires the ``postgres`` capability, so its
Stack needs the Stack that provides it, ``dbaas`` by convention) and from governance: in a
homelab with tiers, every Stack needs the Stack that owns the tier PriorityClasses, since the
API server refuses a Pod whose PriorityClass does not exist yet (except the Stacks that Stack
itself needs).

Wave 0 holds the Stacks that need nothing; wave n the Stacks whose deepest need is in wave n-1.
A Stack can start as soon as its wave begins, so waves are the unit of parallel apply.
"""

from __future__ import annotations

import graphlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from homestack.graph.errors import CycleError, MissingCapabilityError, UnknownStackError
from homestack.model import Capability, Stack
from homestack.model.capability import FACTS
from homestack.policy import priority_owner


@dataclass(frozen=True)
class StackGraph:
    """Stack name → the Stack names it needs (declared plus inferred), and derived orders."""

    needs: Mapping[str, tuple[str, ...]]
    inferred: Mapping[str, tuple[str, ...]]
    waves: tuple[tuple[str, ...], ...]

    def wave_of(self, name: str) -> int:
        """The wave index of ``name``."""
        for index, wave in enumerate(self.waves):
            if name in wave:
                return index
        raise KeyError(name)

    def check_known(self, names: Iterable[str]) -> None:
        """Raise ``UnknownStackError`` when a name is not a Stack of this graph."""
        unknown = sorted(set(names) - set(self.needs))
        if unknown:
            raise UnknownStackError(unknown, sorted(self.needs))

    def order(self) -> list[str]:
        """Every Stack in apply order (wave by wave, names sorted inside a wave)."""
        return [name for wave in self.waves for name in wave]

    def dependents(self, names: Iterable[str]) -> set[str]:
        """Every Stack that needs one of ``names``, directly or through others."""
        reverse: dict[str, set[str]] = {name: set() for name in self.needs}
        for name, needs in self.needs.items():
            for need in needs:
                reverse.setdefault(need, set()).add(name)
        return reachable(names, reverse)

    def dependencies(self, names: Iterable[str]) -> set[str]:
        """Every Stack that one of ``names`` needs, directly or through others."""
        return reachable(names, self.needs)


def reachable(names: Iterable[str], edges: Mapping[str, Iterable[str]]) -> set[str]:
    """Every name reached from ``names`` along ``edges``, in one or more steps."""
    found: set[str] = set()
    pending = list(names)
    while pending:
        for step in edges.get(pending.pop(), ()):
            if step not in found:
                found.add(step)
                pending.append(step)
    return found


def providers(stacks: Mapping[str, Stack]) -> dict[Capability, tuple[str, ...]]:
    """Capability → the Stacks that provide it."""
    found: dict[Capability, list[str]] = {}
    for name in sorted(stacks):
        for capability in stacks[name].capabilities:
            found.setdefault(capability, []).append(name)
    return {capability: tuple(names) for capability, names in found.items()}


def inferred_needs(stack: Stack, provided: Mapping[Capability, tuple[str, ...]],
                   present: Iterable[Capability] = ()) -> tuple[str, ...]:
    """The Stacks ``stack`` must come after because its components require what they
    provide (a database requires the Stack of the shared Postgres cluster).

    A requirement that no Stack provides and the Site does not declare present raises
    ``MissingCapabilityError`` at the stack line that declared the component: it is never
    dropped.
    """
    found: set[str] = set()
    missing = []
    for requirement in stack.requirements():
        capability = requirement.capability
        if capability in stack.capabilities:
            continue
        if capability not in provided:
            if capability not in present:
                missing.append(requirement)
            continue
        if FACTS[capability].apply_after:
            found.update(provided[capability])
    if missing:
        raise MissingCapabilityError(stack.name, missing)
    return tuple(sorted(found - set(stack.needs) - {stack.name}))


def build_graph(stacks: Mapping[str, Stack],
                present: Iterable[Capability] = ()) -> StackGraph:
    """Order ``stacks`` into waves; raise ``CycleError`` with the cycle path, and
    ``MissingCapabilityError`` for a capability required and provided by nothing (``present``
    lists those the cluster has outside the homelab)."""
    provided = providers(stacks)
    present = frozenset(present)
    inferred = {name: set(inferred_needs(stack, provided, present))
                for name, stack in stacks.items()}
    # Governance makes PriorityClasses for the tiers: only a homelab with tiers has them.
    owner = priority_owner(stacks) if any(s.tier for s in stacks.values()) else None
    if owner is not None:
        before = {name: set(stack.needs) | inferred[name] for name, stack in stacks.items()}
        upstream = {owner} | reachable([owner], before)
        for name, stack in stacks.items():
            if name not in upstream and owner not in stack.needs:
                inferred[name].add(owner)
    needs = {
        name: tuple(sorted(set(stack.needs) | inferred[name]))
        for name, stack in stacks.items()
    }
    sorter = graphlib.TopologicalSorter(needs)
    try:
        sorter.prepare()
    except graphlib.CycleError as exc:
        cycle = list(reversed(exc.args[1]))
        raise CycleError(cycle) from exc
    waves: list[tuple[str, ...]] = []
    while sorter.is_active():
        ready = tuple(sorted(sorter.get_ready()))
        waves.append(ready)
        sorter.done(*ready)
    return StackGraph(needs=needs, inferred={n: tuple(sorted(i)) for n, i in inferred.items()},
                      waves=tuple(waves))
