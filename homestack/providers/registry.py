"""The provider registry: per provider, the Site setting that configures it, the package that
opens its target and its phase inside a Stack.

Adding a provider is one package under ``homestack/providers/`` with an
``open_target(request) -> target | None`` (None when the Site does not configure it) and one
line in ``REGISTRY``. Packages are imported only when a run opens them, so a command that needs
no Vault never imports hvac. The smallest example is ``homestack.providers.dns``.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from homestack.catalog import Homelab
from homestack.graph import StackGraph
from homestack.model import Provider, Resource
from homestack.providers.proxmox.target import PveOptions


@dataclass(frozen=True)
class OpenRequest:
    """What a run asks of the targets it opens.

    ``kube_target`` is where Kubernetes objects go (``kube`` or ``gitops``); ``context`` the
    kubeconfig context; ``force_conflicts``, ``adopt`` and ``remove_helm_history`` the run's
    takeover flags; ``pve`` the options of the machines target; ``read_only`` a run that only
    observes (plan, drift).
    """

    homelab: Homelab
    resources: Mapping[str, Sequence[Resource]]
    graph: StackGraph
    kube_target: str = "kube"
    context: str | None = None
    force_conflicts: bool = False
    adopt: bool = False
    remove_helm_history: bool = False
    pve: PveOptions = field(default_factory=PveOptions.default)
    read_only: bool = False  # plan and drift: observe, never prepare a target for writing

    def all_resources(self) -> list[Resource]:
        """Every Resource of the homelab."""
        return [r for resources in self.resources.values() for r in resources]


@dataclass(frozen=True)
class ProviderSpec:
    """How one provider is configured and opened.

    ``setting`` is the Site field holding its settings model; ``module`` the package whose
    ``open_target`` opens it; ``phase`` its place inside a Stack (writes in rising phase,
    deletes in falling phase).
    """

    setting: str
    module: str
    phase: int

    def open(self, request: OpenRequest) -> Any:
        """The provider's target for ``request`` (a ``Target``), or None when the Site does
        not configure it."""
        return importlib.import_module(self.module).open_target(request)


# Machines first, then the secrets and roles workloads read, then Kubernetes, then the names
# and identities pointing at it.
REGISTRY: dict[Provider, ProviderSpec] = {
    Provider.PVE: ProviderSpec("proxmox", "homestack.providers.proxmox", 0),
    Provider.VAULT: ProviderSpec("vault", "homestack.providers.vault", 1),
    Provider.K8S: ProviderSpec("cluster", "homestack.providers.k8s", 2),
    Provider.DNS: ProviderSpec("dns", "homestack.providers.dns", 3),
}
# A provider without a target yet (or a Resource of an unknown one) comes last.
LAST_PHASE = len(REGISTRY)


def phase(provider: str) -> int:
    """The phase of ``provider`` (its value, as addresses spell it)."""
    try:
        spec = REGISTRY.get(Provider(provider))
    except ValueError:
        spec = None
    return spec.phase if spec is not None else LAST_PHASE
