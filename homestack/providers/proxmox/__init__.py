"""The ``pve`` provider: the Site's VMs on Proxmox VE (proxmoxer, API-token auth)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homestack.providers.proxmox.target import PveOptions, PveTarget, open_pve

if TYPE_CHECKING:
    from homestack.providers.registry import OpenRequest


def open_target(request: OpenRequest) -> PveTarget | None:
    """The registry's opener: the machines target when the Site configures Proxmox."""
    settings = request.homelab.site.proxmox
    if settings is None:
        return None
    return open_pve(settings, request.homelab.root, request.pve)


__all__ = ["PveOptions", "PveTarget", "open_pve", "open_target"]
