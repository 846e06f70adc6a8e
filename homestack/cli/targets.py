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
from homestack.providers.proxmox import PveOptions


class TargetName(enum.Enum):
    """Where Kubernetes objects go."""

    KUBE = "kube"
    GITOPS = "gitops"


def default_target(homelab: Homelab) -> TargetName:
    """``kube`` when the Site names a cluster, else ``gitops``."""
    return TargetName.KUBE if homelab.site.cluster is not None else TargetName.GITOPS


def open_k8s_target(name: TargetName, desired: Desired, context: str | None = None, *,
                    force_conflicts: bool = False, adopt: bool = False,
                    remove_helm_history: bool = False) -> Target:
    """Open the Kubernetes target ``name`` for the homelab of ``desired``.

    ``force_conflicts``, ``adopt`` and ``remove_helm_history`` are the run's takeover flags
    (see ``KubeOptions``).
    """
    site = desired.homelab.site
    if name is TargetName.GITOPS:
        layout = Layout(flavour=site.gitops.flavour, graph=desired.graph,
                        repo_url=site.gitops.remote or "", branch=site.gitops.branch,
                        releases=flux_releases(desired.homelab))
        return open_gitops(desired.homelab.root, site.gitops.path, layout, site.gitops.branch)
    from homestack.providers.kubernetes import (  # lightkube only for the kube target
        KubeOptions,
        open_kube,
    )

    cluster = site.cluster
    return open_kube(
        kubeconfig=cluster.kubeconfig if cluster else None,
        context=context or (cluster.context if cluster else None),
        options=KubeOptions(force_conflicts=force_conflicts, adopt=adopt,
                            remove_helm_history=remove_helm_history),
        homelab=desired.all_resources(),
        owners={r.address: name for name, rs in desired.resources.items() for r in rs},
    )


def open_pve_target(desired: Desired, options: PveOptions | None) -> Target | None:
    """The ``pve`` target when the Site configures Proxmox (proxmoxer only then)."""
    settings = desired.homelab.site.proxmox
    if settings is None:
        return None
    from homestack.providers.proxmox import open_pve

    return open_pve(settings, desired.homelab.root, options or PveOptions.default())


@contextmanager
def opened_targets(name: TargetName, desired: Desired, context: str | None = None, *,
                   pve: PveOptions | None = None, force_conflicts: bool = False,
                   adopt: bool = False, remove_helm_history: bool = False
                   ) -> Iterator[dict[Provider, Target]]:
    """Every target of the run, closed afterwards (even when opening a later one fails)."""
    with ExitStack() as stack:
        targets: dict[Provider, Target] = {}
        k8s = open_k8s_target(name, desired, context, force_conflicts=force_conflicts,
                              adopt=adopt, remove_helm_history=remove_helm_history)
        stack.callback(k8s.close)
        targets[Provider.K8S] = k8s
        _open_dns(desired, stack, targets)
        _open_vault(targets, stack, desired)
        if (machines := open_pve_target(desired, pve)) is not None:
            stack.callback(machines.close)
            targets[Provider.PVE] = machines
        yield targets


def _open_dns(desired: Desired, stack: ExitStack, targets: dict[Provider, Target]) -> None:
    """The DNS target, when the Site configures a DNS backend."""
    from homestack.providers.dns import open_dns

    dns = open_dns(desired.homelab.site)
    if dns is not None:
        stack.callback(dns.close)
        targets[Provider.DNS] = dns


def _open_vault(targets: dict[Provider, Target], stack: ExitStack, desired: Desired) -> None:
    """The ``vault`` target, when the Site configures Vault."""
    if desired.homelab.site.vault is None:
        return
    from homestack.providers.vault import open_vault  # hvac only when Vault is configured

    vault = open_vault(desired.homelab.site, desired.resources)
    stack.callback(vault.close)
    targets[Provider.VAULT] = vault
