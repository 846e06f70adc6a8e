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

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from lightkube import Client
from lightkube.types import CascadeType, PatchType

from homestack.model import Provider, Resource
from homestack.model.address import Address
from homestack.model.annotations import GENERATOR_MANAGER
from homestack.model.changeset import Action, Change, ChangeSet, Recorder
from homestack.model.kinds import KIND_RANK, hook_phase, kind_rank
from homestack.providers.errors import ConflictError, NotFoundError
from homestack.providers.kubernetes import inventory
from homestack.providers.kubernetes.adoption import refuse_adoption
from homestack.providers.kubernetes.generated import missing_values
from homestack.providers.kubernetes.kinds import KindMap
from homestack.providers.kubernetes.live import LiveObjects
from homestack.providers.kubernetes.observing import CRD, Observer
from homestack.providers.kubernetes.options import KubeOptions
from homestack.providers.kubernetes.ownership import without
from homestack.providers.kubernetes.planned import labelled
from homestack.providers.kubernetes.planning import StackPlanner
from homestack.providers.kubernetes.retry import with_retry
from homestack.providers.kubernetes.waiting import STORAGE_CLASS, Waiter
from homestack.state import StackRecord

ADMISSION_RANK = KIND_RANK["ResourceQuota"]
NAMESPACE_RANK = KIND_RANK["Namespace"]


