"""What every rule reads: the Site, the Stacks and their governed Resources, with indexes.

Built once per validation; indexes (by kind, by address, namespace facts) are computed lazily so a
rule pays only for what it reads.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from homestack.model import Provider, Resource, Site, Stack
from homestack.model.site import NodeRole
from homestack.policy import _manifest as m
from homestack.policy._namespaces import NamespaceFacts, namespace_facts


@dataclass(frozen=True)
class Item:
    """One Kubernetes Resource and the Stack that owns it."""

    stack: str
    resource: Resource

    @property
    def body(self) -> dict[str, Any]:
        """The manifest."""
        return self.resource.body

    @property
    def address(self) -> str:
        """The Resource address."""
        return self.resource.address

    @property
    def kind(self) -> str:
        """The manifest kind."""
        return self.resource.k8s_kind

    @property
    def namespace(self) -> str:
        """metadata.namespace, "" when cluster-scoped."""
        return self.resource.namespace or ""

    @property
    def name(self) -> str:
        """metadata.name."""
        return self.resource.object_name


class PolicyContext:
    """The homelab as rules see it."""

    def __init__(
        self,
        site: Site,
        stacks: Mapping[str, Stack],
        resources: Mapping[str, Sequence[Resource]],
    ) -> None:
        self.site = site
        self.stacks = stacks
        self.resources = resources

    @cached_property
    def all(self) -> tuple[Item, ...]:
        """Every Resource of every Stack, Stack by Stack in name order."""
        return tuple(
            Item(stack, resource)
            for stack in sorted(self.resources)
            for resource in self.resources[stack]
        )

    @cached_property
    def k8s(self) -> tuple[Item, ...]:
        """Every Kubernetes Resource."""
        return tuple(item for item in self.all if item.resource.provider is Provider.K8S)

    @cached_property
    def _by_kind(self) -> dict[str, list[Item]]:
        index: dict[str, list[Item]] = {}
        for item in self.k8s:
            index.setdefault(item.kind, []).append(item)
        return index

    def of_kind(self, *kinds: str) -> Iterator[Item]:
        """Kubernetes Resources of the given kinds, in homelab order."""
        for kind in kinds:
            yield from self._by_kind.get(kind, ())

    def workloads(self) -> Iterator[Item]:
        """Resources that carry a pod template (Deployments, CronJobs, Pods, ...)."""
        return self.of_kind(*m.POD_TEMPLATE_PATHS)

    @cached_property
    def by_address(self) -> dict[str, Item]:
        """Every Resource by address."""
        return {item.address: item for item in self.all}

    @cached_property
    def _by_name(self) -> dict[tuple[str, str, str], Item]:
        index: dict[tuple[str, str, str], Item] = {}
        for item in self.k8s:
            index.setdefault((item.kind, item.namespace, item.name), item)
        return index

    def find(self, kind: str, namespace: str, name: str) -> Item | None:
        """The Kubernetes object of ``kind`` called ``namespace/name`` ("" when cluster-scoped)."""
        return self._by_name.get((kind, namespace, name))

    @cached_property
    def namespaces(self) -> dict[str, NamespaceFacts]:
        """Facts of every namespace in use."""
        return namespace_facts(self.site, self.stacks, self.resources)

    @cached_property
    def worker_count(self) -> int:
        """Worker nodes of the Site (DaemonSet pods per namespace); at least 1."""
        workers = [
            vm for vm in self.site.vms
            if vm.k8s is not None and vm.k8s.role is NodeRole.WORKER
        ]
        return max(1, len(workers))
