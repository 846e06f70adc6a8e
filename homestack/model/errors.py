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
    ``hint`` says how to fix it; both appear in the message. ``detail`` is the message and
    hint without the subject, for a place that already names it.
    """

    def __init__(self, message: str, *, subject: str | None = None, hint: str | None = None):
        self.subject = subject
        self.hint = hint
        self.detail = f"{message}. {hint}" if hint else message
        super().__init__(f"{subject}: {self.detail}" if subject else self.detail)


class ModelError(HomestackError, ValueError):
    """A declared value breaks a rule of the model (bad name, bad size, bad reference)."""


class SecretLeakError(ModelError):
    """A secret value reached a place where only secret references may go."""
