"""The ``pve`` provider: the Site's VMs on Proxmox VE (proxmoxer, API-token auth)."""

from homestack.providers.proxmox.target import PveOptions, PveTarget, open_pve

__all__ = ["PveOptions", "PveTarget", "open_pve"]
