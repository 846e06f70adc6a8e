"""Errors of the model layer.

Hierarchy::

    HomestackError                 root of every error Homestack raises on purpose
    └── ModelError (ValueError)    a declared value breaks a rule of the model
        └── SecretLeakError        a secret value reached a place only references may go
"""

from __future__ import annotations


class HomestackError(Exception):
    """Root of every error Homestack raises on purpose.

    ``subject`` is the thing that failed (a Resource address, a Stack name, a file) and
    ``hint`` says how to fix it; both appear in the message.
    """

    def __init__(self, message: str, *, subject: str | None = None, hint: str | None = None):
        self.subject = subject
        self.hint = hint
        text = f"{subject}: {message}" if subject else message
        if hint:
            text = f"{text}. {hint}"
        super().__init__(text)


class ModelError(HomestackError, ValueError):
    """A declared value breaks a rule of the model (bad name, bad size, bad reference)."""


class SecretLeakError(ModelError):
    """A secret value reached a place where only secret references may go."""
