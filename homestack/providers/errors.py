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

``classify_http`` is the one table from an HTTP status to these errors, used by every client
(Kubernetes refines it with the Status ``reason``, Vault maps hvac's exceptions to their
status first); ``unreachable`` is the error of a transport failure (no answer at all).
"""

from __future__ import annotations

from collections.abc import Mapping

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
    """Throttled, a server error or a transport failure, still failing after every retry.

    ``maybe_done``: the request may have been carried out (no answer came, or a server error
    mid-way); False when the answer says it was not (throttled, unavailable, never sent).
    ``retry_after``: the pause the service asked for, in seconds.
    """

    kind = FailureKind.TRANSIENT
    maybe_done = True
    retry_after: float | None = None


class NotReadyError(ProviderError):
    """An applied object failed, or did not become ready before its timeout."""

    kind = FailureKind.NOT_READY


# An HTTP status → the error it stands for (rules are data). 429 and every 5xx are transient:
# retrying the same request may succeed.
HTTP_ERRORS: dict[int, type[ProviderError]] = {
    400: InvalidError,
    401: ForbiddenError,
    403: ForbiddenError,
    404: NotFoundError,
    409: ConflictError,
    412: ConflictError,
    422: InvalidError,
    429: TransientError,
}


def error_class(status: int, overrides: Mapping[int, type[ProviderError]] | None = None
                ) -> type[ProviderError]:
    """The error class an HTTP ``status`` stands for; ``overrides`` are a service's own
    meanings of a status (PVE answers 500 for refusals that no retry changes)."""
    found = (overrides or {}).get(status) or HTTP_ERRORS.get(status)
    return found or (TransientError if status >= 500 else ProviderError)


def classify_http(status: int, message: str, *, subject: str, hint: str | None = None,
                  managers: tuple[str, ...] = (), fields: tuple[str, ...] = (),
                  overrides: Mapping[int, type[ProviderError]] | None = None
                  ) -> ProviderError:
    """The typed error of an HTTP answer ``status`` about ``subject``."""
    error = error_class(status, overrides)(message, subject=subject, hint=hint,
                                           managers=managers, fields=fields)
    if isinstance(error, TransientError):
        error.maybe_done = status not in NOT_DONE
    return error


# Answers that say the request was not carried out: throttled, or the service unavailable.
NOT_DONE = frozenset({429, 503})


def unreachable(service: str, error: Exception, *, subject: str,
                sent: bool = True) -> TransientError:
    """The error of a request that got no answer (connection refused, timeout, TLS);
    ``sent`` False when it never left (the connection was refused)."""
    found = TransientError(f"{service} unreachable ({type(error).__name__}: {error})",
                           subject=subject)
    found.maybe_done = sent
    return found


def never_sent(error: Exception) -> bool:
    """A ``requests`` failure where no connection was made (refused, or connecting timed
    out): the request never left. Decided from urllib3's exception types, never the text."""
    import urllib3.exceptions  # with requests, only in the clients that use it

    reason = error.args[0] if error.args else None
    reason = getattr(reason, "reason", reason)  # urllib3 wraps it in MaxRetryError
    return isinstance(reason, urllib3.exceptions.ConnectTimeoutError)
