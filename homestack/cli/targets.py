"""Pick and open the target of a run: ``kube`` when the Site names a cluster, else ``gitops``."""

from __future__ import annotations

import enum

from homestack.catalog import Homelab
from homestack.engine import Desired, Target
from homestack.outputs.gitops import Layout, open_gitops


class TargetName(enum.Enum):
    """Where Kubernetes objects go."""

    KUBE = "kube"
    GITOPS = "gitops"


def default_target(homelab: Homelab) -> TargetName:
    """``kube`` when the Site names a cluster, else ``gitops``."""
    return TargetName.KUBE if homelab.site.cluster is not None else TargetName.GITOPS


def open_target(name: TargetName, desired: Desired, context: str | None = None) -> Target:
    """Open the target ``name`` for the homelab of ``desired``."""
    site = desired.homelab.site
    if name is TargetName.GITOPS:
        layout = Layout(flavour=site.gitops.flavour, graph=desired.graph,
                        repo_url=site.gitops.remote or "", branch=site.gitops.branch)
        return open_gitops(desired.homelab.root, site.gitops.path, layout, site.gitops.branch)
    from homestack.providers.kubernetes import open_kube  # lightkube only for the kube target

    cluster = site.cluster
    target = open_kube(
        kubeconfig=cluster.kubeconfig if cluster else None,
        context=context or (cluster.context if cluster else None),
    )
    target.learn(desired.all_resources())
    return target


def close_target(target: Target) -> None:
    """Release the target's connections, when it holds any."""
    close = getattr(target, "close", None)
    if callable(close):
        close()
