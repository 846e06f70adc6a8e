"""The checked homelab every engine verb starts from, from the render cache when it can be.

Offline (``validate``, the ``gitops`` target, a homelab without Helm releases) the homelab is
loaded, rendered, governed and checked once per change of its files; the ``kube`` target
renders Helm releases for the live cluster: its version and API versions are read once
(discovery) and make a cache entry of their own. A release whose cluster-aware output differs
from the offline one is named in a note on its Stack: what ``render`` and GitOps show is not
what is applied. When discovery fails (an unreachable cluster), releases keep Helm's defaults
and each Stack with a release says so; observing the cluster then fails those Stacks as usual,
one line each.
"""

from __future__ import annotations

import hashlib

from homestack.catalog import Homelab, helm, load
from homestack.cli.context import CliContext
from homestack.cli.targets import TargetName, default_target
from homestack.engine import ChangeSet, desired
from homestack.engine.desired_cache import Checked, cached
from homestack.model import HomestackError
from homestack.policy import check_homelab


def checked_homelab(cli: CliContext, target: TargetName | None = None,
                    context: str | None = None, *, cluster_aware: bool = True) -> Checked:
    """The desired homelab and its findings, rendered for ``target``'s cluster if it is one
    (and ``cluster_aware``)."""
    offline = cached(cli.root, "offline", lambda: _check(load(cli.root), {}))
    _explain(cli, "offline", offline.hit, offline.why)
    homelab = offline.checked.desired.homelab
    cli.use(homelab)
    if not cluster_aware or (target or default_target(homelab)) is not TargetName.KUBE:
        return offline.checked
    names = sorted(n for n, s in homelab.stacks.items() if helm.releases(s))
    if not names:
        return offline.checked
    from homestack.providers.kubernetes.capabilities import read_capabilities  # lightkube

    cluster = homelab.site.cluster
    try:
        capabilities = read_capabilities(cluster.kubeconfig if cluster else None,
                                         context or (cluster.context if cluster else None))
    except HomestackError as exc:
        note = f"Helm releases rendered with Helm's default capabilities: {exc}"
        return Checked(offline.checked.desired, offline.checked.findings,
                       {name: [note] for name in names})
    variant = "cluster:" + hashlib.sha256(
        "\0".join((capabilities.kube_version, *capabilities.api_versions)).encode()).hexdigest()

    def for_cluster() -> Checked:
        # a fresh load: prepare skips a release that holds a render already (the offline one)
        fresh = load(cli.root)
        notes: dict[str, list[str]] = {}
        for stack, release in helm.prepare(fresh, names, capabilities):
            notes.setdefault(stack, []).append(
                f"Helm release {release} renders differently for this cluster "
                f"(Kubernetes {capabilities.kube_version} and its APIs) than offline "
                "(validate, render, gitops)")
        return _check(fresh, notes)

    aware = cached(cli.root, variant, for_cluster)
    _explain(cli, "cluster-aware", aware.hit, aware.why)
    cli.use(aware.checked.desired.homelab)
    return aware.checked


def _check(homelab: Homelab, notes: dict[str, list[str]]) -> Checked:
    wanted = desired(homelab)
    return Checked(wanted, tuple(check_homelab(wanted.homelab, wanted.resources)), notes)


def _explain(cli: CliContext, variant: str, hit: bool, why: str) -> None:
    if cli.debug:
        cli.err.print(f"render cache ({variant}): " + ("hit" if hit else f"miss, {why}"))


def with_notes(changeset: ChangeSet, notes: dict[str, list[str]]) -> ChangeSet:
    """``changeset`` with the rendering notes added to their Stacks."""
    for stack in changeset.stacks:
        stack.notes.extend(notes.get(stack.stack, ()))
    return changeset
