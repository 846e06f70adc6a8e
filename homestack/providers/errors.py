"""Errors of the providers layer.

Hierarchy::

    HomestackError
    └── ProviderError               an outside API refused or failed
        ├── ProviderConfigError     the provider cannot be configured (kubeconfig, context)
        ├── ConflictError           server-side apply conflict; names the manager and field
        └── NotReadyError           an object did not become ready in time
"""

from __future__ import annotations

from homestack.model.errors import HomestackError


class ProviderError(HomestackError):
    """An outside API refused or failed a request."""


class ProviderConfigError(ProviderError, ValueError):
    """The provider cannot be configured from what it was given."""


class ConflictError(ProviderError):
    """Another field manager owns a field Homestack declares."""


class NotReadyError(ProviderError):
    """An applied object did not become ready before its timeout."""
