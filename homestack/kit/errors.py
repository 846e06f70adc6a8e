"""Errors of the kit layer (the kit otherwise raises the model's ``ModelError``).

Hierarchy::

    HomestackError
    └── ModelError (ValueError)
        └── UnknownKeywordError     a helper was called with a keyword it does not take;
                                    ``keyword`` names it, so the catalog can point at its line
"""

from __future__ import annotations

from homestack.model import ModelError


class UnknownKeywordError(ModelError, TypeError):
    """A kit helper got a keyword it does not declare (``envs=`` for ``env=``)."""

    def __init__(self, message: str, *, keyword: str, hint: str | None = None) -> None:
        self.keyword = keyword
        super().__init__(message, hint=hint)
