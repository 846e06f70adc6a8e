"""The ``kube`` target: server-side apply with field manager ``homestack``, a stateless client.

``observe`` LISTs each kind in scope once with a label selector; ``plan_stack`` compares from
that value alone and confirms suspected differences with a server-side dry-run; the changes
carry what apply needs (the observed resourceVersion, the fields yielded to other managers).
Applies go in kind order (CRDs first, then wait until they are Established), then readiness
waits; deletes go in reverse order. Conflicts with other field managers are reported, never
forced, unless the Resource asks for ``force`` or the run takes them back on purpose
(``KubeOptions.force_conflicts``, ``apply --force-conflicts``).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from lightkube import Client
from lightkube.types import CascadeType

from homestack.model import Provider, Resource
from homestack.model.address import Address
from homestack.model.annotations import MANAGED_BY
from homestack.model.changeset import (
    Action,
    Change,
    ChangeSet,
    Failure,
    Observed,
    Recorder,
)
from homestack.model.diff import unified
from homestack.model.kinds import KIND_RANK, hook_phase, kind_rank
from homestack.model.volatile import without_volatile
from homestack.providers.errors import (
    ConflictError,
    NotFoundError,
    NotReadyError,
    ProviderError,
)
from homestack.providers.kubernetes import helm_history, inventory
from homestack.providers.kubernetes.adoption import adoption, needs_replace, refuse_adoption
from homestack.providers.kubernetes.compare import FIELD_MANAGER, in_sync, same_after_dry_run
from homestack.providers.kubernetes.drift import drifted_fields, owners
from homestack.providers.kubernetes.kinds import KindMap
from homestack.providers.kubernetes.live import LiveObjects
from homestack.providers.kubernetes.ownership import live_segments, without
from homestack.providers.kubernetes.readiness import rule_for
from homestack.providers.kubernetes.retry import RetryPolicy, with_retry
from homestack.state import StackRecord

CRD = ("apiextensions.k8s.io/v1", "CustomResourceDefinition")
NAMESPACE_RANK = KIND_RANK["Namespace"]


@dataclass(frozen=True)
class KubeOptions:
    """How the kube target talks to the API.

    ``timeout`` overrides every per-kind readiness timeout (seconds) when set; ``poll`` is the
    readiness polling interval; ``wait`` turns readiness waits off. ``force_conflicts`` takes
    back, for this run, the declared fields another field manager changed (SSA force); the
    plan names which manager loses which field. ``adopt`` lets apply take over objects that
    exist but are not Homestack's (planned as ``adopt``); without it apply refuses them.
    ``remove_helm_history`` plans the deletion of the release Secrets of Helm releases whose
    objects the homelab declares (else the plan lists them as kept).
    """

    retry: RetryPolicy = field(default_factory=RetryPolicy.default)
    poll: float = 0.25
    timeout: float | None = None
    wait: bool = True
    force_conflicts: bool = False
    adopt: bool = False
    remove_helm_history: bool = False

    @classmethod
    def default(cls) -> KubeOptions:
        """Defaults for a real cluster."""
        return cls()


class KubeTarget:
    """Plans and applies Kubernetes Resources against one cluster; keeps no run state."""

    name = "kube"

    def __init__(self, client: Client, kinds: KindMap, options: KubeOptions | None = None,
                 *, claimed: Mapping[str, str] | None = None) -> None:
        self.client = client
        self.kinds = kinds
        self.options = options or KubeOptions.default()
        # Address → Stack over the whole homelab (fixed for the target's life, not run state):
        # an object a Stack gave up but another Stack declares moves there, even when only
        # the giving Stack is in a run's scope.
        self.claimed: Mapping[str, str] = claimed or {}

    def handles(self, resource: Resource) -> bool:
        return resource.provider is Provider.K8S

    def companions(self, stack: str, handled: Sequence[Resource]) -> list[Resource]:
        """The Stack's ApplySet parent, listing the group-kinds it holds, while it has any."""
        if not handled:
            return []
        kinds = {inventory.group_kind(r.api_version, r.k8s_kind) for r in handled}
        return [Resource.k8s(inventory.parent(stack, kinds))]

    def _call(self, call: Any, subject: str) -> Any:
        return with_retry(call, self.options.retry, subject)

    # -- observing ----------------------------------------------------------------------------
    def observe(self, desired: Sequence[Resource], recorded: Sequence[StackRecord]
                ) -> LiveObjects:
        """LIST every kind in scope once (label selector ``managed-by=homestack``)."""
        kinds = {(r.api_version, r.k8s_kind) for r in desired} | {("v1", "ConfigMap")}
        for record in recorded:
            for entry in record.resources:
                address = Address.parse(entry.address)
                if address.provider == Provider.K8S.value:
                    kinds.add((address.api_version, address.kind))
        kinds_map = self._with_live_crds(kinds)
        objects: dict[str, dict[str, Any]] = {}
        unserved = set()
        for api_version, kind in sorted(kinds):
            if not kinds_map.known(api_version, kind):
                unserved.add((api_version, kind))  # declared with its CRD, applied this run
                continue
            try:
                objects.update(self._list(kinds_map, api_version, kind))
            except NotFoundError:
                unserved.add((api_version, kind))  # a kind not served (yet) has no objects
        foreign = self._foreign(kinds_map, desired, objects, unserved)
        claimed = frozenset(r.address for r in desired)
        found = helm_history.releases([*objects.values(), *foreign.values()])
        history = helm_history.history(self._helm_secrets(), found) if found else {}
        return LiveObjects.of(objects, frozenset(unserved), foreign, claimed, history)

    def _helm_secrets(self) -> list[dict[str, Any]]:
        """Helm's release Secrets in every namespace: names and types only are kept."""
        res = self.kinds.resource("v1", "Secret")
        items = self._call(lambda: list(self.client.list(
            res, namespace="*", labels=dict(helm_history.SECRET_LABELS))), "k8s:v1:Secret")
        bodies = (item.to_dict() for item in items)
        return [{"type": body.get("type"), "metadata": {
            "name": (body.get("metadata") or {}).get("name"),
            "namespace": (body.get("metadata") or {}).get("namespace")}} for body in bodies]

    def _foreign(self, kinds: KindMap, desired: Sequence[Resource],
                 managed: dict[str, dict[str, Any]], unserved: set[tuple[str, str]]
                 ) -> dict[str, dict[str, Any]]:
        """Objects holding a desired identity without Homestack's labels: one LIST without the
        selector per kind where a desired object was not among the managed ones."""
        missing: dict[tuple[str, str], set[str]] = {}
        for resource in desired:
            group_kind = (resource.api_version, resource.k8s_kind)
            if resource.address not in managed and group_kind not in unserved:
                missing.setdefault(group_kind, set()).add(resource.address)
        found: dict[str, dict[str, Any]] = {}
        for (api_version, kind), addresses in sorted(missing.items()):
            listed = self._list(kinds, api_version, kind, selected=False)
            found.update({a: body for a, body in listed.items() if a in addresses})
        return found

    def _with_live_crds(self, kinds: set[tuple[str, str]]) -> KindMap:
        """The kind map, extended by the cluster's CRDs when a kind in scope is unknown."""
        if all(self.kinds.known(a, k) for a, k in kinds):
            return self.kinds
        items = self._call(lambda: list(self.client.list(self.kinds.resource(*CRD))),
                           "k8s:apiextensions.k8s.io/v1:CustomResourceDefinition")
        return self.kinds.with_crds({"kind": CRD[1], **item.to_dict()} for item in items)

    def _list(self, kinds: KindMap, api_version: str, kind: str, *, selected: bool = True
              ) -> dict[str, dict[str, Any]]:
        res = kinds.resource(api_version, kind)
        namespaced = kinds.info(api_version, kind).namespaced
        labels: dict[str, Any] | None = {MANAGED_BY: inventory.MANAGER} if selected else None
        items = self._call(lambda: list(self.client.list(
            res, namespace="*" if namespaced else None, labels=labels)),
            f"k8s:{api_version}:{kind}")
        # List items may omit apiVersion and kind, as the API server's lists do.
        bodies = [{"apiVersion": api_version, "kind": kind, **item.to_dict()} for item in items]
        return {Resource.k8s(body).address: body for body in bodies}

    # -- planning -----------------------------------------------------------------------------
    def plan_stack(
        self, stack: str, desired: Sequence[Resource], recorded: StackRecord | None,
        seen: LiveObjects, *, confirm: bool = True,
    ) -> list[Change]:
        live = seen.of_stack(stack)
        changes = [self._plan_one(stack, r, live.get(r.address), confirm)
                   if r.address in live else self._plan_missing(stack, r, seen, confirm)
                   for r in desired]
        wanted = {r.address for r in desired}
        for address, body in sorted(live.items()):
            if address in wanted:
                continue
            if address in seen.claimed or self.claimed.get(address, stack) != stack:
                # Another Stack in scope declares it: it moves there in place (that Stack's
                # change relabels it); this Stack only stops recording it.
                changes.append(Change(stack, Address.parse(address), Action.MOVE,
                                      fields=("to the Stack that declares it now",),
                                      observed=_observed(body, ())))
                continue
            changes.append(Change(stack, Address.parse(address), Action.DELETE,
                                  unified(address, without_volatile(body), None),
                                  observed=_observed(body, ())))
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
            planned = self._plan_one(stack, resource, body, confirm)
            if planned.action is Action.FAILED:
                return planned
            return replace(planned, action=Action.MOVE,
                           fields=(f"from Stack {owner}", *planned.fields))
        if resource.address in seen.foreign:
            return self._plan_adopt(stack, resource, dict(seen.foreign[resource.address]),
                                    confirm)
        return self._plan_one(stack, resource, None, confirm)

    def _plan_one(self, stack: str, resource: Resource, live: dict[str, Any] | None,
                  confirm: bool) -> Change:
        address = resource.typed_address
        body = _labelled(resource, stack)
        if live is None:
            return Change(stack, address, Action.CREATE, unified(resource.address, None, body),
                          resource=resource)
        yielded = _yielded(resource, live)
        observed = _observed(live, yielded)
        body = without(body, yielded)
        if in_sync(live, body):
            return Change(stack, address, Action.UNCHANGED, resource=resource,
                          observed=observed)
        fields = _fields(live, body, self.options.force_conflicts)
        if not confirm:
            # The write will tell whether anything changed (see _write): no dry-run needed.
            return Change(stack, address, Action.UPDATE,
                          unified(resource.address, without_volatile(live), body),
                          resource=resource, observed=observed, fields=fields)
        try:
            dry = self._apply(resource, body, dry_run=True, force=self.options.force_conflicts)
        except ProviderError as error:
            # The values that differ, not only the refusal: drift shows them as a diff.
            diff = unified(resource.address, without_volatile(live), body)
            return Change(stack, address, Action.FAILED, diff, resource=resource,
                          observed=observed, fields=fields,
                          failure=Failure(error.kind, str(error), error.managers,
                                          error.fields))
        if same_after_dry_run(live, dry):
            return Change(stack, address, Action.UNCHANGED, resource=resource,
                          observed=observed)
        diff = unified(resource.address, without_volatile(live), without_volatile(dry))
        return Change(stack, address, Action.UPDATE, diff, resource=resource,
                      observed=observed, fields=fields)

    def _plan_adopt(self, stack: str, resource: Resource, live: dict[str, Any], confirm: bool
                    ) -> Change:
        """An object with the desired identity that is not Homestack's: adopt, never create.

        The plan names the managers that own it and the declared fields that differ; a
        forced dry-run finds immutable differences, which need a replace instead.
        """
        body = _labelled(resource, stack)
        owned, *differs = adoption(live, resource.body)
        note = (owned, *helm_history.head(live), *differs)
        diff = unified(resource.address, without_volatile(live), body)
        change = Change(stack, resource.typed_address, Action.ADOPT, diff, resource=resource,
                        observed=_observed(live, ()), fields=note)
        if not confirm:
            return change
        try:
            self._apply(resource, body, dry_run=True, force=True)
        except ProviderError as error:
            return replace(change, action=Action.FAILED,
                           failure=needs_replace(resource, error))
        return change

    # -- applying -----------------------------------------------------------------------------
    def _apply(self, resource: Resource, body: dict[str, Any], *, dry_run: bool = False,
               kinds: KindMap | None = None, force: bool = False) -> dict[str, Any]:
        res = (kinds or self.kinds).resource(resource.api_version, resource.k8s_kind)
        obj = res.from_dict(body)
        forced = force or resource.force
        applied = self._call(lambda: self.client.apply(
            obj, field_manager=inventory.MANAGER, force=forced, dry_run=dry_run),
            resource.address)
        return dict(applied.to_dict())

    def apply_stack(self, stack: str, changes: Sequence[Change], recorder: Recorder) -> None:
        if not self.options.adopt:
            refuse_adoption(changes)
        # A move out of this Stack writes nothing here: the receiving Stack relabels it.
        writes = sorted((c for c in changes if c.action.writes and c.resource is not None),
                        key=lambda c: (hook_phase(c.resource), kind_rank(c.address),
                                       str(c.address)))
        deletes = sorted((c for c in changes if c.action is Action.DELETE),
                         key=lambda c: (-kind_rank(c.address), str(c.address)))
        crds = [c for c in writes if c.address.kind == CRD[1]]
        rest = [c for c in writes if c not in crds]
        applied = self._write(stack, crds, recorder)
        kinds = self.kinds
        if crds:
            self._wait(applied)
            kinds = self.kinds.with_crds(applied)
        # Helm pre-install/pre-upgrade hooks go first (after the Namespaces they live in) and
        # must be ready (a Job complete) before the release's other objects, as `helm install`
        # waits for them.
        before = [c for c in rest if hook_phase(c.resource) < 1
                  and kind_rank(c.address) > NAMESPACE_RANK]
        if before:
            namespaces = [c for c in rest if kind_rank(c.address) <= NAMESPACE_RANK]
            applied += self._write(stack, namespaces, recorder, kinds)
            hooks = self._write(stack, before, recorder, kinds)
            if self.options.wait:
                self._wait(hooks)
            applied += hooks
            rest = [c for c in rest if c not in before and c not in namespaces]
        applied += self._write(stack, rest, recorder, kinds)
        for change in deletes:
            recorder.intent(change)
            self._delete(change.address)
            recorder.done(change, None)
        for change in changes:
            if change.action is Action.MOVE and change.resource is None:
                recorder.intent(change)
                recorder.done(change, None)
        if self.options.wait:
            self._wait(applied)

    def _write(self, stack: str, changes: list[Change], recorder: Recorder,
               kinds: KindMap | None = None) -> list[dict[str, Any]]:
        done = []
        for change in changes:
            assert change.resource is not None
            body = _labelled(change.resource, stack)
            observed = change.observed
            if observed is not None:
                body = without(body, observed.yielded)
            recorder.intent(change)
            force = self.options.force_conflicts or change.action is Action.ADOPT
            result = self._apply(change.resource, body, kinds=kinds, force=force)
            metadata = result.get("metadata", {})
            changed = observed is None or metadata.get("resourceVersion") != observed.version
            recorder.done(change, metadata.get("uid"), changed)
            if changed:
                done.append(result)  # nothing written, nothing to wait for
        return done

    def _delete(self, address: Address) -> None:
        res = self.kinds.resource(address.api_version, address.kind)
        try:
            self._call(lambda: self.client.delete(res, address.name,
                                                  namespace=address.namespace or None,
                                                  cascade=CascadeType.BACKGROUND), str(address))
        except NotFoundError:
            pass  # already gone: the delete's goal is met

    def _wait(self, objects: list[dict[str, Any]]) -> None:
        """Wait until every object is ready; a rule that says failed stops the wait at once."""
        pending = {}
        for obj in objects:
            address = Resource.k8s(obj).typed_address
            rule, timeout = rule_for(obj["kind"])
            verdict = rule(obj)  # the apply response already carries status
            _raise_if_failed(address, verdict.done, verdict.ok, verdict.message)
            if not verdict.done:
                pending[address] = time.monotonic() + (self.options.timeout or timeout)
        while pending:
            for address in list(pending):
                verdict = rule_for(address.kind)[0](self._get(address))
                _raise_if_failed(address, verdict.done, verdict.ok, verdict.message)
                if verdict.done:
                    del pending[address]
                elif time.monotonic() > pending[address]:
                    raise NotReadyError(f"not ready in time ({verdict.message})",
                                        subject=str(address),
                                        hint="Check the object's events and status")
            if pending:
                time.sleep(self.options.poll)

    def _get(self, address: Address) -> dict[str, Any]:
        res = self.kinds.resource(address.api_version, address.kind)
        obj = self._call(lambda: self.client.get(res, address.name,
                                                 namespace=address.namespace or None),
                         str(address))
        return dict(obj.to_dict())

    def finish(self, changeset: ChangeSet) -> str | None:
        return None

    def close(self) -> None:
        """Close the HTTP connections."""
        self.client.close()


