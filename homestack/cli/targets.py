"""Open the targets of a run, one per provider the Site configures (``providers.registry``).

Kubernetes objects go to ``kube`` when the Site names a cluster, else to ``gitops``; the other
providers get a target when the Site configures them, and their Resources show as ``skipped``
otherwise.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager

from homestack.catalog import Homelab
from homestack.engine import Desired, Target
from homestack.model import Provider
from homestack.providers.proxmox import PveOptions
from homestack.providers.registry import REGISTRY, OpenRequest, ProviderSpec


class TargetName(enum.Enum):
    """Where Kubernetes objects go."""

    KUBE = "kube"
    GITOPS = "gitops"


def default_target(homelab: Homelab) -> TargetName:
    """``kube`` when the Site names a cluster, else ``gitops``."""
    return TargetName.KUBE if homelab.site.cluster is not None else TargetName.GITOPS


@contextmanager
def opened_targets(name: TargetName, desired: Desired, context: str | None = None, *,
                   pve: PveOptions | None = None, force_conflicts: bool = False,
                   adopt: bool = False, remove_helm_history: bool = False,
                   read_only: bool = False,
                   registry: Mapping[Provider, ProviderSpec] = REGISTRY
                   ) -> Iterator[dict[Provider, Target]]:
    """Every target the Site configures, in phase order, closed afterwards (even when
    opening a later one fails)."""
    request = OpenRequest(desired.homelab, desired.resources, desired.graph, name.value,
                          context, force_conflicts, adopt, remove_helm_history,
                          pve or PveOptions.default(), read_only)
    with ExitStack() as stack:
        targets: dict[Provider, Target] = {}
        for provider, spec in sorted(registry.items(), key=lambda item: item[1].phase):
            target = spec.open(request)
            if target is not None:
                stack.callback(target.close)
                targets[provider] = target
        yield targets