class KubeTarget:
    """Plans and applies Kubernetes Resources against one cluster; keeps no run state."""

    name = "kube"

    def __init__(self, client: Client, kinds: KindMap, options: KubeOptions | None = None,
                 *, claimed: Mapping[str, str] | None = None, server: str = "",
                 site: str = "") -> None:
        self.client = client
        self.server = server
        self.site = site
        self.kinds = kinds
        self.options = options or KubeOptions.default()
        # Address → Stack over the whole homelab (fixed for the target's life, not run state):
        # an object a Stack gave up but another Stack declares moves there, even when only
        # the giving Stack is in a run's scope.
        self.claimed: Mapping[str, str] = claimed or {}

    def identity(self) -> str:
        """The API server and the cluster's ``kube-system`` Namespace UID (a rebuilt cluster at
        the same address is another cluster)."""
        namespace = self._get(Address.k8s("v1", "Namespace", "kube-system"))
        return f"{self.server} kube-system={(namespace.get('metadata') or {}).get('uid', '')}"

    def handles(self, resource: Resource) -> bool:
        return resource.provider is Provider.K8S

    def companions(self, stack: str, handled: Sequence[Resource]) -> list[Resource]:
        """The Stack's ApplySet parent, listing the group-kinds it holds, while it has any."""
        if not handled:
            return []
        kinds = {(r.api_version, r.k8s_kind) for r in handled}
        return [Resource.k8s(inventory.parent(stack, kinds))]

    def _call(self, call: Any, subject: str) -> Any:
        return with_retry(call, self.options.retry, subject)

    def observe(self, desired: Sequence[Resource], recorded: Sequence[StackRecord]
                ) -> LiveObjects:
        """LIST every kind in scope once (label selector ``managed-by=homestack``)."""
        return Observer(self.client, self.kinds, self.options.retry, self.site).observe(
            desired, recorded)

    def plan_stack(
        self, stack: str, desired: Sequence[Resource], recorded: StackRecord | None,
        seen: LiveObjects, *, confirm: bool = True,
    ) -> list[Change]:
        def dry_run(resource: Resource, body: dict[str, Any], force: bool) -> dict[str, Any]:
            return self._apply(resource, body, dry_run=True, force=force)

        planner = StackPlanner(self.options, self.claimed, dry_run, self.site)
        return planner.plan_stack(stack, desired, recorded, seen, confirm=confirm)

    # -- applying -----------------------------------------------------------------------------
    def _apply(self, resource: Resource, body: dict[str, Any], *, dry_run: bool = False,
               kinds: KindMap | None = None, force: bool = False) -> dict[str, Any]:
        res = (kinds or self.kinds).resource(resource.api_version, resource.k8s_kind)
        forced = force or resource.force
        metadata = body.get("metadata") or {}
        # The body travels as the plain dict: a built-in kind's model class would drop a
        # field it does not know (a typo), and the API server must see it to refuse it.
        applied = self._call(lambda: self.client.patch(
            res, str(metadata.get("name", "")), body,
            namespace=metadata.get("namespace") or None,
            patch_type=PatchType.APPLY, field_manager=inventory.MANAGER, force=forced,
            dry_run=dry_run), resource.address)
        return dict(applied.to_dict())

    def apply_stack(self, stack: str, changes: Sequence[Change], recorder: Recorder) -> None:
        if not self.options.adopt:
            refuse_adoption(changes)
        # A move out of this Stack writes nothing here: the receiving Stack relabels it.
        writes = sorted((c for c in changes if c.action.writes and c.resource is not None),
                        key=lambda c: (hook_phase(c.resource), kind_rank(c.address),
                                       str(c.address)))
        deletes = sorted((c for c in changes if c.action is Action.DELETE),
                         key=lambda c: (_is_parent(c), -kind_rank(c.address), str(c.address)))
        # The ApplySet parent first, listing every kind written or still to prune; the list
        # it was planned with only once the prune succeeded.
        final = next((c for c in writes if _is_parent(c)), None)
        writes = [c for c in writes if c is not final]
        grown = _grown(final, deletes, stack) if final is not None else None
        applied = self._write(stack, [grown], recorder) if grown is not None else []
        crds = [c for c in writes if c.address.kind == CRD[1]]
        rest = [c for c in writes if c not in crds]
        applied += self._write(stack, crds, recorder)
        kinds = self.kinds
        if crds:
            self._waiter().ready(applied)
            kinds = self.kinds.with_crds(applied)
        # A quota (or LimitRange) governs the Pods created after it once the quota controller
        # counted it: with the Namespaces and PriorityClasses before it, it is applied and
        # waited for before any workload, or the first Pods could slip past it.
        admission = [c for c in rest if kind_rank(c.address) <= ADMISSION_RANK]
        if any(c.address.kind == "ResourceQuota" for c in admission):
            written = self._write(stack, admission, recorder, kinds)
            if self.options.wait:
                self._waiter().ready([o for o in written if o.get("kind") == "ResourceQuota"])
            applied += written
            rest = [c for c in rest if c not in admission]
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
                self._waiter().ready(hooks)
            applied += hooks
            rest = [c for c in rest if c not in before and c not in namespaces]
        applied += self._write(stack, rest, recorder, kinds)
        for change in deletes:
            recorder.intent(change)
            if self._delete(change.address) and self.options.wait:
                # Finalizers and a Namespace's content go first: the object is only deleted
                # once it is gone, so the next apply does not meet it terminating.
                self._waiter().gone(change.address)
            recorder.done(change, None)
        for change in changes:
            if change.action is Action.MOVE and change.resource is None:
                recorder.intent(change)
                recorder.done(change, None)
        if final is not None and grown is not final:
            self._write(stack, [final], recorder)
        if self.options.wait:
            self._waiter().ready(applied)

    def _write(self, stack: str, changes: list[Change], recorder: Recorder,
               kinds: KindMap | None = None) -> list[dict[str, Any]]:
        done = []
        for change in changes:
            assert change.resource is not None
            body = labelled(change.resource, stack, self.site)
            observed = change.observed
            if observed is not None:
                body = without(body, observed.yielded)
            recorder.intent(change)
            force = self.options.force_conflicts or change.action is Action.ADOPT
            if change.action is Action.CREATE and change.observed is not None:
                self._waiter().gone(change.address)  # the old object is still terminating
            if change.action is Action.REPLACE:
                result = self._replace(change, labelled(change.resource, stack, self.site),
                                       kinds)
            else:
                # An immutable field the plan did not know fails here (never an unplanned
                # replace): the next plan's dry-run finds it and plans the replace.
                result = self._apply(change.resource, body, kinds=kinds, force=force)
            self._generate(change.resource, result)
            metadata = result.get("metadata", {})
            changed = observed is None or metadata.get("resourceVersion") != observed.version
            recorder.done(change, metadata.get("uid"), changed)
            if changed:
                done.append(result)  # nothing written, nothing to wait for
        return done

    def _generate(self, resource: Resource, live: dict[str, Any]) -> None:
        """Fill the generated keys a Secret lacks (``generated.py``); a no-op otherwise."""
        body = missing_values(resource, live)
        if body is None:
            return
        res = self.kinds.resource("v1", "Secret")
        self._call(lambda: self.client.patch(
            res, str(body["metadata"]["name"]), body, namespace=body["metadata"]["namespace"],
            patch_type=PatchType.APPLY, field_manager=GENERATOR_MANAGER), resource.address)

    def _replace(self, change: Change, body: dict[str, Any], kinds: KindMap | None
                 ) -> dict[str, Any]:
        """Delete the object, wait until it is gone, then create it from ``body``."""
        assert change.resource is not None
        if self._delete(change.address):
            self._waiter().gone(change.address)
        return self._apply(change.resource, body, kinds=kinds)

    def _delete(self, address: Address) -> bool:
        """Delete the object; False when the API says it is already gone."""
        res = self.kinds.resource(address.api_version, address.kind)
        try:
            self._call(lambda: self.client.delete(res, address.name,
                                                  namespace=address.namespace or None,
                                                  cascade=CascadeType.BACKGROUND), str(address))
        except NotFoundError:
            return False  # already gone: the delete's goal is met
        except ConflictError:
            # A Namespace already terminating answers 409 to a second DELETE: its deletion
            # is under way, which is what was asked.
            try:
                live = self._get(address)
            except NotFoundError:
                return False
            if not (live.get("metadata") or {}).get("deletionTimestamp"):
                raise
        return True

    def _waiter(self) -> Waiter:
        def classes() -> list[dict[str, Any]]:
            res = self.kinds.resource(*STORAGE_CLASS)
            items = self._call(lambda: list(self.client.list(res)), "k8s:StorageClass")
            return [dict(i.to_dict()) for i in items]

        def pods(namespace: str, labels: dict[str, str]) -> list[dict[str, Any]]:
            res = self.kinds.resource("v1", "Pod")
            selector: dict[str, Any] = dict(labels)
            items = self._call(lambda: list(self.client.list(res, namespace=namespace,
                                                             labels=selector)), "k8s:v1:Pod")
            return [dict(i.to_dict()) for i in items]

        return Waiter(self._get, classes, self.options.poll, self.options.timeout, pods)

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


def _is_parent(change: Change) -> bool:
    address = change.address
    return address.kind == "ConfigMap" and address.namespace == inventory.PARENT_NAMESPACE \
        and address.name.startswith(inventory.parent_name(""))


def _grown(parent: Change, deletes: Sequence[Change], stack: str) -> Change:
    """The parent as planned, plus the kinds of the objects this run prunes (their kinds
    stay listed until the prune succeeded); the planned change itself when nothing leaves."""
    assert parent.resource is not None
    planned = inventory.contained(parent.resource.body)
    leaving = {(c.address.api_version, c.address.kind) for c in deletes
               if not _is_parent(c)} - planned
    if not leaving:
        return parent
    return replace(parent, resource=Resource.k8s(inventory.parent(stack, planned | leaving)))


__all__ = ["ConflictError", "KubeOptions", "KubeTarget"]
