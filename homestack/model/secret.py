"""Secrets as references: the only form in which a secret travels through Homestack.

A ``SecretRef`` names where a value lives (a Vault path and key, read through an
ExternalSecret store); it is safe to render, record and log. A ``SecretValue`` wraps a real
value that some provider had to hold for a moment: it masks itself in ``repr``/``str`` and
every persistence layer refuses it (see ``assert_no_secret_values``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import BaseModel, field_validator

from homestack.model.errors import ModelError, SecretLeakError
from homestack.model.modelconfig import shared_config

_PATH = re.compile(r"^[a-z0-9][a-z0-9_./-]*$")
_KEY = re.compile(r"^[A-Za-z0-9_.-]+$")


class SecretRef(BaseModel):
    """A reference to a secret: ``store`` (ESO ClusterSecretStore), Vault ``path`` and ``key``.

    Example: ``SecretRef.parse("secret/immich#db_password")``.
    """

    model_config = shared_config(frozen=True)

    path: str
    key: str
    store: str = "vault-kv"

    @field_validator("path")
    @classmethod
    def _path_shape(cls, value: str) -> str:
        if not _PATH.fullmatch(value):
            raise ValueError(f"secret path {value!r} must look like 'secret/<service>'")
        if any(part in ("", ".", "..") for part in value.rstrip("/").split("/")):
            # Vault resolves a path like a file system: "secret/../sys/..." leaves the mount.
            raise ValueError(f"secret path {value!r} may not hold '..', '.' or '//' parts")
        return value

    @field_validator("key")
    @classmethod
    def _key_shape(cls, value: str) -> str:
        if not _KEY.fullmatch(value):
            raise ValueError(f"secret key {value!r} may hold only letters, digits, '_', '.', '-'")
        return value

    @classmethod
    def parse(cls, text: str, store: str = "vault-kv") -> SecretRef:
        """Parse ``"path#key"`` into a reference."""
        path, sep, key = text.partition("#")
        if not sep:
            raise ModelError(
                f"secret reference {text!r} has no key",
                hint="Write it as 'secret/<service>#<key>'",
            )
        return cls(path=path, key=key, store=store)

    def __str__(self) -> str:
        return f"{self.store}:{self.path}#{self.key}"


class SecretValue:
    """A secret value held in memory only. Never rendered, recorded or logged."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """Return the value; call only at the edge where a provider must send it."""
        return self._value

    def __len__(self) -> int:
        return len(self._value)

    def __repr__(self) -> str:
        return f"<secret: {len(self._value)} bytes>"

    __str__ = __repr__

    def __reduce__(self) -> Any:
        raise SecretLeakError("a secret value cannot be pickled or serialised")


def iter_secret_values(data: Any, path: str = "") -> Iterator[str]:
    """Yield the paths inside ``data`` (dicts, lists, tuples) that hold a ``SecretValue``."""
    if isinstance(data, SecretValue):
        yield path or "<root>"
    elif isinstance(data, Mapping):
        for key, value in data.items():
            yield from iter_secret_values(value, f"{path}.{key}" if path else str(key))
    elif isinstance(data, list | tuple):
        for index, value in enumerate(data):
            yield from iter_secret_values(value, f"{path}[{index}]")


def assert_no_secret_values(data: Any, subject: str) -> None:
    """Raise ``SecretLeakError`` naming the first field of ``data`` that holds a secret value."""
    for where in iter_secret_values(data):
        raise SecretLeakError(
            f"field {where} holds a secret value",
            subject=subject,
            hint="Store a SecretRef (vault path#key) instead of the value",
        )
