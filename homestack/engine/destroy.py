"""destroy: a plan in destroy mode, executed by apply like any other plan.

The plan deletes everything the named Stacks own (their records, and what the targets find
labelled for them), dependents first. A name the homelab neither declares nor records is
refused, and so is a Stack another applied Stack needs unless that one is destroyed too. Data
holders stay protected: without ``allow_data_loss`` a Stack holding PVCs, Namespaces or
databases is blocked and nothing of it is deleted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from homestack.engine.apply import apply
from homestack.engine.desired import Desired
from homestack.engine.options import EngineOptions
from homestack.engine.plan import interrupted, observe_all, plan_stack
from homestack.engine.target import Targets
from homestack.graph.errors import UnknownStackError
from homestack.model import ModelError
from homestack.model.changeset import ApplyResult, ChangeSet, PlanMode
from homestack.state import StateStore


def plan_destroy(
    desired: Desired,
    targets: Targets,
    store: StateStore,
    options: EngineOptions,
    names: Sequence[str],
    *,
    with_dependents: bool = False,
) -> ChangeSet:
    """The destroy plan of ``names`` (and, asked, every Stack that needs them); takes no
    lease. Raises ``UnknownStackError`` or ``ModelError`` (exit 3) before observing."""
    chosen = _chosen(desired, store, names, with_dependents)
    declared = desired.graph.order()
    order = [n for n in reversed(declared) if n in chosen]
    order = [n for n in sorted(chosen) if n not in declared] + order
    records = {name: store.read_stack(name) for name in order}
    observations = observe_all(targets, [], [r for r in records.values() if r is not None])
    # Destroying is the explicit intent to empty the Stack: only data holders stay guarded.
    emptied = replace(options, allow_empty=True, allow_prune=True)
    stacks = tuple(
        plan_stack(name, [], targets, records[name], observations, emptied, removed=True)
        .noted(*interrupted(store, name))
        for name in order)
    return ChangeSet(stacks, mode=PlanMode.DESTROY, permissions=options.permissions)


def _chosen(desired: Desired, store: StateStore, names: Sequence[str],
            with_dependents: bool) -> set[str]:
    declared = set(desired.graph.needs)
    recorded = set(store.stacks())
    unknown = sorted(set(names) - declared - recorded)
    if unknown:
        raise UnknownStackError(unknown, sorted(declared | recorded))
    chosen = set(names)
    # A dependent that was never applied (or is destroyed already) loses nothing.
    dependents = (desired.graph.dependents(chosen & declared) - chosen) & recorded
    if dependents and not with_dependents:
        needs = desired.graph.needs
        pairs = sorted(f"{d} needs {', '.join(sorted(set(needs[d]) & chosen))}"
                       for d in dependents if set(needs[d]) & chosen)
        shown = "; ".join(pairs) or ", ".join(sorted(dependents))
        raise ModelError(
            f"cannot destroy {', '.join(sorted(chosen))}: other Stacks need it ({shown})",
            subject="destroy",
            hint="Destroy them too (--with-dependents) or remove the need from their "
                 "stack.py first")
    return chosen | dependents


def destroy(
    desired: Desired,
    targets: Targets,
    store: StateStore,
    options: EngineOptions,
    names: Sequence[str],
    *,
    with_dependents: bool = False,
) -> ApplyResult:
    """Plan the destroy of ``names`` and apply exactly that plan (``destroy --yes``)."""
    planned = plan_destroy(desired, targets, store, options, names,
                           with_dependents=with_dependents)
    return apply(desired, targets, store, options, planned)