def _raise_if_failed(address: Address, done: bool, ok: bool, message: str) -> None:
    if done and not ok:
        raise NotReadyError(message, subject=str(address),
                            hint="Check the object's events and status")


def _labelled(resource: Resource, stack: str) -> dict[str, Any]:
    """The body to apply: inventory labels on members; the ApplySet parent as it is."""
    labels = (resource.body.get("metadata") or {}).get("labels") or {}
    if inventory.APPLYSET_ID in labels:
        return resource.body
    return inventory.labelled(resource.body, stack)


def _fields(live: dict[str, Any], body: dict[str, Any], force: bool) -> tuple[str, ...]:
    """What differs, each with its owners; when forcing, which manager loses which field."""
    drifted = drifted_fields(live, body)
    if not force:
        return tuple(str(f) for f in drifted)
    return tuple(f"{f.path}: taken from {', '.join(m for m in f.managers if m != FIELD_MANAGER)}"
                 if f.changed_elsewhere else str(f) for f in drifted)


def _observed(live: dict[str, Any], yielded: tuple[str, ...]) -> Observed:
    metadata = live.get("metadata") or {}
    return Observed(version=str(metadata.get("resourceVersion", "")),
                    provider_id=str(metadata.get("uid", "")), yielded=yielded)


def _yielded(resource: Resource, live: dict[str, Any]) -> tuple[str, ...]:
    """Owned-elsewhere fields another manager has taken: Homestack stops declaring them.

    A field nobody else owns yet stays declared, since dropping it would make the API server
    remove it.
    """
    taken = []
    for path in resource.owned_elsewhere:
        segments = live_segments(live, path)
        if segments is not None and any(m != FIELD_MANAGER for m in owners(live, segments)):
            taken.append(path)
    return tuple(taken)


__all__ = ["ConflictError", "KubeOptions", "KubeTarget"]
