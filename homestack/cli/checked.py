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
from collections.abc import Collection

from homestack.catalog import helm
from homestack.cli.context import CliContext
from homestack.cli.targets import TargetName, default_target
from homestack.engine import ChangeSet
from homestack.engine.desired_cache import Lookup, checked
from homestack.engine.incremental import Checked
from homestack.model import HomestackError


def checked_homelab(cli: CliContext, target: TargetName | None = None,
                    context: str | None = None, *, cluster_aware: bool = True,
                    only: Collection[str] | None = None) -> Checked:
    """The desired homelab and its findings, rendered for ``target``'s cluster if it is one
    (and ``cluster_aware``). ``only`` names the Stacks the command acts on: other Stacks that
    changed keep their last render, and a note names them."""
    offline = checked(cli.root, "offline", only=only)
    _explain(cli, "offline", offline)
    homelab = offline.checked.desired.homelab
    cli.use(homelab)
    names = sorted(n for n, s in homelab.stacks.items() if helm.releases(s))
    if not names or not cluster_aware or \
            (target or default_target(homelab)) is not TargetName.KUBE:
        _note_stale(cli, offline)
        return offline.checked
    from homestack.providers.kubernetes.capabilities import read_capabilities  # lightkube

    cluster = homelab.site.cluster
    try:
        capabilities = read_capabilities(cluster.kubeconfig if cluster else None,
                                         context or (cluster.context if cluster else None))
    except HomestackError as exc:
        note = f"Helm releases rendered with Helm's default capabilities: {exc}"
        _note_stale(cli, offline)
        return Checked(offline.checked.desired, offline.checked.findings,
                       {name: [note] for name in names})
    variant = "cluster:" + hashlib.sha256(
        "\0".join((capabilities.kube_version, *capabilities.api_versions)).encode()).hexdigest()
    aware = checked(cli.root, variant, capabilities=capabilities, only=only)
    _explain(cli, "cluster-aware", aware)
    _note_stale(cli, aware)
    cli.use(aware.checked.desired.homelab)
    return aware.checked


def _note_stale(cli: CliContext, lookup: Lookup) -> None:
    if lookup.stale:
        cli.err.print(
            "[yellow]note:[/] changed but not rendered again for this run: "
            f"{', '.join(lookup.stale)}; the whole-homelab checks used their last render (a "
            "plan of every Stack renders them)")


def _explain(cli: CliContext, variant: str, lookup: Lookup) -> None:
    if not cli.debug:
        return
    if lookup.hit:
        cli.err.print(f"render cache ({variant}): hit")
        return
    cli.err.print(f"render cache ({variant}): miss, {lookup.why}; "
                  f"rendered {_stacks(len(lookup.rendered))}")


def _stacks(count: int) -> str:
    return f"{count} Stack" if count == 1 else f"{count} Stacks"


def with_notes(changeset: ChangeSet, notes: dict[str, list[str]]) -> ChangeSet:
    """``changeset`` with the rendering notes added to their Stacks."""
    return changeset.with_stacks([stack.noted(*notes.get(stack.stack, ()))
                                  for stack in changeset.stacks])
