"""The small homelab planned and applied into in-memory twins of two providers.

Kubernetes objects and a DNS record per Stack share one ``MemoryWorld``, so its log shows the
order of every write across providers.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from homestack.catalog import load
from homestack.engine import ChangeSet, Desired, EngineOptions, desired, plan, plan_and_apply
from homestack.engine.target import Target
from homestack.model import Provider, Resource
from homestack.providers.memory import MemoryTarget, MemoryWorld
from homestack.state import SqliteStore


def dns_record(host: str, address: str = "10.0.20.203") -> Resource:
    """An A record as the kit renders one (a Resource of the dns provider)."""
    return Resource(provider=Provider.DNS, kind="rfc2136:A", name=host,
                    body={"type": "A", "name": host, "content": address})


class MemoryLab:
    """The small homelab, one DNS record added to ``whoami``, a store and two twins."""

    def __init__(self, homelab: Path, tmp: Path) -> None:
        self.homelab = load(homelab)
        self.world = MemoryWorld()
        self.store = SqliteStore(tmp / "state.db")
        self.options = EngineOptions(parallelism=4, lease_wait=1.0)
        self.extra: dict[str, list[Resource]] = {"whoami": [dns_record("whoami.home.arpa")]}
        self.dns_configured = True

    def desired(self) -> Desired:
        wanted = desired(self.homelab)
        resources = {name: [*rs, *self.extra.get(name, [])]
                     for name, rs in wanted.resources.items()}
        return replace(wanted, resources=resources)

    def targets(self) -> dict[Provider, Target]:
        targets: dict[Provider, Target] = {
            Provider.K8S: MemoryTarget(Provider.K8S, self.world, "kube-twin")}
        if self.dns_configured:
            targets[Provider.DNS] = MemoryTarget(Provider.DNS, self.world, "dns-twin")
        return targets

    def plan(self, **options: object) -> ChangeSet:
        return plan(self.desired(), self.targets(), self.store, replace(self.options, **options))

    def apply(self, **options: object) -> ChangeSet:
        return plan_and_apply(self.desired(), self.targets(), self.store,
                              replace(self.options, **options))
