"""The desired homelab: load → render → govern → order, the input of every verb.

One function so that ``render``, ``validate``, ``plan`` and ``apply`` can never disagree on what
the homelab wants.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from homestack.catalog import Homelab, render_all
from homestack.graph import CycleError, MissingCapabilityError, StackGraph, build_graph
from homestack.model import Resource
from homestack.policy import govern


@dataclass(frozen=True)
class Desired:
    """Every selected Stack's Resources and the DAG of the whole homelab."""

    homelab: Homelab
    resources: dict[str, list[Resource]]
    graph: StackGraph

    def all_resources(self) -> list[Resource]:
        """Resources of every selected Stack, Stack by Stack in name order."""
        return [r for name in sorted(self.resources) for r in self.resources[name]]


def order(homelab: Homelab) -> StackGraph:
    """The DAG of ``homelab``; a cycle error names the stack file of its first Stack."""
    try:
        return build_graph(homelab.stacks, homelab.site.platform.present)
    except CycleError as exc:
        first = exc.cycle[0]
        stack = homelab.stacks[first]
        path = homelab.relative(homelab.stack_files[first])
        location = f"{path}:{stack.origin.line}" if stack.origin else path
        raise CycleError(exc.cycle, location=location) from exc
    except MissingCapabilityError as exc:
        origin = exc.missing[0].origin
        where = f"{homelab.relative(Path(origin.file))}:{origin.line}" if origin else None
        raise MissingCapabilityError(exc.stack, exc.missing, where) from exc


def desired(homelab: Homelab, names: Sequence[str] | None = None) -> Desired:
    """Render, govern and order ``homelab`` (only ``names``' Resources kept when given); all
    or nothing.

    Every Stack is rendered even for a few: a Stack's governed objects depend on the others
    (the namespace's owner and tier, the Authentik blueprint over every ingress), and a Stack
    rendered alone would miss what the others' Helm releases declare.
    """
    graph = order(homelab)
    graph.check_known(names or ())
    rendered = render_all(homelab)
    governed = govern(homelab, rendered.resources)
    kept = {name: governed[name] for name in names} if names else governed
    return Desired(homelab=homelab, resources=kept, graph=graph)
