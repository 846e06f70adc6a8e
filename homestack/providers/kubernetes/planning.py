"""How the kube target plans one Stack from what it observed.

Each desired object is compared on the fields the ``homestack`` field manager owns; a suspected
difference is confirmed by a server-side dry-run (unless the run skips confirmation: the write
tells then). An object another Stack labelled moves; one without Homestack's labels is adopted
(never created over); one that left the Stack is deleted, or moves to the Stack that declares it
now; a change the API server will not make in place is a replace naming the field, and one it
would refuse (a claim grown past what its StorageClass allows) fails in the plan.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from homestack.model import Resource
from homestack.model.address import Address
from homestack.model.changeset import Action, Change, DriftKind, Failure
from homestack.model.diff import unified
from homestack.model.volatile import without_volatile
from homestack.providers.errors import ConflictError, ImmutableFieldError, ProviderError
from homestack.providers.kubernetes import helm_history, inventory
from homestack.providers.kubernetes.adoption import adoption, needs_replace
from homestack.providers.kubernetes.compare import in_sync, same_after_dry_run
from homestack.providers.kubernetes.drift import foreign_additions, masked
from homestack.providers.kubernetes.expansion import refused_growth
from homestack.providers.kubernetes.immutable import forced_fields
from homestack.providers.kubernetes.live import LiveObjects
from homestack.providers.kubernetes.options import KubeOptions
from homestack.providers.kubernetes.ownership import without
from homestack.providers.kubernetes.planned import (
    fields_of,
    labelled,
    observed_of,
    recreation,
    replacement,
    terminating,
    terminating_namespaces,
    yielded_fields,
)
from homestack.state import StackRecord

# (resource, body, force) -> the object as the API server would store it
DryRun = Callable[[Resource, dict[str, Any], bool], dict[str, Any]]


@dataclass(frozen=True)
class StackPlanner:
    """Plans Stacks for one target: its options, the homelab's address → Stack claims and the
    server-side dry-run it confirms with."""

    options: KubeOptions
    claimed: Mapping[str, str]
    dry_run: DryRun
    site: str = ""

    def plan_stack(
        self, stack: str, desired: Sequence[Resource], recorded: StackRecord | None,
        seen: LiveObjects, *, confirm: bool = True,
    ) -> list[Change]:
        live = seen.of_stack(stack)
        ending = terminating_namespaces(seen)
        changes = []
        for r in desired:
            body = live.get(r.address) or seen.objects.get(r.address) \
                or seen.foreign.get(r.address)
            if body is not None and terminating(body, ending):
                changes.append(recreation(stack, r, dict(body)))
            elif r.address in live:
                changes.append(self._plan_one(stack, r, live[r.address], confirm,
                                              seen.expandable))
            else:
                changes.append(self._plan_missing(stack, r, seen, confirm))
        wanted = {r.address for r in desired}
        for address, body in sorted(live.items()):
            if address in wanted:
                continue
            if address in seen.claimed or self.claimed.get(address, stack) != stack:
                # Another Stack in scope declares it: it moves there in place (that Stack's
                # change relabels it); this Stack only stops recording it.
                changes.append(Change(stack, Address.parse(address), Action.MOVE,
                                      fields=("to the Stack that declares it now",),
                                      observed=observed_of(body, ())))
                continue
            changes.append(Change(stack, Address.parse(address), Action.DELETE,
                                  unified(address, without_volatile(body), None),
                                  observed=observed_of(body, ())))
        owners = {**{r.address: stack for r in desired}, **self.claimed}
        changes += helm_history.changes(stack, seen.helm_history,
                                        {**seen.objects, **seen.foreign}, owners,
                                        remove=self.options.remove_helm_history)
        return changes

    def _plan_missing(self, stack: str, resource: Resource, seen: LiveObjects,
                      confirm: bool) -> Change:
        """A desired object not labelled for this Stack: moved in, adopted, or created."""
        owner = seen.stack_of(resource.address)
        if owner is not None:
            body = dict(seen.objects[resource.address])
            planned = self._plan_one(stack, resource, body, confirm, seen.expandable)
            if planned.action in (Action.FAILED, Action.REPLACE):
                return planned
            return replace(planned, action=Action.MOVE,
                           fields=(f"from Stack {owner}", *planned.fields))
        if resource.address in seen.foreign:
            return self._plan_adopt(stack, resource, dict(seen.foreign[resource.address]),
                                    confirm)
        return self._plan_one(stack, resource, None, confirm)

    def _plan_one(self, stack: str, resource: Resource, live: dict[str, Any] | None,
                  confirm: bool, expandable: Mapping[str, bool] | None = None) -> Change:
        address = resource.typed_address
        body = labelled(resource, stack, self.site)
        if live is None:
            return Change(stack, address, Action.CREATE, unified(resource.address, None, body),
                          resource=resource)
        yielded = yielded_fields(resource, live)
        observed = observed_of(live, yielded)
        body = without(body, yielded)
        # An object written before Sites were labelled is in sync without the label; it gets
        # it with its next write.
        compared = body if inventory.site_of(live) else without(
            labelled(resource, stack), yielded)
        if in_sync(live, compared):
            added = tuple(foreign_additions(live, compared))
            return Change(stack, address, Action.UNCHANGED, resource=resource,
                          observed=observed, fields=added,
                          drift=DriftKind.DRIFT if added else None)
        forced = forced_fields(live, body)
        if forced:
            return replacement(stack, resource, live, body, observed, forced)
        refused = refused_growth(live, body, expandable or {})
        if refused is not None:
            return Change(stack, address, Action.FAILED,
                          unified(resource.address, _shown(live, body), body),
                          resource=resource, observed=observed, fields=refused.fields,
                          failure=refused)
        fields = fields_of(live, body, self.options.force_conflicts)
        if not confirm:
            # The write will tell whether anything changed (see _write): no dry-run needed.
            return Change(stack, address, Action.UPDATE,
                          unified(resource.address, _shown(live, body), body),
                          resource=resource, observed=observed, fields=fields)
        try:
            dry = self.dry_run(resource, body, self.options.force_conflicts)
        except ImmutableFieldError as error:
            # A field the table above does not know: the API's answer names it.
            return replacement(stack, resource, live, body, observed,
                                error.fields or (str(error),))
        except ProviderError as error:
            # The values that differ, not only the refusal: drift shows them as a diff.
            diff = unified(resource.address, _shown(live, body), body)
            found = Failure(error.kind, error.detail, error.managers, error.fields)
            if isinstance(error, ConflictError):
                # Another manager took declared fields (a hand edit): a planned update whose
                # conflict apply refuses unless the run takes the fields back on purpose.
                return Change(stack, address, Action.UPDATE, diff, resource=resource,
                              observed=observed, fields=fields, conflict=found)
            return Change(stack, address, Action.FAILED, diff, resource=resource,
                          observed=observed, fields=fields, failure=found)
        if same_after_dry_run(live, dry):
            return Change(stack, address, Action.UNCHANGED, resource=resource,
                          observed=observed)
        shape = _dry_run_shape(body, live, dry)
        diff = unified(resource.address, _shown(live, shape), _shown(dry, shape))
        return Change(stack, address, Action.UPDATE, diff, resource=resource,
                      observed=observed, fields=fields)

    def _plan_adopt(self, stack: str, resource: Resource, live: dict[str, Any], confirm: bool
                    ) -> Change:
        """An object with the desired identity that is not Homestack's: adopt, never create.

        The plan names the managers that own it and the declared fields that differ; a
        forced dry-run finds immutable differences, which need a replace instead.
        """
        body = labelled(resource, stack, self.site)
        owned, *differs = adoption(live, resource.body)
        other = inventory.site_of(live)
        if other and other != self.site:
            owned = (f"applied by Site {other} on this cluster (Sites sharing a cluster need "
                     f"their own Stack and object names); {owned}")
        note = (owned, *helm_history.head(live), *differs)
        diff = unified(resource.address, _shown(live, body), body)
        change = Change(stack, resource.typed_address, Action.ADOPT, diff, resource=resource,
                        observed=observed_of(live, ()), fields=note)
        if not confirm:
            return change
        try:
            self.dry_run(resource, body, True)
        except ProviderError as error:
            return replace(change, action=Action.FAILED,
                           failure=needs_replace(resource, error))
        return change


def _shown(live: dict[str, Any], body: dict[str, Any]) -> Any:
    """What a diff shows of a live (or dry-run) object: the fields ``body`` declares."""
    return masked(without_volatile(live), body)


def _dry_run_shape(body: dict[str, Any], live: dict[str, Any], dry: dict[str, Any]
                   ) -> dict[str, Any]:
    """What a dry-run diff shows: the declared fields, and the top-level fields the server
    derives from them that the dry-run changes (a Secret's ``stringData`` becomes ``data``)."""
    derived = {key: value for key, value in dry.items()
               if key not in body and key not in ("metadata", "status")
               and live.get(key) != value}
    return {**body, **derived}
