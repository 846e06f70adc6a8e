"""The checked homelab, built Stack by Stack: a Stack whose inputs did not change is reused.

A Stack's rendered Resources are a function of its stack file, the files its components read
(raw YAML, Helm values, ``charts.lock``), the environment variables it read and the Site: each
Stack is loaded and rendered under its own recording of those inputs (``catalog.inputs``),
and kept with them as a ``StackPart``. The next build renders again only the Stacks whose
inputs changed (all of them when ``site.py`` changed); then, every time, the Stacks are
assembled, governed, ordered and checked as a whole, because namespace ownership, quotas,
priority classes, the Authentik blueprint and the cross-Stack rules read every Stack.

A build can be narrowed to the Stacks a command acts on (``plan STACK``): a changed Stack
outside them and the Stacks they need is not rendered again; its last render stands in for it
in the whole-homelab steps, and the build names it as ``stale``. If the stand-ins do not fit
together (a Stack they need is gone), the build renders every changed Stack instead.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from homestack.catalog import CatalogError, Homelab, helm, load_site, stack_files
from homestack.catalog.capabilities import Capabilities
from homestack.catalog.inputs import Inputs, recording
from homestack.catalog.loader import assemble, load_stack
from homestack.catalog.render import check_owners, render_stack
from homestack.engine.desired import Desired, order
from homestack.graph import CycleError
from homestack.model import Resource, Site, Stack
from homestack.policy import Finding, check_homelab, govern
from homestack.policy.check import stack_scoped


@dataclass(frozen=True)
class Checked:
    """The desired homelab, its policy findings and the notes rendering left by Stack."""

    desired: Desired
    findings: tuple[Finding, ...]
    notes: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class StackPart:
    """One Stack as its file declared it and rendered it (before governance), with what it
    read while it was loaded and rendered."""

    stack: Stack
    file: Path
    rendered: tuple[Resource, ...]
    notes: tuple[str, ...]
    inputs: Inputs


@dataclass(frozen=True)
class Parts:
    """What a build is made of: the Site's inputs (``site.py``), the listing of the Stack
    folders and each Stack's part, by folder name."""

    site: Inputs
    listing: Inputs
    stacks: dict[str, StackPart]

    def changed(self) -> str | None:
        """The first input of the build that differs now, or None."""
        return first_change((self.site, self.listing,
                             *(part.inputs for part in self.stacks.values())))


def first_change(every: Iterable[Inputs]) -> str | None:
    """The first input of ``every`` that differs now (a path or ``$NAME``), or None."""
    for inputs in every:
        found = inputs.changed()
        if found is not None:
            return found
    return None


@dataclass(frozen=True)
class Build:
    """A checked homelab with its parts; ``rendered`` names the Stacks rendered by this build,
    ``stale`` the changed Stacks whose last render stood in (a narrowed build)."""

    checked: Checked
    parts: Parts
    rendered: tuple[str, ...] = ()
    stale: tuple[str, ...] = ()


def build(root: Path, *, capabilities: Capabilities | None = None,
          previous: Parts | None = None, before: Checked | None = None,
          only: Collection[str] | None = None) -> Build:
    """Load, render, govern and check the homelab at ``root``, reusing ``previous``'s parts
    whose inputs are unchanged (none when ``site.py`` changed) and, from ``before`` (the value
    built from them), the Stack-scoped findings of Stacks whose governed Resources are the
    same. Narrowed to ``only`` and the Stacks they need when given. ``capabilities`` renders
    Helm releases for a cluster. A ``CatalogError`` propagates; nothing is half-built."""
    root = root.resolve()
    with recording(root) as site_reads:
        site = load_site(root)
    with recording(root) as listing:  # a new Stack folder is rendered, not the others again
        files = {path.parent.name: path for path in stack_files(root)}
    inputs = (site_reads[0], listing[0])
    reusable = previous.stacks if previous is not None and previous.site.changed() is None \
        else {}
    if not reusable:
        before = None  # a new Site: no finding of before holds
    if only is not None and reusable:
        narrowed = _narrowed(root, site, files, reusable, set(only), capabilities)
        try:
            return _finish(root, site, inputs, narrowed, before)
        except (CatalogError, CycleError):
            pass  # the stand-ins do not fit together: render every changed Stack
    parts: dict[str, StackPart] = {}
    rendered = []
    for name, path in sorted(files.items()):
        old = reusable.get(name)
        if old is not None and _current(old, path):
            parts[name] = old
        else:
            parts[name] = render_part(root, site, path, capabilities)
            rendered.append(name)
    return _finish(root, site, inputs, _Selection(parts, tuple(rendered), ()), before)


