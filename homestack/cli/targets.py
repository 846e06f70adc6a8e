"""Open the targets of a run, one per provider the Site configures.

Kubernetes objects go to ``kube`` when the Site names a cluster, else to ``gitops``; the other
providers get a target when the Site configures them, and their Resources show as ``skipped``
otherwise.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from homestack.catalog import Homelab
from homestack.engine import Desired, Target
from homestack.model import Provider
from homestack.providers.gitops import Layout, open_gitops


class TargetName(enum.Enum):
    """Where Kubernetes objects go."""

    KUBE = "kube"
    GITOPS = "gitops"


def default_target(homelab: Homelab) -> TargetName:
    """``kube`` when the Site names a cluster, else ``gitops``."""
    return TargetName.KUBE if homelab.site.cluster is not None else TargetName.GITOPS


def open_k8s_target(name: TargetName, desired: Desired, context: str | None = None, *,
                    force_conflicts: bool = False, adopt: bool = False) -> Target:
    """Open the Kubernetes target ``name`` for the homelab of ``desired``.

    ``force_conflicts`` and ``adopt`` are the run's takeover flags (see ``KubeOptions``).
    """
    site = desired.homelab.site
    if name is TargetName.GITOPS:
        layout = Layout(flavour=site.gitops.flavour, graph=desired.graph,
                        repo_url=site.gitops.remote or "", branch=site.gitops.branch)
        return open_gitops(desired.homelab.root, site.gitops.path, layout, site.gitops.branch)
    from homestack.providers.kubernetes import (  # lightkube only for the kube target
        KubeOptions,
        open_kube,
    )

    cluster = site.cluster
    return open_kube(
        kubeconfig=cluster.kubeconfig if cluster else None,
        context=context or (cluster.context if cluster else None),
        options=KubeOptions(force_conflicts=force_conflicts, adopt=adopt),
        homelab=desired.all_resources(),
        owners={r.address: name for name, rs in desired.resources.items() for r in rs},
    )


@contextmanager
def opened_targets(name: TargetName, desired: Desired, context: str | None = None, *,
                   force_conflicts: bool = False, adopt: bool = False
                   ) -> Iterator[dict[Provider, Target]]:
    """Every target of the run, closed afterwards (even when opening a later one fails)."""
    with ExitStack() as stack:
        targets: dict[Provider, Target] = {}
        k8s = open_k8s_target(name, desired, context, force_conflicts=force_conflicts,
                              adopt=adopt)
        stack.callback(k8s.close)
        targets[Provider.K8S] = k8s
        yield targets
