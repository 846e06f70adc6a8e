"""A toy sixth provider, only for the registry test: identities kept in memory per homelab.

All a provider needs is this package's ``open_target`` and one line in the registry.
"""

from __future__ import annotations

from pathlib import Path

from homestack.model import Provider
from homestack.providers.memory import MemoryTarget, MemoryWorld
from homestack.providers.registry import OpenRequest

WORLDS: dict[Path, MemoryWorld] = {}  # per homelab root: what the toy service holds


def open_target(request: OpenRequest) -> MemoryTarget:
    """The toy target of the homelab at ``request.homelab.root``."""
    world = WORLDS.setdefault(request.homelab.root, MemoryWorld())
    return MemoryTarget(Provider.AUTHENTIK, world, "toy")