@dataclass(frozen=True)
class _Selection:
    parts: dict[str, StackPart]
    rendered: tuple[str, ...]
    stale: tuple[str, ...]


def _narrowed(root: Path, site: Site, files: Mapping[str, Path],
              reusable: Mapping[str, StackPart], only: set[str],
              capabilities: Capabilities | None) -> _Selection:
    """``only`` and the Stacks they need (transitively) rendered when changed; other changed
    Stacks keep their last render (new ones are rendered: they have none)."""
    parts: dict[str, StackPart] = {}
    rendered: list[str] = []
    queue = sorted(only & set(files))
    while queue:
        name = queue.pop(0)
        if name in parts:
            continue
        old = reusable.get(name)
        if old is not None and _current(old, files[name]):
            parts[name] = old
        else:
            parts[name] = render_part(root, site, files[name], capabilities)
            rendered.append(name)
        queue.extend(sorted(n for n in parts[name].stack.needs if n in files))
    stale = []
    for name, path in sorted(files.items()):
        if name in parts:
            continue
        old = reusable.get(name)
        if old is None or old.file != path:
            parts[name] = render_part(root, site, path, capabilities)
            rendered.append(name)
        else:
            parts[name] = old
            if not _current(old, path):
                stale.append(name)
    return _Selection(parts, tuple(sorted(rendered)), tuple(stale))


def _current(old: StackPart, path: Path) -> bool:
    """``old`` was rendered from ``path`` and nothing it read has changed since."""
    return old.file == path and old.inputs.changed() is None


def render_part(root: Path, site: Site, path: Path,
                capabilities: Capabilities | None) -> StackPart:
    """Load and render one stack file, recording what it reads."""
    with recording(root) as reads:
        stack = load_stack(root, path)
        alone = Homelab(root=root, site=site, stacks={stack.name: stack},
                        stack_files={stack.name: path})
        differ = helm.prepare(alone, [stack.name], capabilities)
        rendered = render_stack(alone, stack.name)
    notes = tuple(
        f"Helm release {release} renders differently for this cluster (Kubernetes "
        f"{capabilities.kube_version} and its APIs) than offline (validate, render, gitops)"
        for _, release in differ if capabilities is not None)
    return StackPart(stack, path, tuple(rendered), notes, reads[0])


def _finish(root: Path, site: Site, inputs: tuple[Inputs, Inputs], selection: _Selection,
            before: Checked | None) -> Build:
    parts = selection.parts
    homelab = assemble(root, site, [(parts[n].stack, parts[n].file) for n in sorted(parts)])
    resources = {part.stack.name: list(part.rendered) for part in parts.values()}
    check_owners(homelab, resources)
    governed = govern(homelab, resources)
    wanted = Desired(homelab=homelab, resources=governed, graph=order(homelab))
    known: dict[str, list[Finding]] = {}
    if before is not None:  # the same Site: equal Resources have the same Stack-scoped findings
        earlier = before.desired.resources
        known = {name: stack_scoped(before.findings, name)
                 for name, now in governed.items() if earlier.get(name) == now}
    findings = tuple(check_homelab(homelab, governed, known=known))
    notes = {part.stack.name: list(part.notes) for part in parts.values() if part.notes}
    return Build(Checked(wanted, findings, notes), Parts(*inputs, parts),
                 selection.rendered, selection.stale)
