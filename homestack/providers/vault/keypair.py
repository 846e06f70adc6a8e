"""Keypairs drawn at apply time for generated secrets: age identities and SSH ed25519 keys.

Both halves are returned to the caller, which writes them straight to Vault KV; nothing here
logs or keeps them. The SSH key comes from the stock ``ssh-keygen`` in a private temporary
directory that is removed before returning.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pyrage  # type: ignore[import-untyped]  # the wheel ships no type information

from homestack.providers.errors import ProviderConfigError, ProviderError


def age_keypair() -> tuple[str, str]:
    """A fresh X25519 age identity and its recipient: (``AGE-SECRET-KEY-1…``, ``age1…``)."""
    identity = pyrage.x25519.Identity.generate()
    return str(identity), str(identity.to_public())


def ssh_ed25519_keypair(comment: str) -> tuple[str, str]:
    """A fresh OpenSSH ed25519 private key (no passphrase) and its ``ssh-ed25519 …`` line."""
    binary = shutil.which("ssh-keygen")
    if binary is None:
        raise ProviderConfigError("ssh-keygen is needed to generate an SSH keypair",
                                  subject=comment, hint="Install openssh-client")
    with tempfile.TemporaryDirectory(prefix="homestack-key-") as folder:
        key = Path(folder) / "key"
        done = subprocess.run([binary, "-q", "-t", "ed25519", "-N", "", "-C", comment,
                               "-f", str(key)], capture_output=True, text=True, check=False,
                              timeout=30)
        if done.returncode != 0:
            raise ProviderError(f"ssh-keygen failed with exit code {done.returncode}",
                                subject=comment)
        return key.read_text(), key.with_suffix(".pub").read_text().strip()


def keypair(kind: str, comment: str) -> tuple[str, str]:
    """(private, public) of a new keypair of ``kind`` (``age`` or ``ssh-ed25519``)."""
    if kind == "age":
        return age_keypair()
    if kind == "ssh-ed25519":
        return ssh_ed25519_keypair(comment)
    raise ProviderError(f"unknown keypair kind {kind!r}", subject=comment)
