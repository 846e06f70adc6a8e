"""Errors of the providers layer, each with the ``FailureKind`` the engine and the plan speak.

Hierarchy::

    HomestackError
    └── ProviderError               an outside API refused or failed (kind: other)
        ├── ProviderConfigError     the provider cannot be configured (kubeconfig, token, URL)
        ├── ConflictError           another field manager owns a declared field; names it
        ├── AlreadyExistsError      a create found the object already there
        ├── InvalidError            the API refused the object as invalid; never retried
        ├── ImmutableFieldError     a field that cannot change after creation differs
        ├── ForbiddenError          the credentials may not do this
        ├── NotFoundError           the object or its kind does not exist
        ├── TransientError          429, 5xx or a transport failure, retries exhausted
        └── NotReadyError           an object failed or did not become ready in time
"""

from __future__ import annotations

from homestack.model.changeset import FailureKind
from homestack.model.errors import HomestackError


class ProviderError(HomestackError):
    """An outside API refused or failed a request."""

    kind = FailureKind.OTHER

    def __init__(self, message: str, *, subject: str | None = None, hint: str | None = None,
                 managers: tuple[str, ...] = (), fields: tuple[str, ...] = ()) -> None:
        super().__init__(message, subject=subject, hint=hint)
        self.managers = managers
        self.fields = fields


class ProviderConfigError(ProviderError, ValueError):
    """The provider cannot be configured from what it was given."""


class ConflictError(ProviderError):
    """Another field manager owns a field Homestack declares."""

    kind = FailureKind.CONFLICT


class AlreadyExistsError(ProviderError):
    """A create found an object with the same identity."""

    kind = FailureKind.CONFLICT


class InvalidError(ProviderError, ValueError):
    """The API refused the object as invalid: retrying cannot help."""

    kind = FailureKind.INVALID


class ImmutableFieldError(InvalidError):
    """A field that cannot change after creation differs: the object must be replaced."""

    kind = FailureKind.IMMUTABLE


class ForbiddenError(ProviderError):
    """The credentials in use may not perform the request."""

    kind = FailureKind.FORBIDDEN


class NotFoundError(ProviderError):
    """The object, or its kind, does not exist."""

    kind = FailureKind.NOT_FOUND


class TransientError(ProviderError):
    """Throttled, a server error or a transport failure, still failing after every retry."""

    kind = FailureKind.TRANSIENT


class NotReadyError(ProviderError):
    """An applied object failed, or did not become ready before its timeout."""

    kind = FailureKind.NOT_READY
