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
from homestack.providers.gitops.helm import flux_releases


class TargetName(enum.Enum):
    """Where Kubernetes objects go."""

    KUBE = "kube"
    GITOPS = "gitops"


def default_target(homelab: Homelab) -> TargetName:
    """``kube`` when the Site names a cluster, else ``gitops``."""
    return TargetName.KUBE if homelab.site.cluster is not None else TargetName.GITOPS


def open_k8s_target(name: TargetName, desired: Desired, context: str | None = None) -> Target:
    """Open the Kubernetes target ``name`` for the homelab of ``desired``."""
    site = desired.homelab.site
    if name is TargetName.GITOPS:
        layout = Layout(flavour=site.gitops.flavour, graph=desired.graph,
                        repo_url=site.gitops.remote or "", branch=site.gitops.branch,
                        releases=flux_releases(desired.homelab))
        return open_gitops(desired.homelab.root, site.gitops.path, layout, site.gitops.branch)
    from homestack.providers.kubernetes import open_kube  # lightkube only for the kube target

    cluster = site.cluster
    return open_kube(
        kubeconfig=cluster.kubeconfig if cluster else None,
        context=context or (cluster.context if cluster else None),
        homelab=desired.all_resources(),
    )


@contextmanager
def opened_targets(name: TargetName, desired: Desired, context: str | None = None
                   ) -> Iterator[dict[Provider, Target]]:
    """Every target of the run, closed afterwards (even when opening a later one fails)."""
    with ExitStack() as stack:
        targets: dict[Provider, Target] = {}
        k8s = open_k8s_target(name, desired, context)
        stack.callback(k8s.close)
        targets[Provider.K8S] = k8s
        yield targets
