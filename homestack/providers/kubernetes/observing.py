"""What the kube target sees: one LIST per kind in scope, with Homestack's label selector.

When a claim is desired, one LIST of StorageClasses tells which may grow their claims.

Objects that hold a desired identity without Homestack's labels (to adopt) are found by one
more LIST, without the selector, of the kinds where a desired object was missing; Helm's release
Secrets are read by name and type only; kinds the kind map does not know are looked up among the
cluster's CRDs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from lightkube import Client

from homestack.model import Provider, Resource
from homestack.model.address import Address
from homestack.model.annotations import FIELD_MANAGER, MANAGED_BY
from homestack.providers.errors import NotFoundError
from homestack.providers.kubernetes import helm_history, inventory
from homestack.providers.kubernetes.kinds import KindMap
from homestack.providers.kubernetes.live import LiveObjects
from homestack.providers.kubernetes.retry import RetryPolicy, with_retry
from homestack.state import StackRecord

CRD = ("apiextensions.k8s.io/v1", "CustomResourceDefinition")


@dataclass(frozen=True)
class Observer:
    """Reads the cluster for one plan; keeps nothing."""

    client: Client
    kinds: KindMap
    retry: RetryPolicy
    site: str = ""  # objects another Site applied are never this one's

    def _call(self, call: Any, subject: str) -> Any:
        return with_retry(call, self.retry, subject)

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
        unserved: set[tuple[str, str]] = set()
        self._list_all(kinds_map, kinds, objects, unserved)
        others = self._other_sites(objects)
        # A parent names the kinds its Stack holds, including what a failed or killed run
        # wrote and no record lists yet: those are looked in too.
        more = {pair for body in objects.values() if inventory.is_parent(body)
                for pair in inventory.contained(body)} - kinds
        if more:
            kinds_map = self._with_live_crds(kinds | more)
            self._list_all(kinds_map, more, objects, unserved)
            others |= self._other_sites(objects)
        # What another Site applied is never this Site's: like an object Homestack did not
        # make, it can only be adopted on purpose, never pruned or silently overwritten.
        foreign = {**self._foreign(kinds_map, desired, {**objects, **others}, unserved),
                   **others}
        claimed = frozenset(r.address for r in desired)
        found = helm_history.releases([*objects.values(), *foreign.values()])
        history = helm_history.history(self._helm_secrets(), found) if found else {}
        claims = any(r.k8s_kind == "PersistentVolumeClaim" and r.api_version == "v1"
                     for r in desired)
        expandable = self._expandable() if claims else {}
        return LiveObjects.of(objects, frozenset(unserved), foreign, claimed, history,
                              expandable)

    def _other_sites(self, objects: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """Take the objects another Site applied out of ``objects``; return them."""
        others = {a: b for a, b in objects.items() if not inventory.of_site(b, self.site)}
        for address in others:
            del objects[address]
        return others

    def _list_all(self, kinds_map: KindMap, kinds: set[tuple[str, str]],
                  objects: dict[str, dict[str, Any]], unserved: set[tuple[str, str]]) -> None:
        for api_version, kind in sorted(kinds):
            if not kinds_map.known(api_version, kind):
                unserved.add((api_version, kind))  # declared with its CRD, applied this run
                continue
            try:
                objects.update(self._list(kinds_map, api_version, kind))
            except NotFoundError:
                unserved.add((api_version, kind))  # a kind not served (yet) has no objects

    def _expandable(self) -> dict[str, bool]:
        """Every StorageClass and whether its claims may grow: one LIST, only when a claim
        is desired."""
        res = self.kinds.resource("storage.k8s.io/v1", "StorageClass")
        items = self._call(lambda: list(self.client.list(res)),
                           "k8s:storage.k8s.io/v1:StorageClass")
        bodies = (item.to_dict() for item in items)
        return {str((b.get("metadata") or {}).get("name")): b.get("allowVolumeExpansion") is True
                for b in bodies}

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
        if selected:
            bodies = [body for body in bodies if applied_by_homestack(body)]
        return {Resource.k8s(body).address: body for body in bodies}


def applied_by_homestack(body: dict[str, Any]) -> bool:
    """Whether Homestack applied ``body``, not just its labels: controllers copy labels onto
    what they make (the EndpointSlices of a Service, the Pods of a ReplicaSet), and those
    objects are theirs, never Homestack's to prune."""
    entries = (body.get("metadata") or {}).get("managedFields") or []
    return any(entry.get("manager") == FIELD_MANAGER and entry.get("operation") == "Apply"
               for entry in entries)
