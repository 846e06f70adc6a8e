"""A loaded homelab: the Site, the Stacks by name, and where each came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from homestack.model import Resource, Site, Stack


@dataclass(frozen=True)
class Homelab:
    """The result of loading a homelab repository (before rendering)."""

    root: Path
    site: Site
    stacks: dict[str, Stack]
    stack_files: dict[str, Path] = field(default_factory=dict)

    def relative(self, path: Path) -> str:
        """``path`` relative to the repository root, for messages."""
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)


@dataclass(frozen=True)
class RenderedHomelab:
    """Every Stack's Resources, sorted by address."""

    homelab: Homelab
    resources: dict[str, list[Resource]]

    def all_resources(self) -> list[Resource]:
        """Resources of every Stack, Stack by Stack in name order."""
        return [r for name in sorted(self.resources) for r in self.resources[name]]
