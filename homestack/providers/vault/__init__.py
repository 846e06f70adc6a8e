"""The Vault / OpenBao provider: secret references checked, policies and roles applied."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homestack.providers.vault.catalog import Catalog, build_catalog
from homestack.providers.vault.observe import VaultSeen
from homestack.providers.vault.plan import check_references
from homestack.providers.vault.target import VaultTarget, open_vault

if TYPE_CHECKING:
    from homestack.providers.registry import OpenRequest


def open_target(request: OpenRequest) -> VaultTarget | None:
    """The registry's opener: log in to the Site's Vault when it configures one."""
    if request.homelab.site.vault is None:
        return None
    return open_vault(request.homelab.site, request.resources)


__all__ = ["Catalog", "VaultSeen", "VaultTarget", "build_catalog", "check_references",
           "open_target", "open_vault"]
