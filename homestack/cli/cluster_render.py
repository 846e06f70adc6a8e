"""Render Helm charts for the live cluster when the run goes to the ``kube`` target.

The cluster's version and API versions are read once (discovery) and handed to the catalog
as a value; offline runs (``validate``, ``render``, the ``gitops`` target) never get here and
keep Helm's defaults. A release whose cluster-aware output differs from the offline one is
named in a note on its Stack: what ``render`` and GitOps show is not what is applied. When
discovery fails (an unreachable cluster), releases keep Helm's defaults and each Stack with a
release says so; observing the cluster then fails those Stacks as usual, one line each.
"""

from __future__ import annotations

from homestack.catalog import helm
from homestack.cli.context import CliContext
from homestack.cli.targets import TargetName, default_target
from homestack.engine import ChangeSet
from homestack.model import HomestackError


def cluster_render(cli: CliContext, target: TargetName | None, context: str | None
                   ) -> dict[str, list[str]]:
    """Render the homelab's releases for the cluster; the notes to show, by Stack."""
    homelab = cli.homelab()
    if (target or default_target(homelab)) is not TargetName.KUBE:
        return {}
    names = sorted(n for n, s in homelab.stacks.items() if helm.releases(s))
    if not names:
        return {}
    from homestack.providers.kubernetes.capabilities import read_capabilities  # lightkube

    cluster = homelab.site.cluster
    try:
        capabilities = read_capabilities(cluster.kubeconfig if cluster else None,
                                         context or (cluster.context if cluster else None))
    except HomestackError as exc:
        return {name: [f"Helm releases rendered with Helm's default capabilities: {exc}"]
                for name in names}
    notes: dict[str, list[str]] = {}
    for stack, release in helm.prepare(homelab, names, capabilities):
        notes.setdefault(stack, []).append(
            f"Helm release {release} renders differently for this cluster "
            f"(Kubernetes {capabilities.kube_version} and its APIs) than offline "
            "(validate, render, gitops)")
    return notes


def with_notes(changeset: ChangeSet, notes: dict[str, list[str]]) -> ChangeSet:
    """``changeset`` with the rendering notes added to their Stacks."""
    for stack in changeset.stacks:
        stack.notes.extend(notes.get(stack.stack, ()))
    return changeset
