"""age encryption for the bootstrap state tier, through ``pyrage``, with typed edges.

Files are ASCII-armored age files that the stock ``age`` CLI decrypts
(``age -d -i key.txt state/<stack>.age``). Recipients are ``age1...`` X25519 keys or SSH
public keys; identities are read from an ``age-keygen`` key file.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import pyrage  # type: ignore[import-untyped]  # the wheel ships no type information

from homestack.state.errors import StateConfigError, StateCorruptError


def recipients(keys: Sequence[str], *, required: bool = True) -> list[object]:
    """Parse public keys; raise ``StateConfigError`` naming a bad one, or when ``required``
    and there are none."""
    parsed: list[object] = []
    for key in keys:
        text = key.strip()
        try:
            if text.startswith(("ssh-", "ecdsa-")):
                parsed.append(pyrage.ssh.Recipient.from_str(text))
            else:
                parsed.append(pyrage.x25519.Recipient.from_str(text))
        except pyrage.RecipientError as error:
            raise StateConfigError(
                f"age recipient {text[:24]!r} cannot be parsed ({error})",
                subject="state settings",
                hint="Use the public key that `homestack state keygen` prints (age1...)",
            ) from error
    if not parsed and required:
        raise StateConfigError(
            "no age recipients for the bootstrap state tier",
            subject="state settings",
            hint="Set StateSettings(age_recipients=('age1...',)) with your public key",
        )
    return parsed


def identities(path: Path) -> list[object]:
    """Read the X25519 identities of an ``age-keygen`` key file."""
    try:
        text = path.read_text()
    except OSError as error:
        raise StateConfigError(
            f"age identity cannot be read ({error.strerror})",
            subject=str(path),
            hint=f"Create it with `homestack state keygen -o {path}` and add the public key it"
            " prints to the Site's age_recipients, or point HOMESTACK_AGE_IDENTITY at your key"
            " file",
        ) from error
    found: list[object] = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            try:
                found.append(pyrage.x25519.Identity.from_str(line))
            except pyrage.IdentityError as error:
                raise StateConfigError(
                    f"age identity file holds a line that is not a key ({error})",
                    subject=str(path),
                    hint="Keep only AGE-SECRET-KEY-1... lines and # comments",
                ) from error
    if not found:
        raise StateConfigError("age identity file holds no key", subject=str(path),
                               hint="Create one with `homestack state keygen -o <file>`")
    return found


def generate(path: Path) -> str:
    """Create a new X25519 identity file at ``path`` (mode 0600, never overwriting one).

    Returns the public key (``age1...``). Raises ``FileExistsError`` when ``path`` exists.
    """
    identity = pyrage.x25519.Identity.generate()
    public = str(identity.to_public())
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(handle, "w") as out:
        out.write(f"# public key: {public}\n{identity}\n")
    return public


def new_identity() -> object:
    """A new X25519 identity."""
    return pyrage.x25519.Identity.generate()


def identity(secret: str, source: Path) -> object:
    """Parse one ``AGE-SECRET-KEY-1...``; ``StateCorruptError`` naming ``source`` if it is not."""
    try:
        return pyrage.x25519.Identity.from_str(secret.strip())
    except pyrage.IdentityError as error:
        raise StateCorruptError("the unwrapped state identity is not an age key",
                                subject=str(source), hint="Restore it from Git") from error


def encrypt(plain: bytes, to: Sequence[object]) -> bytes:
    """Encrypt ``plain`` for ``to`` as an ASCII-armored age file."""
    return bytes(pyrage.encrypt(plain, list(to), armored=True))


def decrypt(cipher: bytes, with_: Sequence[object], file: Path) -> bytes:
    """Decrypt an age file; raise ``StateCorruptError`` naming ``file`` if it cannot be."""
    try:
        return bytes(pyrage.decrypt(cipher, list(with_)))
    except pyrage.DecryptError as error:
        raise StateCorruptError(
            f"bootstrap state cannot be decrypted ({error}: the file was changed, truncated"
            " or not encrypted for this identity)",
            subject=str(file),
            hint="Restore it from Git ('git checkout -- <file>') or use the right key via"
            " HOMESTACK_AGE_IDENTITY (a new one comes from `homestack state keygen`, and its"
            " public key must be in the Site's age_recipients before the file is written);"
            " Homestack will not overwrite it",
        ) from error
