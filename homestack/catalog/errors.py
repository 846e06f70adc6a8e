"""Errors of the catalog layer: everything wrong with the homelab repository's files.

Hierarchy::

    HomestackError
    └── CatalogError (ValueError)   a file of the homelab repository cannot be loaded;
                                     ``location`` is "path:line" or a field path
"""

from __future__ import annotations

from homestack.model.errors import HomestackError


class CatalogError(HomestackError, ValueError):
    """A homelab file failed to load; the message starts with its file and line."""

    def __init__(
        self, message: str, *, location: str | None = None, hint: str | None = None
    ) -> None:
        self.location = location
        super().__init__(message, subject=location, hint=hint)
