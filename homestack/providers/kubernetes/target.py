"""The ``kube`` target: server-side apply with field manager ``homestack``.

Plans read live objects by LIST per kind with a label selector (cached for the run, so requests
grow with kinds, not objects) and confirm suspected differences with a server-side dry-run.
Applies go in kind order (CRDs first, then wait until they are Established), then readiness
waits; deletes go in reverse order. Conflicts with other field managers are reported, never
forced, unless the Resource asks for ``force``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from lightkube import ApiError, Client
from lightkube.types import CascadeType

from homestack.model import Provider, Resource
from homestack.model.annotations import MANAGED_BY, STACK
from homestack.model.changeset import Action, Change, ChangeSet, Recorder
from homestack.model.diff import unified
from homestack.model.kinds import kind_rank, split_address
from homestack.model.volatile import without_volatile
from homestack.providers.errors import ConflictError, NotReadyError, ProviderError
from homestack.providers.kubernetes import inventory
from homestack.providers.kubernetes.compare import (
    FIELD_MANAGER,
    contains,
    in_sync,
    same_after_dry_run,
)
from homestack.providers.kubernetes.drift import drifted_fields, owners
from homestack.providers.kubernetes.kinds import KindMap
from homestack.providers.kubernetes.ownership import live_segments, without
from homestack.providers.kubernetes.readiness import rule_for
from homestack.providers.kubernetes.retry import RetryPolicy, with_retry
from homestack.state import StackRecord


@dataclass(frozen=True)
class KubeOptions:
    """How the kube target talks to the API.

    ``timeout`` overrides every per-kind readiness timeout (seconds) when set; ``poll`` is the
    readiness polling interval.
    """

    retry: RetryPolicy = field(default_factory=RetryPolicy.default)
    poll: float = 0.25
    timeout: float | None = None
    wait: bool = True

    @classmethod
    def default(cls) -> KubeOptions:
        """Defaults for a real cluster."""
        return cls()


class KubeTarget:
    """Plans and applies Kubernetes Resources against one cluster."""

    name = "kube"

    def __init__(self, client: Client, options: KubeOptions | None = None) -> None:
        self.client = client
        self.options = options or KubeOptions.default()
        self.kinds = KindMap()
        self._live: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
        self._yield: dict[str, tuple[str, ...]] = {}
        self._stack_kinds: dict[str, set[str]] = {}
        self._live_versions: dict[str, str] = {}
        self._crds_loaded = False

    # -- reading ------------------------------------------------------------------------------
    def learn(self, resources: Sequence[Resource]) -> None:
        """Learn the custom kinds declared anywhere in the homelab (CRD bodies)."""
        self.kinds.learn_crds(r.body for r in resources
                              if r.provider is Provider.K8S
                              and r.k8s_kind == "CustomResourceDefinition")

    def _call(self, call: Any) -> Any:
        return with_retry(call, self.options.retry)

    def _load_live_crds(self) -> None:
        if self._crds_loaded:
            return
        self._crds_loaded = True
        crd = self.kinds.resource("apiextensions.k8s.io/v1", "CustomResourceDefinition")
        items = self._call(lambda: list(self.client.list(crd)))
        self.kinds.learn_crds(item.to_dict() for item in items)

    def live_of_kind(self, api_version: str, kind: str) -> dict[str, dict[str, Any]]:
        """Every Homestack-managed object of a kind, by address (one LIST, cached)."""
        key = (api_version, kind)
        if key not in self._live:
            try:
                res = self.kinds.resource(api_version, kind)
            except ProviderError:
                self._load_live_crds()
                res = self.kinds.resource(api_version, kind)
            namespaced = self.kinds.info(api_version, kind).namespaced
            try:
                items = self._call(lambda: list(self.client.list(
                    res, namespace="*" if namespaced else None,
                    labels={MANAGED_BY: inventory.MANAGER})))
            except ApiError as error:
                if error.status.code != 404:
                    raise
                items = []  # a kind not served (yet) has no objects
            # List items may omit apiVersion and kind, as the API server's lists do.
            bodies = [{"apiVersion": api_version, "kind": kind, **item.to_dict()}
                      for item in items]
            self._live[key] = {Resource.k8s(body).address: body for body in bodies}
        return self._live[key]

    def handles(self, resource: Resource) -> bool:
        return resource.provider is Provider.K8S

    def _yielded(self, resource: Resource, live: dict[str, Any]) -> tuple[str, ...]:
        """Owned-elsewhere fields another manager has taken: Homestack stops declaring them.

        A field nobody else owns yet stays declared, since dropping it would make the API
        server remove it.
        """
        taken = []
        for path in resource.owned_elsewhere:
            segments = live_segments(live, path)
            if segments is not None and any(m != FIELD_MANAGER for m in owners(live, segments)):
                taken.append(path)
        self._yield[resource.address] = tuple(taken)
        return tuple(taken)

    # -- planning -----------------------------------------------------------------------------
    def plan_stack(
        self, stack: str, desired: Sequence[Resource], recorded: StackRecord | None,
        *, confirm: bool = True,
    ) -> list[Change]:
        kinds = {(r.api_version, r.k8s_kind) for r in desired}
        self._stack_kinds[stack] = {inventory.group_kind(a, k) for a, k in kinds}
        if recorded is not None:
            for entry in recorded.resources:
                provider, api_version, kind, _ = split_address(entry.address)
                if provider == "k8s":
                    kinds.add((api_version, kind))
        live: dict[str, dict[str, Any]] = {}
        for api_version, kind in sorted(kinds):
            try:
                objects = self.live_of_kind(api_version, kind)
            except ProviderError:
                if any(r.api_version == api_version and r.k8s_kind == kind for r in desired):
                    objects = {}  # its CRD is applied earlier in this run
                else:
                    raise
            live.update({a: o for a, o in objects.items() if _member_of(o, stack)})
        changes = [self._plan_one(stack, r, live.get(r.address), confirm) for r in desired]
        wanted = {r.address for r in desired}
        for address, body in sorted(live.items()):
            if address not in wanted:
                changes.append(Change(stack, address, Action.DELETE,
                                      unified(address, without_volatile(body), None)))
        return changes

    def _plan_one(self, stack: str, resource: Resource, live: dict[str, Any] | None,
                  confirm: bool) -> Change:
        body = inventory.labelled(resource.body, stack)
        if live is None:
            return Change(stack, resource.address, Action.CREATE,
                          unified(resource.address, None, body), resource=resource)
        body = without(body, self._yielded(resource, live))
        if in_sync(live, body):
            return Change(stack, resource.address, Action.UNCHANGED, resource=resource)
        self._live_versions[resource.address] = live["metadata"].get("resourceVersion", "")
        if not confirm:
            # The write will tell whether anything changed (see _write): no dry-run needed.
            return Change(stack, resource.address, Action.UPDATE,
                          unified(resource.address, without_volatile(live), body),
                          resource=resource)
        try:
            dry = self._apply(resource, body, dry_run=True)
        except ConflictError as conflict:
            return Change(stack, resource.address, Action.FAILED, reason=str(conflict),
                          resource=resource)
        if same_after_dry_run(live, dry):
            return Change(stack, resource.address, Action.UNCHANGED, resource=resource)
        fields = drifted_fields(live, body)
        reason = "; ".join(str(f) for f in fields[:5]) + (" ..." if len(fields) > 5 else "")
        diff = unified(resource.address, without_volatile(live), without_volatile(dry))
        return Change(stack, resource.address, Action.UPDATE, diff, reason=reason,
                      resource=resource)

    # -- applying -----------------------------------------------------------------------------
    def _apply(self, resource: Resource, body: dict[str, Any], *, dry_run: bool = False
               ) -> dict[str, Any]:
        res = self.kinds.resource(resource.api_version, resource.k8s_kind)
        obj = res.from_dict(body)
        try:
            applied = self._call(lambda: self.client.apply(
                obj, field_manager=inventory.MANAGER, force=resource.force, dry_run=dry_run))
        except ApiError as error:
            raise _explain(resource.address, error) from error
        return dict(applied.to_dict())

    def apply_stack(self, stack: str, changes: Sequence[Change], recorder: Recorder) -> None:
        writes = sorted((c for c in changes if c.action in (Action.CREATE, Action.UPDATE)),
                        key=lambda c: (kind_rank(c.address), c.address))
        deletes = sorted((c for c in changes if c.action is Action.DELETE),
                         key=lambda c: (-kind_rank(c.address), c.address))
        crds = [c for c in writes if c.address.split(":")[2] == "CustomResourceDefinition"]
        rest = [c for c in writes if c not in crds]
        applied = self._write(stack, crds, recorder)
        if crds:
            self._wait(applied)
            self.kinds.learn_crds(applied)
        if rest or deletes:
            self._ensure_parent(stack)
        applied += self._write(stack, rest, recorder)
        for change in deletes:
            recorder.intent(change)
            self._delete(change.address)
            recorder.done(change, None)
        if self.options.wait:
            self._wait(applied)

    def _write(self, stack: str, changes: list[Change], recorder: Recorder
               ) -> list[dict[str, Any]]:
        done = []
        for change in changes:
            assert change.resource is not None
            body = inventory.labelled(change.resource.body, stack)
            if change.action is Action.UPDATE:
                body = without(body, self._yield.get(change.address, ()))
            recorder.intent(change)
            result = self._apply(change.resource, body)
            metadata = result.get("metadata", {})
            before = self._live_versions.get(change.address)
            changed = before is None or metadata.get("resourceVersion") != before
            recorder.done(change, metadata.get("uid"), changed)
            if not changed:
                continue  # nothing was written, so nothing to wait for
            done.append(result)
        return done

    def _ensure_parent(self, stack: str) -> None:
        """Apply the Stack's ApplySet parent unless the live one already lists its kinds."""
        kinds = self._stack_kinds.get(stack, set())
        body = inventory.parent(stack, kinds)
        parent = Resource.k8s(body)
        live = self._live.get(("v1", "ConfigMap"), {}).get(parent.address)
        if live is not None and contains(live, body):
            return
        try:
            self._apply(parent, body)
        except ProviderError as error:
            if "not found" not in str(error).lower():
                raise
            namespace = Resource.k8s({"apiVersion": "v1", "kind": "Namespace",
                                      "metadata": {"name": inventory.PARENT_NAMESPACE}})
            self._apply(namespace, namespace.body)
            self._apply(parent, body)

    def _delete(self, address: str) -> None:
        _, api_version, kind, name = split_address(address)
        res = self.kinds.resource(api_version, kind)
        namespace, _, short = name.rpartition("/")
        try:
            self._call(lambda: self.client.delete(res, short, namespace=namespace or None,
                                                  cascade=CascadeType.BACKGROUND))
        except ApiError as error:
            if error.status.code != 404:
                raise _explain(address, error) from error

    def _wait(self, objects: list[dict[str, Any]]) -> None:
        # The apply responses already carry status: only objects not ready yet are polled.
        pending = {Resource.k8s(o).address: o for o in objects
                   if not rule_for(o["kind"])[0](o)[0]}
        deadlines = {a: time.monotonic() + (self.options.timeout or rule_for(o["kind"])[1])
                     for a, o in pending.items()}
        while pending:
            for address in list(pending):
                obj = self._get(address)
                ready, message = rule_for(obj["kind"])[0](obj)
                if ready:
                    del pending[address]
                elif time.monotonic() > deadlines[address]:
                    raise NotReadyError(f"not ready in time ({message})", subject=address,
                                        hint="Check the object's events and status")
            if pending:
                time.sleep(self.options.poll)

    def _get(self, address: str) -> dict[str, Any]:
        _, api_version, kind, name = split_address(address)
        res = self.kinds.resource(api_version, kind)
        namespace, _, short = name.rpartition("/")
        obj = self._call(lambda: self.client.get(res, short, namespace=namespace or None))
        return dict(obj.to_dict())

    def forget(self) -> None:
        self._live.clear()

    def finish(self, changeset: ChangeSet) -> str | None:
        self._live.clear()
        return None

    def close(self) -> None:
        """Close the HTTP connections."""
        self.client.close()


def _member_of(body: dict[str, Any], stack: str) -> bool:
    """True for the Stack's objects (its ApplySet parent is bookkeeping, not a member)."""
    labels = body.get("metadata", {}).get("labels") or {}
    return labels.get(STACK) == stack and inventory.APPLYSET_ID not in labels


def _explain(address: str, error: ApiError) -> ProviderError:
    status = error.status
    message = status.message or str(error)
    if status.code == 409 and "conflict" in message.lower():
        return ConflictError(
            message, subject=address,
            hint="Another field manager owns these fields: remove them from the Stack, mark "
                 "them owned_elsewhere, or set force=True on the Resource",
        )
    return ProviderError(f"API answered {status.code}: {message}", subject=address)
