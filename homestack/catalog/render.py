"""Render every Stack of a loaded homelab into Resources, all or nothing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from homestack.catalog import helm
from homestack.catalog.errors import CatalogError
from homestack.catalog.homelab import Homelab, RenderedHomelab
from homestack.model import ModelError, Provider, Resource, manifest_check


def render_all(homelab: Homelab, names: list[str] | None = None) -> RenderedHomelab:
    """Render the named Stacks (all by default); an address declared twice is an error."""
    selected = sorted(names) if names else sorted(homelab.stacks)
    for name in selected:
        if name not in homelab.stacks:
            raise CatalogError(f"unknown Stack {name!r}", hint="See `homestack graph`")
    helm.prepare(homelab, selected)  # charts are fetched and rendered before the kit runs
    resources = {name: render_stack(homelab, name) for name in selected}
    check_owners(homelab, resources)
    return RenderedHomelab(homelab=homelab, resources=resources)


def render_stack(homelab: Homelab, name: str) -> list[Resource]:
    """One Stack's Resources (its Helm releases prepared already), each checked for the names,
    labels and ports the apiserver would refuse."""
    try:
        rendered = homelab.stacks[name].render(homelab.site)
    except ModelError as exc:
        message = str(exc).replace(f"{homelab.root}/", "")
        raise CatalogError(message) from exc
    for resource in rendered:
        _check_syntax(homelab, resource)
    return rendered


def check_owners(homelab: Homelab, resources: Mapping[str, Sequence[Resource]]) -> None:
    """Refuse an address that two Stacks declare (Stacks in name order)."""
    owner: dict[str, str] = {}
    for name in sorted(resources):
        for resource in resources[name]:
            if resource.address in owner:
                raise CatalogError(
                    f"{resource.address} is declared by Stacks {owner[resource.address]!r} "
                    f"and {name!r}",
                    location=_shown(homelab, resource),
                    hint="Exactly one Stack may own an object",
                )
            owner[resource.address] = name


def _check_syntax(homelab: Homelab, resource: Resource) -> None:
    """Names, labels and ports the apiserver would refuse are invalid input, found now."""
    if resource.provider is not Provider.K8S:
        return
    found = manifest_check.problems(resource.body)
    if found:
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise CatalogError(
            f"{resource.address}: {found[0]}{more}",
            location=_shown(homelab, resource),
            hint="Fix the field it names",
        )


def _shown(homelab: Homelab, resource: Resource) -> str | None:
    if resource.origin is None:
        return None
    return f"{homelab.relative(Path(resource.origin.file))}:{resource.origin.line}"
