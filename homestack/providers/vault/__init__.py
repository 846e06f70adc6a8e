"""The Vault / OpenBao provider: secret references checked, policies and roles applied."""

from homestack.providers.vault.catalog import Catalog, build_catalog
from homestack.providers.vault.observe import VaultSeen
from homestack.providers.vault.plan import check_references
from homestack.providers.vault.target import VaultTarget, open_vault

__all__ = ["Catalog", "VaultSeen", "VaultTarget", "build_catalog", "check_references",
           "open_vault"]
